#!/usr/bin/env python3
"""Build, check or preview the site: a thin entry point to :mod:`sitegen.cli`.

python build.py            # build into public/
python build.py serve      # preview on http://127.0.0.1:8000/ with live reload
python build.py --help     # everything else
"""

import gc
import os
import sys

# One command, then os._exit: the cycle collector is off from here on.  A build makes a large,
# long-lived graph and almost no cyclic garbage, and the exit frees everything at once;
# collecting was about a tenth of a one-edit rebuild's CPU time (imports included).  The
# forked workers and the other commands (serve runs for hours) turn it back on (sitegen.collector).
gc.disable()

from sitegen.cli import main  # noqa: E402 - after the collector is off: importing is a third of an edit

if __name__ == "__main__":
    code = main()
    # Every file the command wrote is closed and renamed into place by now; skipping the
    # interpreter's teardown (freeing the whole site object by object) saves about a tenth
    # of a one-edit rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
