from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_input import BatchInput
from ...models.batch_view import BatchView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BatchInput | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/batches",
    }

    if isinstance(body, BatchInput):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, str):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BatchView | Problem | None:
    if response.status_code == 202:
        response_202 = BatchView.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BatchView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchInput | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BatchView | Problem]:
    """Book many shipments at once: a JSON list or the warehouse's CSV file.

     Answered at once (202) with the batch; the items are booked in the background through
    the same path as `POST /v1/shipments`, within each carrier's quota. Each item is checked
    as `POST /v1/shipments` checks a body: a bad one is kept as `invalid` with its errors
    (pointers `/items/<i>/…`, or for CSV `/rows/<line>/<column>` with `row` and `column`)
    and the others are booked. A second item with the same `order_ref` is `invalid`
    (`duplicate_in_batch`). An order already booked is not booked again: the item points
    at that shipment, or fails with `order_already_booked` when the request differs.
    CSV columns: see `GET /v1/batches/template.csv` and docs/batches.md.

    Args:
        idempotency_key (str | Unset):
        body (BatchInput): A JSON batch.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchView | Problem]
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
    body: BatchInput | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BatchView | Problem | None:
    """Book many shipments at once: a JSON list or the warehouse's CSV file.

     Answered at once (202) with the batch; the items are booked in the background through
    the same path as `POST /v1/shipments`, within each carrier's quota. Each item is checked
    as `POST /v1/shipments` checks a body: a bad one is kept as `invalid` with its errors
    (pointers `/items/<i>/…`, or for CSV `/rows/<line>/<column>` with `row` and `column`)
    and the others are booked. A second item with the same `order_ref` is `invalid`
    (`duplicate_in_batch`). An order already booked is not booked again: the item points
    at that shipment, or fails with `order_already_booked` when the request differs.
    CSV columns: see `GET /v1/batches/template.csv` and docs/batches.md.

    Args:
        idempotency_key (str | Unset):
        body (BatchInput): A JSON batch.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchInput | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BatchView | Problem]:
    """Book many shipments at once: a JSON list or the warehouse's CSV file.

     Answered at once (202) with the batch; the items are booked in the background through
    the same path as `POST /v1/shipments`, within each carrier's quota. Each item is checked
    as `POST /v1/shipments` checks a body: a bad one is kept as `invalid` with its errors
    (pointers `/items/<i>/…`, or for CSV `/rows/<line>/<column>` with `row` and `column`)
    and the others are booked. A second item with the same `order_ref` is `invalid`
    (`duplicate_in_batch`). An order already booked is not booked again: the item points
    at that shipment, or fails with `order_already_booked` when the request differs.
    CSV columns: see `GET /v1/batches/template.csv` and docs/batches.md.

    Args:
        idempotency_key (str | Unset):
        body (BatchInput): A JSON batch.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchView | Problem]
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
    body: BatchInput | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BatchView | Problem | None:
    """Book many shipments at once: a JSON list or the warehouse's CSV file.

     Answered at once (202) with the batch; the items are booked in the background through
    the same path as `POST /v1/shipments`, within each carrier's quota. Each item is checked
    as `POST /v1/shipments` checks a body: a bad one is kept as `invalid` with its errors
    (pointers `/items/<i>/…`, or for CSV `/rows/<line>/<column>` with `row` and `column`)
    and the others are booked. A second item with the same `order_ref` is `invalid`
    (`duplicate_in_batch`). An order already booked is not booked again: the item points
    at that shipment, or fails with `order_already_booked` when the request differs.
    CSV columns: see `GET /v1/batches/template.csv` and docs/batches.md.

    Args:
        idempotency_key (str | Unset):
        body (BatchInput): A JSON batch.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
