"""PyInstaller runtime hook (build.spec): keep `platform` from starting `cmd /c ver`.

platform.uname()/machine()/win32_ver() (SQLAlchemy calls platform.machine() when it is
imported) ask WMI through the _wmi module first and otherwise fall back to running
`cmd /c ver` in a shell. The build made under Wine (scripts/build-windows) has no _wmi,
which crashes Wine 8; in the windowed TamaDesk.exe that fallback would flash a console
window at every start on real Windows. sys.getwindowsversion() gives the same version
numbers without starting a process.
"""

import sys

if sys.platform == "win32":
    import platform

    def _syscmd_ver(system="", release="", version="", supported_platforms=("win32", "win16", "dos")):
        winver = sys.getwindowsversion()
        return system or "Microsoft Windows", release, f"{winver.major}.{winver.minor}.{winver.build}"

    platform._syscmd_ver = _syscmd_ver
