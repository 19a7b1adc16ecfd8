"""``url`` inputs: downloads from real local servers, error codes, and SSRF refusals (including redirects)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import httpx
import pytest
from responder import Answer, Responder
from servicekit import ACCURATE, GENERAL, Api, FakeEngine, Redirector, make_config, png

from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.fetch import FetchPolicy, address_allowed


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "ff02::1",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo of 10.0.0.1
        # every IPv6 spelling that carries a non-public IPv4 address
        "::127.0.0.1",  # IPv4-compatible
        "::10.0.0.1",
        "::169.254.169.254",
        "::ffff:0:127.0.0.1",  # IPv4-translated
        "::ffff:0:192.168.1.1",
        "::ffff:169.254.169.254",  # IPv4-mapped
        "64:ff9b::127.0.0.1",  # NAT64 well-known prefix
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::a00:1",  # NAT64 local-use prefix (RFC 8215)
        "64:ff9b:1::808:808",  # local use: never public, whatever it carries
        "64:ff9b:1:ffff::",
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:c0a8:101::",  # 6to4 of 192.168.1.1
        "2001:0:808:808:0:0:80ff:fffe",  # Teredo: public server, client 127.0.0.1
        "2001:0:a00:1:0:0:f7f7:f7f7",  # Teredo: private server 10.0.0.1, public client 8.8.8.8
        "fec0::1",  # site-local
        "2001:db8::1",  # documentation
        "100::1",  # discard-only
    ],
)
def test_private_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert not address_allowed(ip, FetchPolicy())
    assert address_allowed(ip, FetchPolicy(allow_private=True))


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "2001:4860:4860::8888",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::",
        "::8.8.8.8",  # IPv4-compatible of a public address
        "::ffff:0:8.8.8.8",  # IPv4-translated of a public address
    ],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(ipaddress.ip_address(address), FetchPolicy())


def test_allow_networks() -> None:
    policy = FetchPolicy(allow_networks=(ipaddress.ip_network("10.1.0.0/16"),))
    assert address_allowed(ipaddress.ip_address("10.1.2.3"), policy)
    assert not address_allowed(ipaddress.ip_address("10.2.0.1"), policy)
    assert address_allowed(ipaddress.ip_address("::ffff:10.1.2.3"), policy)  # judged by the address it carries
    assert not address_allowed(ipaddress.ip_address("::10.2.0.1"), policy)


def _image_route(responder: Responder, path: str = "/img.png", size: tuple[int, int] = (50, 40)) -> str:
    responder.route(path, Answer(body=png(*size), content_type="image/png"))
    return responder.base_url + path


# --- private destinations allowed (the loopback responder is reachable) ------------------------------------------


def test_url_download(open_api: Api, responder: Responder) -> None:
    body = open_api.ocr(url=_image_route(responder), probability="true")
    assert body["words_result_num"] == 3
    assert open_api.engine.calls[0].size == (50, 40)
    (request,) = responder.calls("/img.png")
    assert request.method == "GET"
    assert request.headers["host"] == responder.base_url.removeprefix("http://")


def test_url_download_on_accurate_with_a_wrong_content_type(open_api: Api, responder: Responder) -> None:
    responder.route("/x", Answer(body=png(30, 30, "JPEG"), content_type="application/octet-stream"))
    assert open_api.ocr(ACCURATE, url=responder.base_url + "/x")["words_result_num"] == 3


def test_redirect_is_followed(open_api: Api, responder: Responder, redirector: Redirector) -> None:
    redirector.target = _image_route(responder)
    assert open_api.ocr(url=redirector.base_url + "/start")["words_result_num"] == 3


def test_redirect_loop_282113(open_api: Api, redirector: Redirector) -> None:
    redirector.target = redirector.base_url + "/again"
    assert open_api.ocr(url=redirector.base_url + "/start")["error_code"] == 282113


@pytest.mark.parametrize(
    "answer",
    [
        Answer(status=404, body=b"<html>missing</html>", content_type="text/html"),
        Answer(status=500, body=b"{}"),
        Answer(status=200, body=b"<html>an image, honest</html>", content_type="text/html"),
        Answer(status=200, body=b"", content_type="image/png"),
        Answer(status=204, body=b""),
    ],
)
def test_bad_responses_282113(open_api: Api, responder: Responder, answer: Answer) -> None:
    responder.route("/bad", answer)
    body = open_api.ocr(url=responder.base_url + "/bad")
    assert body["error_code"] == 282113
    assert body["error_msg"] == "url response invalid"


def test_download_timeout_282112(open_api: Api, responder: Responder) -> None:
    responder.route("/slow", Answer(body=png(), content_type="image/png", delay=2.0))
    body = open_api.ocr(url=responder.base_url + "/slow")
    assert body["error_code"] == 282112
    assert body["error_msg"] == "url download timeout"


def test_download_too_large_216202(open_api: Api, responder: Responder) -> None:
    responder.route("/big", Answer(body=png() + b"\0" * 250_000, content_type="image/png"))
    assert open_api.ocr(url=responder.base_url + "/big")["error_code"] == 216202


def test_downloaded_image_sides_216202(open_api: Api, responder: Responder) -> None:
    assert open_api.ocr(url=_image_route(responder, size=(10, 10)))["error_code"] == 216202


def test_connection_refused_282110(open_api: Api) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    body = open_api.ocr(url=f"http://127.0.0.1:{port}/img.png")
    assert body["error_code"] == 282110
    assert body["error_msg"] == "urls not exit"


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/a.png", "file:///etc/passwd", "http://", "not a url", "//127.0.0.1/a.png", "http://[::1/x"],
)
def test_malformed_url_282111(open_api: Api, url: str) -> None:
    assert open_api.ocr(url=url)["error_code"] == 282111


@pytest.mark.parametrize("url", ["", "http://example.com/" + "a" * 1006, "http://example.com/" + "中" * 336])
def test_url_length_282114(open_api: Api, url: str) -> None:
    assert len(url.encode()) == 0 or len(url.encode()) > 1024
    body = open_api.ocr(url=url)
    assert body["error_code"] == 282114
    assert body["error_msg"] == "url size error"


def test_url_of_exactly_1024_bytes_is_not_too_long(open_api: Api, responder: Responder) -> None:
    url = _image_route(responder)
    url += "?" + "a" * (1024 - len(url) - 1)
    assert len(url) == 1024
    assert open_api.ocr(url=url)["words_result_num"] == 3


# --- private destinations refused (the default) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "0.0.0.0",
        "169.254.169.254",
        "10.0.0.1",
        "[::127.0.0.1]",
        "[::ffff:0:127.0.0.1]",
        "[::ffff:127.0.0.1]",
        "[64:ff9b:1::7f00:1]",
    ],
)
def test_private_destination_refused_282111(api: Api, responder: Responder, host: str) -> None:
    port = responder.base_url.rsplit(":", 1)[1]
    body = api.ocr(url=f"http://{host}:{port}/img.png")
    assert body["error_code"] == 282111
    assert responder.requests == []


@pytest.fixture(scope="module")
def loopback_only() -> Iterator[Api]:
    """Private destinations refused, except 127.0.0.1 itself (so a local redirector can be the first hop)."""
    engine = FakeEngine()
    config = make_config(url_allow_networks=("127.0.0.1/32",))
    with (
        LocalService(config, engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=30.0, trust_env=False) as http,
    ):
        yield Api(service, engine, http)


def test_allowed_network_is_reachable(loopback_only: Api, responder: Responder, redirector: Redirector) -> None:
    redirector.target = _image_route(responder)
    assert loopback_only.ocr(url=redirector.base_url + "/")["words_result_num"] == 3


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/img.png",  # loopback, but outside the allowed network
        "http://[::1]:{port}/img.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/img.png",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_private_address_refused_282111(
    loopback_only: Api, responder: Responder, redirector: Redirector, target: str
) -> None:
    port = responder.base_url.rsplit(":", 1)[1]
    _image_route(responder)
    redirector.target = target.format(port=port)
    body = loopback_only.ocr(GENERAL, url=redirector.base_url + "/start")
    assert body["error_code"] == 282111
    assert body["error_msg"] == "url format illegal"
    assert responder.requests == []
