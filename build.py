#!/usr/bin/env python3
"""Build, check or preview the site: a thin entry point to :mod:`sitegen.cli`.

    python build.py            # build into public/
    python build.py serve      # preview on http://127.0.0.1:8000/ with live reload
    python build.py --help     # everything else
"""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
