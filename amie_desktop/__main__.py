"""Run the app with `python -m amie_desktop`."""

import sys

from amie_desktop.app import main

sys.exit(main())
