"""Entry of TamaDeskCli.exe (console): `TamaDeskCli.exe self-test`, etc., like `python -m tama_desk ARGS`."""

import sys

from tama_desk.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
