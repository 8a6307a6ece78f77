"""Entry of TamaDesk.exe (windowed): opens the main window, like `python -m tama_desk`."""

import sys

from tama_desk.cli import main

if __name__ == "__main__":
    # Explorer and shortcuts start the program without arguments; the window is
    # what it opens then. Arguments (if any) are passed on unchanged.
    sys.exit(main(sys.argv[1:]))
