import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.band import Band
from ...models.booking_state import BookingState
from ...models.problem import Problem
from ...models.shipment_kind import ShipmentKind
from ...models.status import Status
from ...models.sub_status import SubStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: Status | Unset = UNSET,
    sub_status: SubStatus | Unset = UNSET,
    carrier: str | Unset = UNSET,
    order_ref: str | Unset = UNSET,
    awb: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    action_required: bool | Unset = UNSET,
    late: bool | Unset = UNSET,
    booking_state: BookingState | Unset = UNSET,
    weight_discrepancy: str | Unset = UNSET,
    kind: ShipmentKind | Unset = UNSET,
    address_band: Band | Unset = UNSET,
    buyer_phone: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_sub_status: str | Unset = UNSET
    if not isinstance(sub_status, Unset):
        json_sub_status = sub_status.value

    params["sub_status"] = json_sub_status

    params["carrier"] = carrier

    params["order_ref"] = order_ref

    params["awb"] = awb

    json_created_from: str | Unset = UNSET
    if not isinstance(created_from, Unset):
        json_created_from = created_from.isoformat()
    params["created_from"] = json_created_from

    json_created_to: str | Unset = UNSET
    if not isinstance(created_to, Unset):
        json_created_to = created_to.isoformat()
    params["created_to"] = json_created_to

    params["action_required"] = action_required

    params["late"] = late

    json_booking_state: str | Unset = UNSET
    if not isinstance(booking_state, Unset):
        json_booking_state = booking_state.value

    params["booking_state"] = json_booking_state

    params["weight_discrepancy"] = weight_discrepancy

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    json_address_band: str | Unset = UNSET
    if not isinstance(address_band, Unset):
        json_address_band = address_band.value

    params["address_band"] = json_address_band

    params["buyer_phone"] = buyer_phone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/shipments/export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: Status | Unset = UNSET,
    sub_status: SubStatus | Unset = UNSET,
    carrier: str | Unset = UNSET,
    order_ref: str | Unset = UNSET,
    awb: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    action_required: bool | Unset = UNSET,
    late: bool | Unset = UNSET,
    booking_state: BookingState | Unset = UNSET,
    weight_discrepancy: str | Unset = UNSET,
    kind: ShipmentKind | Unset = UNSET,
    address_band: Band | Unset = UNSET,
    buyer_phone: str | Unset = UNSET,
) -> Response[Problem | str]:
    """The tenant's shipments as CSV, filtered like `GET /v1/shipments`.

     Takes the list's filters (not `limit` or `cursor`: every matching shipment is in the
    file), newest first. Columns: `id, order_ref, carrier, carrier_account, service, awb,
    status, sub_status, kind, booking_state, created_at, updated_at, to_name, to_city,
    to_state, to_postal_code, to_country, weight_g, payment_mode, cod_amount, currency,
    cost, cost_currency, estimated_delivery, late`; amounts in major units (`499.00`),
    `currency` the COD amount's, `cost` what the carrier charged when known. A cell
    starting with `=`, `+`, `-` or `@` is written with a leading `'`.

    Args:
        status (Status | Unset): Top level of the unified taxonomy.
        sub_status (SubStatus | Unset): Second level of the unified taxonomy; each value belongs
            to exactly one [`Status`].
        carrier (str | Unset):
        order_ref (str | Unset):
        awb (str | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        action_required (bool | Unset):
        late (bool | Unset):
        booking_state (BookingState | Unset): Where a booking stands, independent of the tracking
            status.
        weight_discrepancy (str | Unset):
        kind (ShipmentKind | Unset):
        address_band (Band | Unset): How a score reads.
        buyer_phone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        status=status,
        sub_status=sub_status,
        carrier=carrier,
        order_ref=order_ref,
        awb=awb,
        created_from=created_from,
        created_to=created_to,
        action_required=action_required,
        late=late,
        booking_state=booking_state,
        weight_discrepancy=weight_discrepancy,
        kind=kind,
        address_band=address_band,
        buyer_phone=buyer_phone,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: Status | Unset = UNSET,
    sub_status: SubStatus | Unset = UNSET,
    carrier: str | Unset = UNSET,
    order_ref: str | Unset = UNSET,
    awb: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    action_required: bool | Unset = UNSET,
    late: bool | Unset = UNSET,
    booking_state: BookingState | Unset = UNSET,
    weight_discrepancy: str | Unset = UNSET,
    kind: ShipmentKind | Unset = UNSET,
    address_band: Band | Unset = UNSET,
    buyer_phone: str | Unset = UNSET,
) -> Problem | str | None:
    """The tenant's shipments as CSV, filtered like `GET /v1/shipments`.

     Takes the list's filters (not `limit` or `cursor`: every matching shipment is in the
    file), newest first. Columns: `id, order_ref, carrier, carrier_account, service, awb,
    status, sub_status, kind, booking_state, created_at, updated_at, to_name, to_city,
    to_state, to_postal_code, to_country, weight_g, payment_mode, cod_amount, currency,
    cost, cost_currency, estimated_delivery, late`; amounts in major units (`499.00`),
    `currency` the COD amount's, `cost` what the carrier charged when known. A cell
    starting with `=`, `+`, `-` or `@` is written with a leading `'`.

    Args:
        status (Status | Unset): Top level of the unified taxonomy.
        sub_status (SubStatus | Unset): Second level of the unified taxonomy; each value belongs
            to exactly one [`Status`].
        carrier (str | Unset):
        order_ref (str | Unset):
        awb (str | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        action_required (bool | Unset):
        late (bool | Unset):
        booking_state (BookingState | Unset): Where a booking stands, independent of the tracking
            status.
        weight_discrepancy (str | Unset):
        kind (ShipmentKind | Unset):
        address_band (Band | Unset): How a score reads.
        buyer_phone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        status=status,
        sub_status=sub_status,
        carrier=carrier,
        order_ref=order_ref,
        awb=awb,
        created_from=created_from,
        created_to=created_to,
        action_required=action_required,
        late=late,
        booking_state=booking_state,
        weight_discrepancy=weight_discrepancy,
        kind=kind,
        address_band=address_band,
        buyer_phone=buyer_phone,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: Status | Unset = UNSET,
    sub_status: SubStatus | Unset = UNSET,
    carrier: str | Unset = UNSET,
    order_ref: str | Unset = UNSET,
    awb: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    action_required: bool | Unset = UNSET,
    late: bool | Unset = UNSET,
    booking_state: BookingState | Unset = UNSET,
    weight_discrepancy: str | Unset = UNSET,
    kind: ShipmentKind | Unset = UNSET,
    address_band: Band | Unset = UNSET,
    buyer_phone: str | Unset = UNSET,
) -> Response[Problem | str]:
    """The tenant's shipments as CSV, filtered like `GET /v1/shipments`.

     Takes the list's filters (not `limit` or `cursor`: every matching shipment is in the
    file), newest first. Columns: `id, order_ref, carrier, carrier_account, service, awb,
    status, sub_status, kind, booking_state, created_at, updated_at, to_name, to_city,
    to_state, to_postal_code, to_country, weight_g, payment_mode, cod_amount, currency,
    cost, cost_currency, estimated_delivery, late`; amounts in major units (`499.00`),
    `currency` the COD amount's, `cost` what the carrier charged when known. A cell
    starting with `=`, `+`, `-` or `@` is written with a leading `'`.

    Args:
        status (Status | Unset): Top level of the unified taxonomy.
        sub_status (SubStatus | Unset): Second level of the unified taxonomy; each value belongs
            to exactly one [`Status`].
        carrier (str | Unset):
        order_ref (str | Unset):
        awb (str | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        action_required (bool | Unset):
        late (bool | Unset):
        booking_state (BookingState | Unset): Where a booking stands, independent of the tracking
            status.
        weight_discrepancy (str | Unset):
        kind (ShipmentKind | Unset):
        address_band (Band | Unset): How a score reads.
        buyer_phone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        status=status,
        sub_status=sub_status,
        carrier=carrier,
        order_ref=order_ref,
        awb=awb,
        created_from=created_from,
        created_to=created_to,
        action_required=action_required,
        late=late,
        booking_state=booking_state,
        weight_discrepancy=weight_discrepancy,
        kind=kind,
        address_band=address_band,
        buyer_phone=buyer_phone,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: Status | Unset = UNSET,
    sub_status: SubStatus | Unset = UNSET,
    carrier: str | Unset = UNSET,
    order_ref: str | Unset = UNSET,
    awb: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    action_required: bool | Unset = UNSET,
    late: bool | Unset = UNSET,
    booking_state: BookingState | Unset = UNSET,
    weight_discrepancy: str | Unset = UNSET,
    kind: ShipmentKind | Unset = UNSET,
    address_band: Band | Unset = UNSET,
    buyer_phone: str | Unset = UNSET,
) -> Problem | str | None:
    """The tenant's shipments as CSV, filtered like `GET /v1/shipments`.

     Takes the list's filters (not `limit` or `cursor`: every matching shipment is in the
    file), newest first. Columns: `id, order_ref, carrier, carrier_account, service, awb,
    status, sub_status, kind, booking_state, created_at, updated_at, to_name, to_city,
    to_state, to_postal_code, to_country, weight_g, payment_mode, cod_amount, currency,
    cost, cost_currency, estimated_delivery, late`; amounts in major units (`499.00`),
    `currency` the COD amount's, `cost` what the carrier charged when known. A cell
    starting with `=`, `+`, `-` or `@` is written with a leading `'`.

    Args:
        status (Status | Unset): Top level of the unified taxonomy.
        sub_status (SubStatus | Unset): Second level of the unified taxonomy; each value belongs
            to exactly one [`Status`].
        carrier (str | Unset):
        order_ref (str | Unset):
        awb (str | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        action_required (bool | Unset):
        late (bool | Unset):
        booking_state (BookingState | Unset): Where a booking stands, independent of the tracking
            status.
        weight_discrepancy (str | Unset):
        kind (ShipmentKind | Unset):
        address_band (Band | Unset): How a score reads.
        buyer_phone (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            sub_status=sub_status,
            carrier=carrier,
            order_ref=order_ref,
            awb=awb,
            created_from=created_from,
            created_to=created_to,
            action_required=action_required,
            late=late,
            booking_state=booking_state,
            weight_discrepancy=weight_discrepancy,
            kind=kind,
            address_band=address_band,
            buyer_phone=buyer_phone,
        )
    ).parsed
