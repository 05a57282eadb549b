"""``python -m analysis``: see :mod:`analysis.pipeline.cli`."""

import sys

from analysis.pipeline.cli import main

sys.exit(main())
