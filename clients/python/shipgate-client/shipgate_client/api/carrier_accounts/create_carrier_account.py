from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_answer import AccountAnswer
from ...models.account_input import AccountInput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AccountInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/carrier-accounts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountAnswer | Problem | None:
    if response.status_code == 201:
        response_201 = AccountAnswer.from_dict(response.json())

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

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccountAnswer | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AccountInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[AccountAnswer | Problem]:
    """Add one of the tenant's own carrier accounts.

     The credentials are checked with the carrier first where it has a cheap authenticated
    call (Delhivery: a pincode query; Shiprocket: a login): a refusal is a 422 at
    `/credentials` in the carrier's words, and nothing is saved. The answer carries the
    account's push secret, shown this once; `push_url` is where the carrier should push
    its tracking scans.

    Args:
        idempotency_key (str | Unset):
        body (AccountInput): A new carrier account. (No `Debug`: it holds credentials.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountAnswer | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AccountInput,
    idempotency_key: str | Unset = UNSET,
) -> AccountAnswer | Problem | None:
    """Add one of the tenant's own carrier accounts.

     The credentials are checked with the carrier first where it has a cheap authenticated
    call (Delhivery: a pincode query; Shiprocket: a login): a refusal is a 422 at
    `/credentials` in the carrier's words, and nothing is saved. The answer carries the
    account's push secret, shown this once; `push_url` is where the carrier should push
    its tracking scans.

    Args:
        idempotency_key (str | Unset):
        body (AccountInput): A new carrier account. (No `Debug`: it holds credentials.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountAnswer | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AccountInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[AccountAnswer | Problem]:
    """Add one of the tenant's own carrier accounts.

     The credentials are checked with the carrier first where it has a cheap authenticated
    call (Delhivery: a pincode query; Shiprocket: a login): a refusal is a 422 at
    `/credentials` in the carrier's words, and nothing is saved. The answer carries the
    account's push secret, shown this once; `push_url` is where the carrier should push
    its tracking scans.

    Args:
        idempotency_key (str | Unset):
        body (AccountInput): A new carrier account. (No `Debug`: it holds credentials.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountAnswer | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AccountInput,
    idempotency_key: str | Unset = UNSET,
) -> AccountAnswer | Problem | None:
    """Add one of the tenant's own carrier accounts.

     The credentials are checked with the carrier first where it has a cheap authenticated
    call (Delhivery: a pincode query; Shiprocket: a login): a refusal is a 422 at
    `/credentials` in the carrier's words, and nothing is saved. The answer carries the
    account's push secret, shown this once; `push_url` is where the carrier should push
    its tracking scans.

    Args:
        idempotency_key (str | Unset):
        body (AccountInput): A new carrier account. (No `Debug`: it holds credentials.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountAnswer | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
