"""``python -m sim``: the supportsim command line."""

from sim.cli import main

if __name__ == "__main__":
    main()
