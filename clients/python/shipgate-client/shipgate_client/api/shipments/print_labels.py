from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_labels_input import BulkLabelsInput
from ...models.problem import Problem
from ...types import File, Response


def _get_kwargs(
    *,
    body: BulkLabelsInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/labels",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BulkLabelsInput,
) -> Response[File | Problem]:
    """Labels of many shipments in one file.

     One PDF (a 4×6 roll: every page of every label in order, a multi-piece shipment's
    pages together; or A4 with four label pages a sheet) or one ZPL stream (the labels'
    `^XA…^XZ` formats one after another). Each label is the one
    `GET /v1/shipments/{id}/label` gives. When a shipment cannot be printed (not found, not
    booked, no label in the format) nothing is printed: the 422 lists each such shipment
    at its pointer (`/shipment_ids/3`, or `/manifest_id`). `X-Label-Count` is the number of
    shipments printed and `X-Label-Order` what the file is sorted by (`as_given`,
    `sku,order_ref`, `pincode,order_ref`, `awb`); sorting is stable.

    Args:
        body (BulkLabelsInput): Which labels, and how to print them. Give exactly one of
            `shipment_ids`,
            `manifest_id` and `batch_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
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
    body: BulkLabelsInput,
) -> File | Problem | None:
    """Labels of many shipments in one file.

     One PDF (a 4×6 roll: every page of every label in order, a multi-piece shipment's
    pages together; or A4 with four label pages a sheet) or one ZPL stream (the labels'
    `^XA…^XZ` formats one after another). Each label is the one
    `GET /v1/shipments/{id}/label` gives. When a shipment cannot be printed (not found, not
    booked, no label in the format) nothing is printed: the 422 lists each such shipment
    at its pointer (`/shipment_ids/3`, or `/manifest_id`). `X-Label-Count` is the number of
    shipments printed and `X-Label-Order` what the file is sorted by (`as_given`,
    `sku,order_ref`, `pincode,order_ref`, `awb`); sorting is stable.

    Args:
        body (BulkLabelsInput): Which labels, and how to print them. Give exactly one of
            `shipment_ids`,
            `manifest_id` and `batch_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BulkLabelsInput,
) -> Response[File | Problem]:
    """Labels of many shipments in one file.

     One PDF (a 4×6 roll: every page of every label in order, a multi-piece shipment's
    pages together; or A4 with four label pages a sheet) or one ZPL stream (the labels'
    `^XA…^XZ` formats one after another). Each label is the one
    `GET /v1/shipments/{id}/label` gives. When a shipment cannot be printed (not found, not
    booked, no label in the format) nothing is printed: the 422 lists each such shipment
    at its pointer (`/shipment_ids/3`, or `/manifest_id`). `X-Label-Count` is the number of
    shipments printed and `X-Label-Order` what the file is sorted by (`as_given`,
    `sku,order_ref`, `pincode,order_ref`, `awb`); sorting is stable.

    Args:
        body (BulkLabelsInput): Which labels, and how to print them. Give exactly one of
            `shipment_ids`,
            `manifest_id` and `batch_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BulkLabelsInput,
) -> File | Problem | None:
    """Labels of many shipments in one file.

     One PDF (a 4×6 roll: every page of every label in order, a multi-piece shipment's
    pages together; or A4 with four label pages a sheet) or one ZPL stream (the labels'
    `^XA…^XZ` formats one after another). Each label is the one
    `GET /v1/shipments/{id}/label` gives. When a shipment cannot be printed (not found, not
    booked, no label in the format) nothing is printed: the 422 lists each such shipment
    at its pointer (`/shipment_ids/3`, or `/manifest_id`). `X-Label-Count` is the number of
    shipments printed and `X-Label-Order` what the file is sorted by (`as_given`,
    `sku,order_ref`, `pincode,order_ref`, `awb`); sorting is stable.

    Args:
        body (BulkLabelsInput): Which labels, and how to print them. Give exactly one of
            `shipment_ids`,
            `manifest_id` and `batch_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
