"""Every file the app writes goes to a temporary name beside its target, then `os.replace`: a crash or a full
disk never leaves half a file under the final name. Temporary names end in `.tmp` and start with a dot, so
`remove_stale` can clear what a killed batch left behind.

    write_bytes(path, data)                  # bytes in memory
    with replacing(path) as tmp: build(tmp)  # something that writes a file itself (sqlite backup, zip)
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 3600


@contextmanager
def replacing(path: Path, private: bool = False) -> Iterator[Path]:
    """A temporary path beside `path`; renamed over `path` when the block ends, removed if it raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=SUFFIX, dir=path.parent)
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        if private:
            make_private(temporary_path)
        _fsync(temporary_path)
        os.replace(temporary_path, path)
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes, private: bool = False) -> Path:
    with replacing(path, private) as temporary, open(temporary, "wb") as file:
        file.write(data)
    return Path(path)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def make_private(path: Path) -> None:
    """Readable by the user only (0600 files, 0700 folders). Windows: the per-user folder already is."""
    try:
        os.chmod(path, 0o700 if Path(path).is_dir() else 0o600)
    except OSError:
        pass


def private_dir(path: Path) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def remove_stale(folder: Path, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove the temporary files a killed batch left in `folder` (not those of a batch still running)."""
    removed = []
    limit = time.time() - older_than
    try:
        candidates = list(Path(folder).glob(f".*{SUFFIX}"))
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if candidate.is_file() and candidate.stat().st_mtime < limit:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            pass
    return removed


# Attachments (vouchers, seals): a copy kept in the data folder under a name of its own.
EXECUTABLE_SUFFIXES = {".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".jar",
                       ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".lnk", ".reg",
                       ".sh", ".py", ".pyw", ".app", ".scf", ".url", ".inf", ".gadget", ".appref-ms"}


def safe_suffix(name: str) -> str:
    """The file's extension, lower case, letters and digits only; an executable one becomes `.bin`."""
    suffix = Path(name).suffix.lower()
    if not suffix or len(suffix) > 10 or not suffix[1:].isalnum() or suffix in EXECUTABLE_SUFFIXES:
        return ".bin" if suffix else ""
    return suffix


def free_name(path: Path) -> Path:
    """`path`, or `name_2.ext`, `name_3.ext` … when it is taken: nothing is ever written over."""
    path = Path(path)
    target, counter = path, 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}_{counter}{path.suffix}")
    return target


def store_copy(source: Path, folder: Path, stem: str) -> Path:
    """Copy `source` into `folder` as `<stem><suffix>`, or `<stem>_2<suffix>` … when that name is taken:
    a file attached again never overwrites the earlier one. Written to a temporary name, then renamed."""
    import shutil

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = free_name(folder / f"{stem}{safe_suffix(Path(source).name)}")
    with replacing(target, private=True) as temporary:
        shutil.copyfile(source, temporary)
    return target
