import sys

from tama_desk.app import main

sys.exit(main())
