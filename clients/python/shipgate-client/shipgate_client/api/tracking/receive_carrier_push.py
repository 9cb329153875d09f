from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.push_accepted import PushAccepted
from ...models.receive_carrier_push_body import ReceiveCarrierPushBody
from ...types import Response


def _get_kwargs(
    carrier: str,
    *,
    body: ReceiveCarrierPushBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/carriers/{carrier}/webhooks".format(
            carrier=quote(str(carrier), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PushAccepted | None:
    if response.status_code == 200:
        response_200 = PushAccepted.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | PushAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    carrier: str,
    *,
    client: AuthenticatedClient,
    body: ReceiveCarrierPushBody,
) -> Response[Problem | PushAccepted]:
    """Receive a carrier's tracking push.

     The body is the carrier's own push format (Delhivery's scan push, Shiprocket's
    tracking webhook). Authentication is per carrier, as configured: a shared token header,
    an HMAC-SHA256 signature of the body, a source address allow-list. The push is stored
    before the answer; its events appear on the shipment's timeline shortly after. Sending
    the same body again is harmless.

    Args:
        carrier (str):
        body (ReceiveCarrierPushBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PushAccepted]
    """

    kwargs = _get_kwargs(
        carrier=carrier,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    carrier: str,
    *,
    client: AuthenticatedClient,
    body: ReceiveCarrierPushBody,
) -> Problem | PushAccepted | None:
    """Receive a carrier's tracking push.

     The body is the carrier's own push format (Delhivery's scan push, Shiprocket's
    tracking webhook). Authentication is per carrier, as configured: a shared token header,
    an HMAC-SHA256 signature of the body, a source address allow-list. The push is stored
    before the answer; its events appear on the shipment's timeline shortly after. Sending
    the same body again is harmless.

    Args:
        carrier (str):
        body (ReceiveCarrierPushBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PushAccepted
    """

    return sync_detailed(
        carrier=carrier,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    carrier: str,
    *,
    client: AuthenticatedClient,
    body: ReceiveCarrierPushBody,
) -> Response[Problem | PushAccepted]:
    """Receive a carrier's tracking push.

     The body is the carrier's own push format (Delhivery's scan push, Shiprocket's
    tracking webhook). Authentication is per carrier, as configured: a shared token header,
    an HMAC-SHA256 signature of the body, a source address allow-list. The push is stored
    before the answer; its events appear on the shipment's timeline shortly after. Sending
    the same body again is harmless.

    Args:
        carrier (str):
        body (ReceiveCarrierPushBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PushAccepted]
    """

    kwargs = _get_kwargs(
        carrier=carrier,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    carrier: str,
    *,
    client: AuthenticatedClient,
    body: ReceiveCarrierPushBody,
) -> Problem | PushAccepted | None:
    """Receive a carrier's tracking push.

     The body is the carrier's own push format (Delhivery's scan push, Shiprocket's
    tracking webhook). Authentication is per carrier, as configured: a shared token header,
    an HMAC-SHA256 signature of the body, a source address allow-list. The push is stored
    before the answer; its events appear on the shipment's timeline shortly after. Sending
    the same body again is harmless.

    Args:
        carrier (str):
        body (ReceiveCarrierPushBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PushAccepted
    """

    return (
        await asyncio_detailed(
            carrier=carrier,
            client=client,
            body=body,
        )
    ).parsed
