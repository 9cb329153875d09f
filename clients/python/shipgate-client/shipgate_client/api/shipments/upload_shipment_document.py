from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.uploaded_view import UploadedView
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: File,
    kind: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["kind"] = kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/shipments/{id}/documents".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/pdf"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UploadedView | None:
    if response.status_code == 201:
        response_201 = UploadedView.from_dict(response.json())

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
) -> Response[Problem | UploadedView]:
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
    body: File,
    kind: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | UploadedView]:
    """Hand the shipper's own trade document to the carrier.

     The body is the PDF itself (`Content-Type: application/pdf`), `kind` a query
    parameter: what the shipment's carrier takes (FedEx electronic trade documents and
    UPS Paperless Documents take `commercial_invoice` and `customs_declaration`). The
    carrier files it with the booked shipment (FedEx by tracking number, post-shipment;
    UPS in Forms History, then pushed to the shipment) and answers its id, kept with the
    document. Up to the carrier's limit (FedEx 5 MB, UPS 10 MB) and the gateway's file
    limit. One upload per kind: the carriers have no idempotency key, so a repeat is
    refused (409 `document_uploaded`), and a retry with the same `Idempotency-Key`
    replays the first answer without calling the carrier again.

    Args:
        id (str):
        kind (str | Unset):
        idempotency_key (str | Unset):
        body (File): The label file (PDF 4×6 in, or ZPL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadedView]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        kind=kind,
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
    body: File,
    kind: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | UploadedView | None:
    """Hand the shipper's own trade document to the carrier.

     The body is the PDF itself (`Content-Type: application/pdf`), `kind` a query
    parameter: what the shipment's carrier takes (FedEx electronic trade documents and
    UPS Paperless Documents take `commercial_invoice` and `customs_declaration`). The
    carrier files it with the booked shipment (FedEx by tracking number, post-shipment;
    UPS in Forms History, then pushed to the shipment) and answers its id, kept with the
    document. Up to the carrier's limit (FedEx 5 MB, UPS 10 MB) and the gateway's file
    limit. One upload per kind: the carriers have no idempotency key, so a repeat is
    refused (409 `document_uploaded`), and a retry with the same `Idempotency-Key`
    replays the first answer without calling the carrier again.

    Args:
        id (str):
        kind (str | Unset):
        idempotency_key (str | Unset):
        body (File): The label file (PDF 4×6 in, or ZPL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadedView
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        kind=kind,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    kind: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | UploadedView]:
    """Hand the shipper's own trade document to the carrier.

     The body is the PDF itself (`Content-Type: application/pdf`), `kind` a query
    parameter: what the shipment's carrier takes (FedEx electronic trade documents and
    UPS Paperless Documents take `commercial_invoice` and `customs_declaration`). The
    carrier files it with the booked shipment (FedEx by tracking number, post-shipment;
    UPS in Forms History, then pushed to the shipment) and answers its id, kept with the
    document. Up to the carrier's limit (FedEx 5 MB, UPS 10 MB) and the gateway's file
    limit. One upload per kind: the carriers have no idempotency key, so a repeat is
    refused (409 `document_uploaded`), and a retry with the same `Idempotency-Key`
    replays the first answer without calling the carrier again.

    Args:
        id (str):
        kind (str | Unset):
        idempotency_key (str | Unset):
        body (File): The label file (PDF 4×6 in, or ZPL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadedView]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        kind=kind,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    kind: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | UploadedView | None:
    """Hand the shipper's own trade document to the carrier.

     The body is the PDF itself (`Content-Type: application/pdf`), `kind` a query
    parameter: what the shipment's carrier takes (FedEx electronic trade documents and
    UPS Paperless Documents take `commercial_invoice` and `customs_declaration`). The
    carrier files it with the booked shipment (FedEx by tracking number, post-shipment;
    UPS in Forms History, then pushed to the shipment) and answers its id, kept with the
    document. Up to the carrier's limit (FedEx 5 MB, UPS 10 MB) and the gateway's file
    limit. One upload per kind: the carriers have no idempotency key, so a repeat is
    refused (409 `document_uploaded`), and a retry with the same `Idempotency-Key`
    replays the first answer without calling the carrier again.

    Args:
        id (str):
        kind (str | Unset):
        idempotency_key (str | Unset):
        body (File): The label file (PDF 4×6 in, or ZPL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadedView
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            kind=kind,
            idempotency_key=idempotency_key,
        )
    ).parsed
