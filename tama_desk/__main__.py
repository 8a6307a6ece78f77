import sys

from tama_desk.cli import main

sys.exit(main())
