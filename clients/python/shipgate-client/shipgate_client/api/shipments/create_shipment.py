from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dry_run_view import DryRunView
from ...models.problem import Problem
from ...models.shipment_request_input import ShipmentRequestInput
from ...models.shipment_view import ShipmentView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ShipmentRequestInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/shipments",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DryRunView | ShipmentView | Problem | ShipmentView | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> DryRunView | ShipmentView:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_repeat_or_dry_run_type_0 = ShipmentView.from_dict(data)

                return componentsschemas_repeat_or_dry_run_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_repeat_or_dry_run_type_1 = DryRunView.from_dict(data)

            return componentsschemas_repeat_or_dry_run_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

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
) -> Response[DryRunView | ShipmentView | Problem | ShipmentView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ShipmentRequestInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[DryRunView | ShipmentView | Problem | ShipmentView]:
    """Book a shipment: allocates the AWB at the carrier and stores the label. With
    `"dry_run": true`, books nothing and answers 200 with what it would book
    (docs/parallel-run.md).

    Args:
        idempotency_key (str | Unset):
        body (ShipmentRequestInput): A shipment to book. Text is trimmed before it is checked, so
            lengths count the text
            without surrounding whitespace.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DryRunView | ShipmentView | Problem | ShipmentView]
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
    body: ShipmentRequestInput,
    idempotency_key: str | Unset = UNSET,
) -> DryRunView | ShipmentView | Problem | ShipmentView | None:
    """Book a shipment: allocates the AWB at the carrier and stores the label. With
    `"dry_run": true`, books nothing and answers 200 with what it would book
    (docs/parallel-run.md).

    Args:
        idempotency_key (str | Unset):
        body (ShipmentRequestInput): A shipment to book. Text is trimmed before it is checked, so
            lengths count the text
            without surrounding whitespace.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DryRunView | ShipmentView | Problem | ShipmentView
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ShipmentRequestInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[DryRunView | ShipmentView | Problem | ShipmentView]:
    """Book a shipment: allocates the AWB at the carrier and stores the label. With
    `"dry_run": true`, books nothing and answers 200 with what it would book
    (docs/parallel-run.md).

    Args:
        idempotency_key (str | Unset):
        body (ShipmentRequestInput): A shipment to book. Text is trimmed before it is checked, so
            lengths count the text
            without surrounding whitespace.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DryRunView | ShipmentView | Problem | ShipmentView]
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
    body: ShipmentRequestInput,
    idempotency_key: str | Unset = UNSET,
) -> DryRunView | ShipmentView | Problem | ShipmentView | None:
    """Book a shipment: allocates the AWB at the carrier and stores the label. With
    `"dry_run": true`, books nothing and answers 200 with what it would book
    (docs/parallel-run.md).

    Args:
        idempotency_key (str | Unset):
        body (ShipmentRequestInput): A shipment to book. Text is trimmed before it is checked, so
            lengths count the text
            without surrounding whitespace.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DryRunView | ShipmentView | Problem | ShipmentView
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
