"""Full control: the generated low-level client, against the local Baidu-compatible service.

The generated client (``baidu_ocr_client``) is the request path the SDK itself uses: give its ``Client`` an auth
object, pass the image's raw bytes and Python booleans, and get the generated models back with the HTTP status,
headers and body. Nothing is encoded by hand.

    python examples/raw_client.py [IMAGE]
"""

from __future__ import annotations

import sys
from pathlib import Path

from baidu_ocr import ClientCredentialsAuth
from baidu_ocr_client import Client
from baidu_ocr_client.api.ocr import general_basic
from baidu_ocr_client.models import GeneralBasicRequest, OcrError, OcrResult
from baidu_ocr_server.embedded import LocalService

SAMPLE = Path(__file__).with_name("sample.png")


def main() -> None:
    image = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    with LocalService() as service:
        auth = ClientCredentialsAuth(service.api_key, service.secret_key)
        with Client(base_url=service.base_url, auth=auth) as client:
            body = GeneralBasicRequest(image=image.read_bytes(), probability=True)
            response = general_basic.sync_detailed(client=client, body=body)
    answer = response.parsed
    if isinstance(answer, OcrError):
        raise SystemExit(f"error {answer.error_code}: {answer.error_msg}")
    assert isinstance(answer, OcrResult)
    print(f"HTTP {response.status_code}, log_id {answer.log_id}", file=sys.stderr)
    for line in answer.words_result:
        print(line.words)


if __name__ == "__main__":
    main()
