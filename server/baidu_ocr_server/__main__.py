"""``python -m baidu_ocr_server``: the ``serve`` command of :mod:`baidu_ocr_server.cli`."""

from .cli import main

if __name__ == "__main__":
    main()
