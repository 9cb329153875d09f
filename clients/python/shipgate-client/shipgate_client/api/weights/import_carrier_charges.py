from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_summary import ImportSummary
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: str,
    layout: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["layout"] = layout

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/carrier-charges",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImportSummary | Problem | None:
    if response.status_code == 200:
        response_200 = ImportSummary.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ImportSummary.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImportSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: str,
    layout: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportSummary | Problem]:
    """Imports a carrier's charged weights or freight invoice (CSV, `Content-Type: text/csv`).

     Each row's charged weight is compared with the shipment's declared chargeable weight
    and flagged over the tolerance, with its cost at the account's rate card; an invoice's
    charges are compared with what shipgate expected. A problem anywhere in the file is a
    422 with every problem at `/csv/<line>/<column>`, and nothing is stored. Importing the
    same file again changes nothing: 200 with the first import's outcome.

    Args:
        layout (str | Unset):
        idempotency_key (str | Unset):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportSummary | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        layout=layout,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: str,
    layout: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ImportSummary | Problem | None:
    """Imports a carrier's charged weights or freight invoice (CSV, `Content-Type: text/csv`).

     Each row's charged weight is compared with the shipment's declared chargeable weight
    and flagged over the tolerance, with its cost at the account's rate card; an invoice's
    charges are compared with what shipgate expected. A problem anywhere in the file is a
    422 with every problem at `/csv/<line>/<column>`, and nothing is stored. Importing the
    same file again changes nothing: 200 with the first import's outcome.

    Args:
        layout (str | Unset):
        idempotency_key (str | Unset):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportSummary | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        layout=layout,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: str,
    layout: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportSummary | Problem]:
    """Imports a carrier's charged weights or freight invoice (CSV, `Content-Type: text/csv`).

     Each row's charged weight is compared with the shipment's declared chargeable weight
    and flagged over the tolerance, with its cost at the account's rate card; an invoice's
    charges are compared with what shipgate expected. A problem anywhere in the file is a
    422 with every problem at `/csv/<line>/<column>`, and nothing is stored. Importing the
    same file again changes nothing: 200 with the first import's outcome.

    Args:
        layout (str | Unset):
        idempotency_key (str | Unset):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportSummary | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        layout=layout,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: str,
    layout: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ImportSummary | Problem | None:
    """Imports a carrier's charged weights or freight invoice (CSV, `Content-Type: text/csv`).

     Each row's charged weight is compared with the shipment's declared chargeable weight
    and flagged over the tolerance, with its cost at the account's rate card; an invoice's
    charges are compared with what shipgate expected. A problem anywhere in the file is a
    422 with every problem at `/csv/<line>/<column>`, and nothing is stored. Importing the
    same file again changes nothing: 200 with the first import's outcome.

    Args:
        layout (str | Unset):
        idempotency_key (str | Unset):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportSummary | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            layout=layout,
            idempotency_key=idempotency_key,
        )
    ).parsed
