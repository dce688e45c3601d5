"""``python -m sim.collect DIR``: a sweep directory → one table (``sim.app.collect``)."""

import sys

from sim.app.collect import main

if __name__ == "__main__":
    sys.exit(main())
