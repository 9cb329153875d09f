from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rate_request_input import RateRequestInput
from ...models.rate_response import RateResponse
from ...types import Response


def _get_kwargs(
    *,
    body: RateRequestInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/rates",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateResponse | None:
    if response.status_code == 200:
        response_200 = RateResponse.from_dict(response.json())

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
) -> Response[Problem | RateResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RateRequestInput,
) -> Response[Problem | RateResponse]:
    """Quotes from every eligible carrier account at once, cheapest first; accounts that
    failed, timed out, were skipped (circuit open) or do not serve the lane are listed in
    `errors` (a partial answer is normal). The answer comes when every account has
    answered or the deadline (`deadline_ms`, else the gateway's default) has passed.
    `Cache-Status` (RFC 9211) says whether the carriers' part came from the short-lived
    rate cache. The tenant's rate cards quote as carrier `ratecard` (one quote per carrier
    account, `service` naming the account) when `carriers` is absent or names `ratecard`,
    except a card under the account of a carrier with no rate API, which quotes as that
    carrier (`service::rate_cards::quote`);
    when it names `ratecard`, a PIN code the cards cannot zone is a 422 at
    `/from/postal_code` or `/to/postal_code`. `recommendation` is the quote the tenant's
    selection rules pick, with the reasons.

    Args:
        body (RateRequestInput): What to quote.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateResponse]
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
    body: RateRequestInput,
) -> Problem | RateResponse | None:
    """Quotes from every eligible carrier account at once, cheapest first; accounts that
    failed, timed out, were skipped (circuit open) or do not serve the lane are listed in
    `errors` (a partial answer is normal). The answer comes when every account has
    answered or the deadline (`deadline_ms`, else the gateway's default) has passed.
    `Cache-Status` (RFC 9211) says whether the carriers' part came from the short-lived
    rate cache. The tenant's rate cards quote as carrier `ratecard` (one quote per carrier
    account, `service` naming the account) when `carriers` is absent or names `ratecard`,
    except a card under the account of a carrier with no rate API, which quotes as that
    carrier (`service::rate_cards::quote`);
    when it names `ratecard`, a PIN code the cards cannot zone is a 422 at
    `/from/postal_code` or `/to/postal_code`. `recommendation` is the quote the tenant's
    selection rules pick, with the reasons.

    Args:
        body (RateRequestInput): What to quote.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RateRequestInput,
) -> Response[Problem | RateResponse]:
    """Quotes from every eligible carrier account at once, cheapest first; accounts that
    failed, timed out, were skipped (circuit open) or do not serve the lane are listed in
    `errors` (a partial answer is normal). The answer comes when every account has
    answered or the deadline (`deadline_ms`, else the gateway's default) has passed.
    `Cache-Status` (RFC 9211) says whether the carriers' part came from the short-lived
    rate cache. The tenant's rate cards quote as carrier `ratecard` (one quote per carrier
    account, `service` naming the account) when `carriers` is absent or names `ratecard`,
    except a card under the account of a carrier with no rate API, which quotes as that
    carrier (`service::rate_cards::quote`);
    when it names `ratecard`, a PIN code the cards cannot zone is a 422 at
    `/from/postal_code` or `/to/postal_code`. `recommendation` is the quote the tenant's
    selection rules pick, with the reasons.

    Args:
        body (RateRequestInput): What to quote.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RateRequestInput,
) -> Problem | RateResponse | None:
    """Quotes from every eligible carrier account at once, cheapest first; accounts that
    failed, timed out, were skipped (circuit open) or do not serve the lane are listed in
    `errors` (a partial answer is normal). The answer comes when every account has
    answered or the deadline (`deadline_ms`, else the gateway's default) has passed.
    `Cache-Status` (RFC 9211) says whether the carriers' part came from the short-lived
    rate cache. The tenant's rate cards quote as carrier `ratecard` (one quote per carrier
    account, `service` naming the account) when `carriers` is absent or names `ratecard`,
    except a card under the account of a carrier with no rate API, which quotes as that
    carrier (`service::rate_cards::quote`);
    when it names `ratecard`, a PIN code the cards cannot zone is a 422 at
    `/from/postal_code` or `/to/postal_code`. `recommendation` is the quote the tenant's
    selection rules pick, with the reasons.

    Args:
        body (RateRequestInput): What to quote.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
