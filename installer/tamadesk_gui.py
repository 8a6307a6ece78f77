"""Entry of TamaDesk.exe (windowed): opens the main window, like `python -m tama_desk`."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First of all: a worker process of a process pool (PDF batches) starts here too and must stop here.
    multiprocessing.freeze_support()
    # System-DPI-aware before any window exists (also before the second-instance question).
    from tama_desk.app import declare_dpi_awareness

    declare_dpi_awareness()
    from tama_desk.app import main

    # Explorer and shortcuts start the program without arguments; the window is
    # what it opens then. Arguments (if any) are passed on unchanged.
    sys.exit(main(sys.argv[1:]))
