from typing import Any, Final

import httpx

from ... import errors
from ...client import Client
from ...models.o_auth_error import OAuthError
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from ...types import UNSET, Response, Unset, http_status

METHOD: Final = "POST"
PATH: Final = "/oauth/2.0/token"
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, RecursionError)
"""What ``json.loads`` and the models' ``from_dict`` raise for a body that is not the documented JSON."""


def request_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    """The arguments of ``httpx.Client.request`` for this operation (method, URL path, headers, body), without
    credentials: send them with an httpx client that has the ``base_url``."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": METHOD,
        "url": PATH,
    }

    _kwargs["content"] = body.to_form()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


_get_kwargs = request_kwargs


def parse_response(
    response: httpx.Response, *, raise_on_unexpected_status: bool = False
) -> OAuthError | TokenResponse | None:
    """The parsed body of a documented status; for another status ``None``, or ``errors.UnexpectedStatus`` when
    ``raise_on_unexpected_status``. Needs no client.

    Raises:
        errors.UnexpectedResponse: A documented status whose body is not the documented JSON. Its message holds
            the status and the body's length, never the body.
    """
    try:
        if response.status_code == 200:
            response_200 = TokenResponse.from_dict(response.json())

            return response_200

        if response.status_code == 400:
            response_400 = OAuthError.from_dict(response.json())

            return response_400

        if response.status_code == 401:
            response_401 = OAuthError.from_dict(response.json())

            return response_401

    except _MALFORMED:
        raise errors.UnexpectedResponse(
            response.status_code, response.content
        ) from None
    if raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def _build_response(
    *, client: Client, response: httpx.Response
) -> Response[OAuthError | TokenResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parse_response(
            response, raise_on_unexpected_status=client.raise_on_unexpected_status
        ),
    )


def _send_kwargs(
    *,
    body: TokenRequest,
    timeout: httpx.Timeout | float | None | Unset,
) -> dict[str, Any]:
    kwargs = request_kwargs(
        body=body,
    )
    if not isinstance(timeout, Unset):
        kwargs["timeout"] = timeout
    # The spec's `security: []`: never run the client's auth flow for this request.
    kwargs["auth"] = None
    return kwargs


def sync_detailed(
    *,
    client: Client,
    body: TokenRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[OAuthError | TokenResponse]:
    """Exchange an API key and secret key for an access token (about 30 days).

    Client-credentials grant. Send the credentials in the form body, never in the URL (the official SDK
    puts them in the query string, which leaks the secret into proxy logs and exception texts).

    Needs no credentials: the request is sent without the client's ``auth``.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (TokenRequest): The request body.
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        Response[OAuthError | TokenResponse]
    """

    response = client.get_httpx_client().request(
        **_send_kwargs(body=body, timeout=timeout)
    )
    return _build_response(client=client, response=response)


def sync(
    *,
    client: Client,
    body: TokenRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> OAuthError | TokenResponse | None:
    """Exchange an API key and secret key for an access token (about 30 days).

    Client-credentials grant. Send the credentials in the form body, never in the URL (the official SDK
    puts them in the query string, which leaks the secret into proxy logs and exception texts).

    Needs no credentials: the request is sent without the client's ``auth``.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (TokenRequest): The request body.
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        OAuthError | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        timeout=timeout,
    ).parsed


async def asyncio_detailed(
    *,
    client: Client,
    body: TokenRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[OAuthError | TokenResponse]:
    """Exchange an API key and secret key for an access token (about 30 days).

    Client-credentials grant. Send the credentials in the form body, never in the URL (the official SDK
    puts them in the query string, which leaks the secret into proxy logs and exception texts).

    Needs no credentials: the request is sent without the client's ``auth``.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (TokenRequest): The request body.
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        Response[OAuthError | TokenResponse]
    """

    response = await client.get_async_httpx_client().request(
        **_send_kwargs(body=body, timeout=timeout)
    )
    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: Client,
    body: TokenRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> OAuthError | TokenResponse | None:
    """Exchange an API key and secret key for an access token (about 30 days).

    Client-credentials grant. Send the credentials in the form body, never in the URL (the official SDK
    puts them in the query string, which leaks the secret into proxy logs and exception texts).

    Needs no credentials: the request is sent without the client's ``auth``.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (TokenRequest): The request body.
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        OAuthError | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            timeout=timeout,
        )
    ).parsed
