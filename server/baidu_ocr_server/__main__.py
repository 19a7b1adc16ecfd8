"""``python -m baidu_ocr_server``: see :func:`baidu_ocr_server.serve.main`."""

import sys

from .serve import main

sys.exit(main())
