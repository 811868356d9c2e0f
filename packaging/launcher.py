"""Entry point for the frozen app (PyInstaller runs this file as a script)."""

import sys

from amie_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
