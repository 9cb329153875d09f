from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rate_card_input import RateCardInput
from ...models.rate_card_view import RateCardView
from ...types import UNSET, Response


def _get_kwargs(
    carrier_account: str,
    *,
    body: RateCardInput | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/rate-cards/{carrier_account}".format(
            carrier_account=quote(str(carrier_account), safe=""),
        ),
    }

    if isinstance(body, RateCardInput):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, str):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateCardView | None:
    if response.status_code == 200:
        response_200 = RateCardView.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = RateCardView.from_dict(response.json())

        return response_201

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

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[Problem | RateCardView]:
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
    body: RateCardInput | str | Unset = UNSET,
) -> Response[Problem | RateCardView]:
    """Uploads the account's card (JSON, or CSV with `Content-Type: text/csv`); it becomes the
    active version at once.

    Args:
        carrier_account (str):
        body (RateCardInput): A rate card as uploaded. Unknown fields are refused, so a misspelt
            setting cannot be
            silently ignored.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateCardView]
    """

    kwargs = _get_kwargs(
        carrier_account=carrier_account,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    body: RateCardInput | str | Unset = UNSET,
) -> Problem | RateCardView | None:
    """Uploads the account's card (JSON, or CSV with `Content-Type: text/csv`); it becomes the
    active version at once.

    Args:
        carrier_account (str):
        body (RateCardInput): A rate card as uploaded. Unknown fields are refused, so a misspelt
            setting cannot be
            silently ignored.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateCardView
    """

    return sync_detailed(
        carrier_account=carrier_account,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    body: RateCardInput | str | Unset = UNSET,
) -> Response[Problem | RateCardView]:
    """Uploads the account's card (JSON, or CSV with `Content-Type: text/csv`); it becomes the
    active version at once.

    Args:
        carrier_account (str):
        body (RateCardInput): A rate card as uploaded. Unknown fields are refused, so a misspelt
            setting cannot be
            silently ignored.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateCardView]
    """

    kwargs = _get_kwargs(
        carrier_account=carrier_account,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    carrier_account: str,
    *,
    client: AuthenticatedClient,
    body: RateCardInput | str | Unset = UNSET,
) -> Problem | RateCardView | None:
    """Uploads the account's card (JSON, or CSV with `Content-Type: text/csv`); it becomes the
    active version at once.

    Args:
        carrier_account (str):
        body (RateCardInput): A rate card as uploaded. Unknown fields are refused, so a misspelt
            setting cannot be
            silently ignored.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateCardView
    """

    return (
        await asyncio_detailed(
            carrier_account=carrier_account,
            client=client,
            body=body,
        )
    ).parsed
