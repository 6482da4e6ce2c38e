"""``python -m warcite``: the same as the ``warcite`` command."""

from warcite.cli import main

if __name__ == "__main__":
    main()
