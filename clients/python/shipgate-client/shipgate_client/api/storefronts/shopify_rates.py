from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.shopify_rate_request import ShopifyRateRequest
from ...models.shopify_rates import ShopifyRates
from ...types import Response


def _get_kwargs(
    token: str,
    *,
    body: ShopifyRateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/storefront/shopify/{token}/rates".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ShopifyRates | None:
    if response.status_code == 200:
        response_200 = ShopifyRates.from_dict(response.json())

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
) -> Response[Problem | ShopifyRates]:
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
    body: ShopifyRateRequest,
) -> Response[Problem | ShopifyRates]:
    """Shopify's CarrierService callback.

     Takes Shopify's rate request as Shopify sends it, signed with the app's client secret
    (`X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body), and answers Shopify's rates:
    the tenant's carriers, rate cards and selection rules (rates the rules exclude are not
    offered; the recommended one comes first), `total_price` in subunits as a string,
    delivery dates from the estimate. Items that do not require shipping are left out;
    the origin is the request's. Carriers that have not answered by
    `storefront.deadline_ms` are left out; an identical cart within
    `storefront.cache_ttl_ms` is answered from the cart cache.

    Args:
        token (str):
        body (ShopifyRateRequest): Shopify's rate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ShopifyRates]
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
    body: ShopifyRateRequest,
) -> Problem | ShopifyRates | None:
    """Shopify's CarrierService callback.

     Takes Shopify's rate request as Shopify sends it, signed with the app's client secret
    (`X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body), and answers Shopify's rates:
    the tenant's carriers, rate cards and selection rules (rates the rules exclude are not
    offered; the recommended one comes first), `total_price` in subunits as a string,
    delivery dates from the estimate. Items that do not require shipping are left out;
    the origin is the request's. Carriers that have not answered by
    `storefront.deadline_ms` are left out; an identical cart within
    `storefront.cache_ttl_ms` is answered from the cart cache.

    Args:
        token (str):
        body (ShopifyRateRequest): Shopify's rate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ShopifyRates
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
    body: ShopifyRateRequest,
) -> Response[Problem | ShopifyRates]:
    """Shopify's CarrierService callback.

     Takes Shopify's rate request as Shopify sends it, signed with the app's client secret
    (`X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body), and answers Shopify's rates:
    the tenant's carriers, rate cards and selection rules (rates the rules exclude are not
    offered; the recommended one comes first), `total_price` in subunits as a string,
    delivery dates from the estimate. Items that do not require shipping are left out;
    the origin is the request's. Carriers that have not answered by
    `storefront.deadline_ms` are left out; an identical cart within
    `storefront.cache_ttl_ms` is answered from the cart cache.

    Args:
        token (str):
        body (ShopifyRateRequest): Shopify's rate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ShopifyRates]
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
    body: ShopifyRateRequest,
) -> Problem | ShopifyRates | None:
    """Shopify's CarrierService callback.

     Takes Shopify's rate request as Shopify sends it, signed with the app's client secret
    (`X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body), and answers Shopify's rates:
    the tenant's carriers, rate cards and selection rules (rates the rules exclude are not
    offered; the recommended one comes first), `total_price` in subunits as a string,
    delivery dates from the estimate. Items that do not require shipping are left out;
    the origin is the request's. Carriers that have not answered by
    `storefront.deadline_ms` are left out; an identical cart within
    `storefront.cache_ttl_ms` is answered from the cart cache.

    Args:
        token (str):
        body (ShopifyRateRequest): Shopify's rate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ShopifyRates
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
        )
    ).parsed
