"""``python -m analysis``: run the pipeline CLI."""

import sys

from .cli import main

sys.exit(main())
