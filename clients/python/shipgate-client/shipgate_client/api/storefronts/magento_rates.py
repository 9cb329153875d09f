from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.magento_rate_request import MagentoRateRequest
from ...models.magento_rates import MagentoRates
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    token: str,
    *,
    body: MagentoRateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/storefront/magento/{token}/rates".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MagentoRates | Problem | None:
    if response.status_code == 200:
        response_200 = MagentoRates.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MagentoRates | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    body: MagentoRateRequest,
) -> Response[MagentoRates | Problem]:
    """The Magento module's rate request.

     The fields of Magento's `RateRequest` as the `Shipgate_Rates` carrier model posts them
    from `collectRates()`, with the connection's secret as a bearer token. Answers one
    rate per rate result method (`price` with the connection's markup, `cost` without, in
    major units of the base currency; rates in another currency are left out).

    Args:
        token (str):
        body (MagentoRateRequest): The module's rate request: `RateRequest`'s fields under their
            own names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MagentoRates | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    body: MagentoRateRequest,
) -> MagentoRates | Problem | None:
    """The Magento module's rate request.

     The fields of Magento's `RateRequest` as the `Shipgate_Rates` carrier model posts them
    from `collectRates()`, with the connection's secret as a bearer token. Answers one
    rate per rate result method (`price` with the connection's markup, `cost` without, in
    major units of the base currency; rates in another currency are left out).

    Args:
        token (str):
        body (MagentoRateRequest): The module's rate request: `RateRequest`'s fields under their
            own names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MagentoRates | Problem
    """

    return sync_detailed(
        token=token,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    body: MagentoRateRequest,
) -> Response[MagentoRates | Problem]:
    """The Magento module's rate request.

     The fields of Magento's `RateRequest` as the `Shipgate_Rates` carrier model posts them
    from `collectRates()`, with the connection's secret as a bearer token. Answers one
    rate per rate result method (`price` with the connection's markup, `cost` without, in
    major units of the base currency; rates in another currency are left out).

    Args:
        token (str):
        body (MagentoRateRequest): The module's rate request: `RateRequest`'s fields under their
            own names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MagentoRates | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    body: MagentoRateRequest,
) -> MagentoRates | Problem | None:
    """The Magento module's rate request.

     The fields of Magento's `RateRequest` as the `Shipgate_Rates` carrier model posts them
    from `collectRates()`, with the connection's secret as a bearer token. Answers one
    rate per rate result method (`price` with the connection's markup, `cost` without, in
    major units of the base currency; rates in another currency are left out).

    Args:
        token (str):
        body (MagentoRateRequest): The module's rate request: `RateRequest`'s fields under their
            own names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MagentoRates | Problem
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
        )
    ).parsed
