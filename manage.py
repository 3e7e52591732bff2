#!/usr/bin/env python
"""Django's manage.py for a source checkout; the same as the installed `kabinet` command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from kabinet.cli import main

if __name__ == "__main__":
    main()
