from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.tracking_view import TrackingView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    awb: str,
    *,
    carrier: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["carrier"] = carrier

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tracking/{awb}".format(
            awb=quote(str(awb), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TrackingView | None:
    if response.status_code == 200:
        response_200 = TrackingView.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | TrackingView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    awb: str,
    *,
    client: AuthenticatedClient,
    carrier: str | Unset = UNSET,
) -> Response[Problem | TrackingView]:
    """The tenant's shipment with this AWB and its stored timeline.

     Answers from what shipgate has stored (carrier pushes and earlier refreshes); it does
    not call the carrier. `GET /v1/shipments/{id}/tracking` refreshes.

    Args:
        awb (str):
        carrier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrackingView]
    """

    kwargs = _get_kwargs(
        awb=awb,
        carrier=carrier,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    awb: str,
    *,
    client: AuthenticatedClient,
    carrier: str | Unset = UNSET,
) -> Problem | TrackingView | None:
    """The tenant's shipment with this AWB and its stored timeline.

     Answers from what shipgate has stored (carrier pushes and earlier refreshes); it does
    not call the carrier. `GET /v1/shipments/{id}/tracking` refreshes.

    Args:
        awb (str):
        carrier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrackingView
    """

    return sync_detailed(
        awb=awb,
        client=client,
        carrier=carrier,
    ).parsed


async def asyncio_detailed(
    awb: str,
    *,
    client: AuthenticatedClient,
    carrier: str | Unset = UNSET,
) -> Response[Problem | TrackingView]:
    """The tenant's shipment with this AWB and its stored timeline.

     Answers from what shipgate has stored (carrier pushes and earlier refreshes); it does
    not call the carrier. `GET /v1/shipments/{id}/tracking` refreshes.

    Args:
        awb (str):
        carrier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrackingView]
    """

    kwargs = _get_kwargs(
        awb=awb,
        carrier=carrier,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    awb: str,
    *,
    client: AuthenticatedClient,
    carrier: str | Unset = UNSET,
) -> Problem | TrackingView | None:
    """The tenant's shipment with this AWB and its stored timeline.

     Answers from what shipgate has stored (carrier pushes and earlier refreshes); it does
    not call the carrier. `GET /v1/shipments/{id}/tracking` refreshes.

    Args:
        awb (str):
        carrier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrackingView
    """

    return (
        await asyncio_detailed(
            awb=awb,
            client=client,
            carrier=carrier,
        )
    ).parsed
