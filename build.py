#!/usr/bin/env python3
"""Build, check or preview the site: a thin entry point to :mod:`sitegen.cli`.

python build.py            # build into public/
python build.py serve      # preview on http://127.0.0.1:8000/ with live reload
python build.py --help     # everything else
"""

import os
import sys

from sitegen.cli import main

if __name__ == "__main__":
    code = main()
    # Every file the command wrote is closed and renamed into place by now; skipping the
    # interpreter's teardown (freeing the whole site object by object) saves about a tenth
    # of a one-edit rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
