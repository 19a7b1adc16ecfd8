"""Download the image behind a ``url`` parameter, refusing private destinations (SSRF protection).

Every hop (the URL and each redirect, at most :data:`MAX_REDIRECTS`) is checked the same way: scheme ``http`` or
``https``, a host name, and every address the host resolves to must be public (not private, loopback,
link-local, shared/CGNAT, multicast, reserved or unspecified; every IPv6 form that carries an IPv4 address is
judged by that address, see :func:`address_allowed`) unless
``allow_private`` is set or the address is in one of ``allow_networks``. The connection then goes to the very
address that was checked (the request URL holds the IP; ``Host`` and TLS SNI/certificate checks use the name),
so DNS rebinding between check and connect is not possible.

Error codes:

=========  ========================================================================================
282114     empty or longer than the endpoint's ``max_url_bytes`` (checked by the caller)
282111     malformed, not http(s), no host, or a destination that is not allowed (any hop)
282110     the host does not resolve, or refuses / cannot be reached ("url does not exist")
282112     the whole download took longer than the timeout
282113     a status other than 200, too many redirects, a broken transfer, or a body that is not an image
216202     the body is larger than the cap (the endpoint's size limit, base64-encoded)
=========  ========================================================================================
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import httpx

from baidu_ocr_spec import ErrorCode

from .responses import InBandError

__all__ = [
    "MAX_REDIRECTS",
    "FetchPolicy",
    "address_allowed",
    "fetch_url",
]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "baidu-ocr-local-service"


@dataclass(frozen=True)
class FetchPolicy:
    """How ``url`` downloads behave."""

    timeout: float = 10.0
    max_bytes: int = 4 * 1024 * 1024
    allow_private: bool = False
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    """Networks allowed even when ``allow_private`` is off."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: IPAddress, policy: FetchPolicy) -> bool:
    """Whether a download may connect to ``address``.

    An IPv6 address that carries an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``,
    IPv4-translated ``::ffff:0:a.b.c.d``, 6to4, Teredo server and client, NAT64 ``64:ff9b::/96``) is judged by
    every IPv4 address it carries; the local-use NAT64 prefix ``64:ff9b:1::/48`` (RFC 8215) is never public.
    Everything else must be public by the standard library's properties.
    """
    if policy.allow_private:
        return True
    if any(address.version == network.version and address in network for network in policy.allow_networks):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL_USE:
            return False
        embedded = _embedded_ipv4(address)
        if embedded:
            return all(address_allowed(inner, policy) for inner in embedded)
    return _public(address)


def _public(address: IPAddress) -> bool:
    """Public by every property the standard library knows (not just ``is_global``, whose meaning varies)."""
    if not address.is_global:
        return False
    refused = (
        address.is_private,
        address.is_multicast,
        address.is_loopback,
        address.is_link_local,
        address.is_unspecified,
        address.is_reserved,
        isinstance(address, ipaddress.IPv6Address) and address.is_site_local,
    )
    return not any(refused)


_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
_LOW_32_BITS = 0xFFFFFFFF


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for or routes to, so that each is checked too."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)  # (server, client)
    if any(address in network for network in (_IPV4_COMPATIBLE, _IPV4_TRANSLATED, _NAT64)):
        found.append(ipaddress.IPv4Address(int(address) & _LOW_32_BITS))
    return found


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InBandError(ErrorCode.URL_FORMAT_ILLEGAL, "malformed url") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InBandError(ErrorCode.URL_FORMAT_ILLEGAL, f"scheme {parsed.scheme!r} / host {parsed.host!r}")
    return parsed


async def _resolve(url: httpx.URL, policy: FetchPolicy) -> list[IPAddress]:
    """All addresses of ``url``'s host, each checked; raises 282111 if any is forbidden, 282110 if none."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise InBandError(ErrorCode.URL_NOT_EXIST, "host does not resolve") from None
        addresses = []
        for _family, _type, _proto, _name, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
    if not addresses:
        raise InBandError(ErrorCode.URL_NOT_EXIST, "host has no address")
    for address in addresses:
        if not address_allowed(address, policy):
            raise InBandError(ErrorCode.URL_FORMAT_ILLEGAL, "destination address not allowed")
    return addresses


async def _get_once(
    client: httpx.AsyncClient, url: httpx.URL, addresses: list[IPAddress], max_bytes: int
) -> tuple[httpx.URL | None, bytes]:
    """One request (trying each checked address); returns ``(redirect target, b"")`` or ``(None, body)``."""
    host_header = url.netloc.decode("ascii")
    last_error: Exception | None = None
    for address in addresses:
        request_url = url.copy_with(host=str(address))
        extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
        try:
            async with client.stream(
                "GET",
                request_url,
                headers={"Host": host_header, "User-Agent": _USER_AGENT, "Accept": "image/*"},
                extensions=extensions,
            ) as response:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise InBandError(ErrorCode.URL_RESPONSE_INVALID, "redirect without Location")
                    try:
                        return url.join(location), b""
                    except (httpx.InvalidURL, ValueError):
                        raise InBandError(ErrorCode.URL_FORMAT_ILLEGAL, "malformed redirect") from None
                if response.status_code != 200:
                    raise InBandError(ErrorCode.URL_RESPONSE_INVALID, f"HTTP {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                    raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, f"Content-Length {declared}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, "body too large")
                return None, bytes(body)
        except httpx.TimeoutException:
            raise InBandError(ErrorCode.URL_DOWNLOAD_TIMEOUT) from None
        except httpx.ConnectError as exc:
            last_error = exc
            continue
        except httpx.HTTPError as exc:
            raise InBandError(ErrorCode.URL_RESPONSE_INVALID, f"transfer failed: {type(exc).__name__}") from None
    raise InBandError(ErrorCode.URL_NOT_EXIST, f"cannot connect: {last_error}")


async def fetch_url(url: str, policy: FetchPolicy, client: httpx.AsyncClient | None = None) -> bytes:
    """The body behind ``url`` (not yet checked to be an image); raises :class:`InBandError` as tabled above."""
    current = _parse(url)
    try:
        with anyio.fail_after(policy.timeout):
            async with _client(client, policy.timeout) as http:
                for _hop in range(MAX_REDIRECTS + 1):
                    addresses = await _resolve(current, policy)
                    target, body = await _get_once(http, current, addresses, policy.max_bytes)
                    if target is None:
                        return body
                    current = _parse(str(target))
    except TimeoutError:
        raise InBandError(ErrorCode.URL_DOWNLOAD_TIMEOUT) from None
    raise InBandError(ErrorCode.URL_RESPONSE_INVALID, "too many redirects")


@asynccontextmanager
async def _client(given: httpx.AsyncClient | None, timeout: float) -> AsyncIterator[httpx.AsyncClient]:
    """Use ``given``, or a fresh client (no redirects, no proxies from the environment) closed afterwards."""
    if given is not None:
        yield given
        return
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False, timeout=timeout) as client:
        yield client
