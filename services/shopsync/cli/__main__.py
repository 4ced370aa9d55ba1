"""``python -m shopsync.cli``: the ``shopsync`` command."""

from shopsync.cli import main

main()
