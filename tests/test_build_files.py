"""Files the Windows build reads with the system's ANSI code page must stay ASCII."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_requirement_files_are_ascii():
    """pip on Windows decodes requirements files in the ANSI code page (cp1252 under Wine): one Japanese
    comment breaks the build."""
    for path in [*ROOT.glob("requirements*.txt"), ROOT / "installer" / "build-requirements.txt"]:
        text = path.read_bytes()
        assert text.isascii(), f"{path.name}: byte {next(b for b in text if b > 127):#x} is not ASCII"
