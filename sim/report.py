"""``python -m sim.report DIR``: the report of a sweep (``sim.app.report``)."""

import sys

from sim.app.report import main

if __name__ == "__main__":
    sys.exit(main())
