from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.address_policy_input import AddressPolicyInput
from ...models.address_policy_view import AddressPolicyView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: AddressPolicyInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/address-policy",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AddressPolicyView | Problem | None:
    if response.status_code == 201:
        response_201 = AddressPolicyView.from_dict(response.json())

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
) -> Response[AddressPolicyView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AddressPolicyInput,
) -> Response[AddressPolicyView | Problem]:
    """Replace the tenant's address policy: stored as a new version, in force for the next
    booking.

     Rules are tried in order on every booking's destination; the first that matches
    decides: `block` (422, the reasons at their pointers), `refuse_cod` (a COD booking is
    a 422 at `/payment`; prepaid ones pass on to the next rule), `flag` (booked, flagged)
    or `allow` (booked). No rule matching: booked, not flagged.

    Args:
        body (AddressPolicyInput): A policy as uploaded.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddressPolicyView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AddressPolicyInput,
) -> AddressPolicyView | Problem | None:
    """Replace the tenant's address policy: stored as a new version, in force for the next
    booking.

     Rules are tried in order on every booking's destination; the first that matches
    decides: `block` (422, the reasons at their pointers), `refuse_cod` (a COD booking is
    a 422 at `/payment`; prepaid ones pass on to the next rule), `flag` (booked, flagged)
    or `allow` (booked). No rule matching: booked, not flagged.

    Args:
        body (AddressPolicyInput): A policy as uploaded.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddressPolicyView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AddressPolicyInput,
) -> Response[AddressPolicyView | Problem]:
    """Replace the tenant's address policy: stored as a new version, in force for the next
    booking.

     Rules are tried in order on every booking's destination; the first that matches
    decides: `block` (422, the reasons at their pointers), `refuse_cod` (a COD booking is
    a 422 at `/payment`; prepaid ones pass on to the next rule), `flag` (booked, flagged)
    or `allow` (booked). No rule matching: booked, not flagged.

    Args:
        body (AddressPolicyInput): A policy as uploaded.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddressPolicyView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AddressPolicyInput,
) -> AddressPolicyView | Problem | None:
    """Replace the tenant's address policy: stored as a new version, in force for the next
    booking.

     Rules are tried in order on every booking's destination; the first that matches
    decides: `block` (422, the reasons at their pointers), `refuse_cod` (a COD booking is
    a 422 at `/payment`; prepaid ones pass on to the next rule), `flag` (booked, flagged)
    or `allow` (booked). No rule matching: booked, not flagged.

    Args:
        body (AddressPolicyInput): A policy as uploaded.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddressPolicyView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
