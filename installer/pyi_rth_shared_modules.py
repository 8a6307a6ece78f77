"""PyInstaller runtime hook (build.spec, the first one): both programs import from one shared module archive.

TamaDesk.exe and TamaDeskCli.exe would each carry their own copy of the compressed module archive (the PYZ,
about 10 MB). build.spec gives each exe a small archive instead (only what PyInstaller's bootstrap imports
before the runtime hooks run) and collects the whole archive once, as _internal/modules.pyz; this hook, run
before any other import from the archive, points PyInstaller's importer at it. Written for PyInstaller 6
(pinned in installer/build-requirements.txt): `pyimod02_importers.pyz_archive` is the reader its finders use.
"""

import os
import sys

import pyimod01_archive
import pyimod02_importers

pyimod02_importers.pyz_archive = pyimod01_archive.ZlibArchiveReader(
    os.path.join(sys._MEIPASS, "modules.pyz"), check_pymagic=True
)
pyimod02_importers._pyz_tree = None  # the package tree some hooks walk, rebuilt from the shared archive
sys.path_importer_cache.clear()  # the finders made so far hold the small archive
