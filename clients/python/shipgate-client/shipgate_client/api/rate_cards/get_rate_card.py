from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rate_card_detail import RateCardDetail
from ...types import UNSET, Response, Unset


def _get_kwargs(
    carrier_account: str,
    *,
    version: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["version"] = version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/rate-cards/{carrier_account}".format(
            carrier_account=quote(str(carrier_account), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RateCardDetail | None:
    if response.status_code == 200:
        response_200 = RateCardDetail.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RateCardDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
) -> Response[Problem | RateCardDetail]:
    """One account's active card (or `?version=N`) and its version history.

    Args:
        carrier_account (str):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateCardDetail]
    """

    kwargs = _get_kwargs(
        carrier_account=carrier_account,
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
) -> Problem | RateCardDetail | None:
    """One account's active card (or `?version=N`) and its version history.

    Args:
        carrier_account (str):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateCardDetail
    """

    return sync_detailed(
        carrier_account=carrier_account,
        client=client,
        version=version,
    ).parsed


async def asyncio_detailed(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
) -> Response[Problem | RateCardDetail]:
    """One account's active card (or `?version=N`) and its version history.

    Args:
        carrier_account (str):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateCardDetail]
    """

    kwargs = _get_kwargs(
        carrier_account=carrier_account,
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
) -> Problem | RateCardDetail | None:
    """One account's active card (or `?version=N`) and its version history.

    Args:
        carrier_account (str):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateCardDetail
    """

    return (
        await asyncio_detailed(
            carrier_account=carrier_account,
            client=client,
            version=version,
        )
    ).parsed
