"""Entry of TamaDeskCli.exe (console): `TamaDeskCli.exe self-test`, etc., like `python -m tama_desk ARGS`."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a process pool's worker (PDF batches) stops here
    from tama_desk.cli import main

    sys.exit(main(sys.argv[1:]))
