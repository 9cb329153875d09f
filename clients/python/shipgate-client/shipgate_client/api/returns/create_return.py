from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.return_input import ReturnInput
from ...models.shipment_view import ShipmentView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: ReturnInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/shipments/{id}/returns".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ShipmentView | None:
    if response.status_code == 201:
        response_201 = ShipmentView.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = ShipmentView.from_dict(response.json())

        return response_202

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
) -> Response[Problem | ShipmentView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: ReturnInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | ShipmentView]:
    """Book the return of a delivered shipment: a reverse pickup from its buyer back to its
    warehouse, with the same carrier account.

     The answer is the return, a shipment of kind `reverse` linked to this one
    (`forward_shipment_id`); track, label and cancel it like any shipment. `pickup_from`,
    `deliver_to` and `parcels` default to the forward shipment's `to`, `from` and
    `parcels`. One open return per order: another is refused (409 `return_exists`) until
    the first is delivered back or cancelled.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (ReturnInput): A return of a forward shipment: every field but `reason` defaults from
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ShipmentView]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: ReturnInput,
    idempotency_key: str | Unset = UNSET,
) -> Problem | ShipmentView | None:
    """Book the return of a delivered shipment: a reverse pickup from its buyer back to its
    warehouse, with the same carrier account.

     The answer is the return, a shipment of kind `reverse` linked to this one
    (`forward_shipment_id`); track, label and cancel it like any shipment. `pickup_from`,
    `deliver_to` and `parcels` default to the forward shipment's `to`, `from` and
    `parcels`. One open return per order: another is refused (409 `return_exists`) until
    the first is delivered back or cancelled.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (ReturnInput): A return of a forward shipment: every field but `reason` defaults from
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ShipmentView
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: ReturnInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | ShipmentView]:
    """Book the return of a delivered shipment: a reverse pickup from its buyer back to its
    warehouse, with the same carrier account.

     The answer is the return, a shipment of kind `reverse` linked to this one
    (`forward_shipment_id`); track, label and cancel it like any shipment. `pickup_from`,
    `deliver_to` and `parcels` default to the forward shipment's `to`, `from` and
    `parcels`. One open return per order: another is refused (409 `return_exists`) until
    the first is delivered back or cancelled.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (ReturnInput): A return of a forward shipment: every field but `reason` defaults from
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ShipmentView]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: ReturnInput,
    idempotency_key: str | Unset = UNSET,
) -> Problem | ShipmentView | None:
    """Book the return of a delivered shipment: a reverse pickup from its buyer back to its
    warehouse, with the same carrier account.

     The answer is the return, a shipment of kind `reverse` linked to this one
    (`forward_shipment_id`); track, label and cancel it like any shipment. `pickup_from`,
    `deliver_to` and `parcels` default to the forward shipment's `to`, `from` and
    `parcels`. One open return per order: another is refused (409 `return_exists`) until
    the first is delivered back or cancelled.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (ReturnInput): A return of a forward shipment: every field but `reason` defaults from
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ShipmentView
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
