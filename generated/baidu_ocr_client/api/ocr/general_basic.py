from typing import Any, Final

import httpx

from ... import errors
from ...client import Client
from ...models.general_basic_request import GeneralBasicRequest
from ...models.ocr_error import OcrError
from ...models.ocr_result import OcrResult
from ...types import UNSET, Response, Unset, http_status

METHOD: Final = "POST"
PATH: Final = "/rest/2.0/ocr/v1/general_basic"
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, RecursionError)
"""What ``json.loads`` and the models' ``from_dict`` raise for a body that is not the documented JSON."""


def request_kwargs(
    *,
    body: GeneralBasicRequest,
) -> dict[str, Any]:
    """The arguments of ``httpx.Client.request`` for this operation (method, URL path, headers, body), without
    credentials: send them with an httpx client that has the ``base_url`` and the ``auth``."""
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
) -> OcrError | OcrResult | None:
    """The parsed body of a documented status; for another status ``None``, or ``errors.UnexpectedStatus`` when
    ``raise_on_unexpected_status``. Needs no client.

    Raises:
        errors.UnexpectedResponse: A documented status whose body is not the documented JSON. Its message holds
            the status and the body's length, never the body.
    """
    try:
        if response.status_code == 200:

            def _parse_response_200(data: object) -> OcrError | OcrResult:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    response_200_type_0 = OcrError.from_dict(data)

                    return response_200_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_1 = OcrResult.from_dict(data)

                return response_200_type_1

            response_200 = _parse_response_200(response.json())

            return response_200

    except _MALFORMED:
        raise errors.UnexpectedResponse(
            response.status_code, response.content
        ) from None
    if raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def _build_response(
    *, client: Client, response: httpx.Response
) -> Response[OcrError | OcrResult]:
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
    body: GeneralBasicRequest,
    timeout: httpx.Timeout | float | None | Unset,
) -> dict[str, Any]:
    kwargs = request_kwargs(
        body=body,
    )
    if not isinstance(timeout, Unset):
        kwargs["timeout"] = timeout
    return kwargs


def sync_detailed(
    *,
    client: Client,
    body: GeneralBasicRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[OcrError | OcrResult]:
    """General text recognition, standard edition.

    Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least 15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Credentials come from the ``httpx.Auth`` installed on the client, ``Client(base_url=..., auth=...)``; this
    function takes none.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`, `pdf_file`.
            Files (``image``, ``pdf_file``) are the file's raw bytes: the client base64-encodes and
            form-escapes them (pass a ``form.EncodedFile`` to send an already encoded file as is).
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        Response[OcrError | OcrResult]
    """

    response = client.get_httpx_client().request(
        **_send_kwargs(body=body, timeout=timeout)
    )
    return _build_response(client=client, response=response)


def sync(
    *,
    client: Client,
    body: GeneralBasicRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> OcrError | OcrResult | None:
    """General text recognition, standard edition.

    Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least 15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Credentials come from the ``httpx.Auth`` installed on the client, ``Client(base_url=..., auth=...)``; this
    function takes none.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`, `pdf_file`.
            Files (``image``, ``pdf_file``) are the file's raw bytes: the client base64-encodes and
            form-escapes them (pass a ``form.EncodedFile`` to send an already encoded file as is).
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        OcrError | OcrResult
    """

    return sync_detailed(
        client=client,
        body=body,
        timeout=timeout,
    ).parsed


async def asyncio_detailed(
    *,
    client: Client,
    body: GeneralBasicRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[OcrError | OcrResult]:
    """General text recognition, standard edition.

    Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least 15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Credentials come from the ``httpx.Auth`` installed on the client, ``Client(base_url=..., auth=...)``; this
    function takes none.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`, `pdf_file`.
            Files (``image``, ``pdf_file``) are the file's raw bytes: the client base64-encodes and
            form-escapes them (pass a ``form.EncodedFile`` to send an already encoded file as is).
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        Response[OcrError | OcrResult]
    """

    response = await client.get_async_httpx_client().request(
        **_send_kwargs(body=body, timeout=timeout)
    )
    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: Client,
    body: GeneralBasicRequest,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> OcrError | OcrResult | None:
    """General text recognition, standard edition.

    Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least 15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Credentials come from the ``httpx.Auth`` installed on the client, ``Client(base_url=..., auth=...)``; this
    function takes none.

    Args:
        client (Client): The connection (base URL, httpx settings, ``auth``).
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`, `pdf_file`.
            Files (``image``, ``pdf_file``) are the file's raw bytes: the client base64-encodes and
            form-escapes them (pass a ``form.EncodedFile`` to send an already encoded file as is).
            Booleans are Python ``bool`` (sent as ``true`` / ``false``); other options go in ``body.additional_properties``.
        timeout (httpx.Timeout | float | None | Unset): This request's timeout, instead of the client's.

    Raises:
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented JSON.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than the timeout.

    Returns:
        OcrError | OcrResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            timeout=timeout,
        )
    ).parsed
