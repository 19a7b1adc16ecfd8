from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.general_basic_request import GeneralBasicRequest
from ...models.ocr_error import OcrError
from ...models.ocr_result import OcrResult
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: GeneralBasicRequest,
    access_token: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["access_token"] = access_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rest/2.0/ocr/v1/general_basic",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OcrError | OcrResult | None:
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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OcrError | OcrResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GeneralBasicRequest,
    access_token: str,
) -> Response[OcrError | OcrResult]:
    """General text recognition, standard edition.

     Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least
    15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Args:
        access_token (str):
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`,
            `pdf_file`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OcrError | OcrResult]
    """

    kwargs = _get_kwargs(
        body=body,
        access_token=access_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: GeneralBasicRequest,
    access_token: str,
) -> OcrError | OcrResult | None:
    """General text recognition, standard edition.

     Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least
    15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Args:
        access_token (str):
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`,
            `pdf_file`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OcrError | OcrResult
    """

    return sync_detailed(
        client=client,
        body=body,
        access_token=access_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GeneralBasicRequest,
    access_token: str,
) -> Response[OcrError | OcrResult]:
    """General text recognition, standard edition.

     Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least
    15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Args:
        access_token (str):
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`,
            `pdf_file`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OcrError | OcrResult]
    """

    kwargs = _get_kwargs(
        body=body,
        access_token=access_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GeneralBasicRequest,
    access_token: str,
) -> OcrError | OcrResult | None:
    """General text recognition, standard edition.

     Recognizes all text in one image, PDF page or image URL. Exactly one input is used, by priority
    `image` > `url` > `pdf_file`. Limits: base64 then urlencoded size at most 4 MiB, shortest side at
    least
    15 px, longest side at most 4096 px, jpg/jpeg/png/bmp; url at most 1024 bytes.

    Args:
        access_token (str):
        body (GeneralBasicRequest): Form body of `general_basic`. Exactly one of `image`, `url`,
            `pdf_file`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OcrError | OcrResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            access_token=access_token,
        )
    ).parsed
