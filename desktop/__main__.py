"""``python -m desktop ...`` is ``chatguard ...``."""

import sys

from .cli import main

sys.exit(main())
