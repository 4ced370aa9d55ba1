"""``python -m shopsync.shopify.cost_schemas``: regenerate the files from shopsync.schemas."""

import sys

from shopsync.shopify.cost_schema import main

sys.exit(main())
