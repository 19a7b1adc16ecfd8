"""The main job: OCR of a sample image through the SDK, against the local Baidu-compatible service.

No Baidu account and no internet: the local service is started for the purpose on 127.0.0.1, and the SDK talks
to it over the real HTTP API (token first, then OCR), exactly as it talks to Baidu.

    python examples/quickstart.py [IMAGE]
"""

from __future__ import annotations

import sys
from pathlib import Path

from baidu_ocr import OCR
from baidu_ocr_server.embedded import LocalService

SAMPLE = Path(__file__).with_name("sample.png")


def main() -> None:
    image = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    with LocalService() as service:
        print(f"local OCR service at {service.base_url}", file=sys.stderr)
        with OCR(service.api_key, service.secret_key, base_url=service.base_url) as ocr:
            result = ocr.general_basic(image, probability=True, detect_direction=True)
    print(result.text)
    confidences = [c for c in result.confidences if c is not None]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    print(f"\n{len(result.lines)} lines, mean confidence {mean:.3f}, log_id {result.request_id}", file=sys.stderr)


if __name__ == "__main__":
    main()
