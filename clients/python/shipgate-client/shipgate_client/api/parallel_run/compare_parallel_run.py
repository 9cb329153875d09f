from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.compare_input import CompareInput
from ...models.compare_report import CompareReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CompareInput | str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/parallel-run/compare",
        "params": params,
    }

    if isinstance(body, CompareInput):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, str):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompareReport | Problem | None:
    if response.status_code == 200:
        response_200 = CompareReport.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CompareReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CompareInput | str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[CompareReport | Problem]:
    """Compares the OMS's own bookings with what shipgate would have booked, per lane and
    overall: orders, how many shipgate would have booked differently, both costs and the
    savings per currency, the OMS's outcomes next to shipgate's scorecard on the lane, and
    the orders that differ. Each booking is matched with its order's latest dry run, else
    priced now from its lane fields (`quoted_now`), else `unmatched`. Rows that do not
    parse are listed in `errors` at their pointers (`/bookings/<i>/<field>`, or
    `/csv/<line>/<column>`) and the rest is compared. CSV: `Content-Type: text/csv`, a
    header row naming the columns (`order_ref,carrier,service,cost_amount,cost_currency,
    outcome,booked_at,from_postal_code,to_postal_code,weight_g,payment_mode,cod_amount`).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        body (CompareInput): The JSON body of a comparison.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompareReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CompareInput | str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> CompareReport | Problem | None:
    """Compares the OMS's own bookings with what shipgate would have booked, per lane and
    overall: orders, how many shipgate would have booked differently, both costs and the
    savings per currency, the OMS's outcomes next to shipgate's scorecard on the lane, and
    the orders that differ. Each booking is matched with its order's latest dry run, else
    priced now from its lane fields (`quoted_now`), else `unmatched`. Rows that do not
    parse are listed in `errors` at their pointers (`/bookings/<i>/<field>`, or
    `/csv/<line>/<column>`) and the rest is compared. CSV: `Content-Type: text/csv`, a
    header row naming the columns (`order_ref,carrier,service,cost_amount,cost_currency,
    outcome,booked_at,from_postal_code,to_postal_code,weight_g,payment_mode,cod_amount`).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        body (CompareInput): The JSON body of a comparison.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompareReport | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CompareInput | str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[CompareReport | Problem]:
    """Compares the OMS's own bookings with what shipgate would have booked, per lane and
    overall: orders, how many shipgate would have booked differently, both costs and the
    savings per currency, the OMS's outcomes next to shipgate's scorecard on the lane, and
    the orders that differ. Each booking is matched with its order's latest dry run, else
    priced now from its lane fields (`quoted_now`), else `unmatched`. Rows that do not
    parse are listed in `errors` at their pointers (`/bookings/<i>/<field>`, or
    `/csv/<line>/<column>`) and the rest is compared. CSV: `Content-Type: text/csv`, a
    header row naming the columns (`order_ref,carrier,service,cost_amount,cost_currency,
    outcome,booked_at,from_postal_code,to_postal_code,weight_g,payment_mode,cod_amount`).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        body (CompareInput): The JSON body of a comparison.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompareReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CompareInput | str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> CompareReport | Problem | None:
    """Compares the OMS's own bookings with what shipgate would have booked, per lane and
    overall: orders, how many shipgate would have booked differently, both costs and the
    savings per currency, the OMS's outcomes next to shipgate's scorecard on the lane, and
    the orders that differ. Each booking is matched with its order's latest dry run, else
    priced now from its lane fields (`quoted_now`), else `unmatched`. Rows that do not
    parse are listed in `errors` at their pointers (`/bookings/<i>/<field>`, or
    `/csv/<line>/<column>`) and the rest is compared. CSV: `Content-Type: text/csv`, a
    header row naming the columns (`order_ref,carrier,service,cost_amount,cost_currency,
    outcome,booked_at,from_postal_code,to_postal_code,weight_g,payment_mode,cod_amount`).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        body (CompareInput): The JSON body of a comparison.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompareReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
