"""``python -m sim.staffing [OVERRIDES] [--out FILE]``: a staffing plan from the forecast
(``sim.app.plan_command``)."""

import sys

from sim.app.plan_command import main

if __name__ == "__main__":
    sys.exit(main())
