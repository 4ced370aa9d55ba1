"""Glue job entry script (Glue 5.x: PySpark 3.5, Python 3.11).

Deployed with ``--additional-python-modules`` (or ``--extra-py-files``) pointing at the
shopsync wheel, which carries both ``shopsync`` and ``shopsync_glue``. Everything it runs is
importable and tested; this file only hands over to :func:`shopsync_glue.entry.main`.
"""

import sys

from shopsync_glue.entry import main

if __name__ == "__main__":
    sys.exit(main())
