"""``python -m sim.fit INPUT --out DIR/scenario/NAME.yaml``: a scenario preset fitted to a
centre's data (``sim.app.fit_command``)."""

import sys

from sim.app.fit_command import main

if __name__ == "__main__":
    sys.exit(main())
