from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dispute_input import DisputeInput
from ...models.dispute_view import DisputeView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: DisputeInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/shipments/{id}/weight-dispute".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DisputeView | Problem | None:
    if response.status_code == 201:
        response_201 = DisputeView.from_dict(response.json())

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
) -> Response[DisputeView | Problem]:
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
    body: DisputeInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeView | Problem]:
    """Disputes a shipment's open weight discrepancy, with evidence.

     Raised through the carrier's weight-dispute API where it has one; Delhivery and
    Shiprocket publish none, so their disputes are tracked in shipgate (`raised_via:
    shipgate`): raise it in the carrier's panel and record its decision with
    `POST /v1/shipments/{id}/weight-dispute/decision`. The discrepancy becomes `disputed`.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (DisputeInput): Evidence for a weight dispute: the parcel as packed, measured and
            photographed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeView | Problem]
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
    body: DisputeInput,
    idempotency_key: str | Unset = UNSET,
) -> DisputeView | Problem | None:
    """Disputes a shipment's open weight discrepancy, with evidence.

     Raised through the carrier's weight-dispute API where it has one; Delhivery and
    Shiprocket publish none, so their disputes are tracked in shipgate (`raised_via:
    shipgate`): raise it in the carrier's panel and record its decision with
    `POST /v1/shipments/{id}/weight-dispute/decision`. The discrepancy becomes `disputed`.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (DisputeInput): Evidence for a weight dispute: the parcel as packed, measured and
            photographed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeView | Problem
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
    body: DisputeInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeView | Problem]:
    """Disputes a shipment's open weight discrepancy, with evidence.

     Raised through the carrier's weight-dispute API where it has one; Delhivery and
    Shiprocket publish none, so their disputes are tracked in shipgate (`raised_via:
    shipgate`): raise it in the carrier's panel and record its decision with
    `POST /v1/shipments/{id}/weight-dispute/decision`. The discrepancy becomes `disputed`.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (DisputeInput): Evidence for a weight dispute: the parcel as packed, measured and
            photographed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeView | Problem]
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
    body: DisputeInput,
    idempotency_key: str | Unset = UNSET,
) -> DisputeView | Problem | None:
    """Disputes a shipment's open weight discrepancy, with evidence.

     Raised through the carrier's weight-dispute API where it has one; Delhivery and
    Shiprocket publish none, so their disputes are tracked in shipgate (`raised_via:
    shipgate`): raise it in the carrier's panel and record its decision with
    `POST /v1/shipments/{id}/weight-dispute/decision`. The discrepancy becomes `disputed`.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (DisputeInput): Evidence for a weight dispute: the parcel as packed, measured and
            photographed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeView | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
