"""The README's walk-through (steps 1-7 and 13) through the generated client only: rates,
booking, label, tracking, cancel, a failed delivery and its re-attempt, an address score."""

from helpers import SHIPMENT, expect, shipment
from shipgate_client.api.addresses import check_address
from shipgate_client.api.ndr import create_ndr_action, list_ndr_actions, list_ndr_queue
from shipgate_client.api.rates import quote_rates
from shipgate_client.api.shipments import cancel_shipment, create_shipment, get_shipment, get_shipment_label
from shipgate_client.api.tracking import get_tracking_by_awb, refresh_tracking
from shipgate_client.models import (
    AddressInput,
    LabelFormat,
    NdrActionInput,
    RateRequestInput,
    ShipmentRequestInput,
)


def book(client, body):
    return expect(
        create_shipment.sync_detailed(
            client=client, body=ShipmentRequestInput.from_dict(body), idempotency_key=f"book-{body['order_ref']}"
        ),
        201,
    )


def test_rates_book_label_track_cancel(client):
    # 1. Rates from every carrier at once, cheapest first.
    request = {k: v for k, v in SHIPMENT.items() if k not in ("order_ref", "carrier")}
    rates = expect(quote_rates.sync_detailed(client=client, body=RateRequestInput.from_dict(request)), 200)
    assert rates.quotes, rates.errors
    totals = [q.total.amount for q in rates.quotes]
    assert totals == sorted(totals)
    assert "delhivery" in {q.carrier for q in rates.quotes}

    # 2. Book with Delhivery.
    booked = book(client, shipment("SDK"))
    assert booked.carrier == "delhivery" and booked.awb
    assert expect(get_shipment.sync_detailed(booked.id, client=client), 200).awb == booked.awb

    # 3. The label, as PDF and as ZPL.
    pdf = expect(get_shipment_label.sync_detailed(booked.id, client=client, format_=LabelFormat.PDF), 200)
    assert pdf.payload.read().startswith(b"%PDF")
    zpl = expect(get_shipment_label.sync_detailed(booked.id, client=client, format_=LabelFormat.ZPL), 200)
    assert zpl.payload.read().startswith(b"^XA")

    # 4. Tracking: each call pulls from the carrier; the sandbox moves one scan per call.
    first = expect(refresh_tracking.sync_detailed(booked.id, client=client), 200)
    second = expect(refresh_tracking.sync_detailed(booked.id, client=client), 200)
    assert first.events and len(second.events) > len(first.events)
    stored = expect(get_tracking_by_awb.sync_detailed(booked.awb, client=client), 200)
    assert len(stored.events) == len(second.events)

    # 5. Cancel (repeating it is harmless).
    for attempt in ("first", "again"):
        cancelled = expect(
            cancel_shipment.sync_detailed(booked.id, client=client, idempotency_key=f"cancel-{attempt}-{booked.id}"),
            200,
        )
        assert str(cancelled.status) == "cancelled" and cancelled.terminal


def test_failed_delivery_and_reattempt(client):
    # 6. A PIN code ending in 99 fails its first delivery attempt in the sandbox.
    body = shipment("NDR")
    body["to"]["postal_code"] = "560099"
    booked = book(client, body)
    for _ in range(20):
        tracking = expect(refresh_tracking.sync_detailed(booked.id, client=client), 200)
        if str(tracking.status) == "delivery_failed":
            break
    assert str(tracking.status) == "delivery_failed"
    queue = expect(list_ndr_queue.sync_detailed(client=client), 200)
    assert booked.id in {entry.shipment_id for entry in queue.data}

    # 7. Re-attempt: accepted by the carrier.
    action = expect(
        create_ndr_action.sync_detailed(
            booked.id,
            client=client,
            body=NdrActionInput.from_dict({"action": "reattempt"}),
            idempotency_key=f"ndr-{booked.id}",
        ),
        201,
    )
    assert str(action.action) == "reattempt"
    actions = expect(list_ndr_actions.sync_detailed(booked.id, client=client), 200)
    assert [a.id for a in actions.data] == [action.id]


def test_address_score(client):
    # 13. Score an address before booking it.
    body = {
        "name": "test",
        "phone": "9999999999",
        "line1": "asdf",
        "city": "Mumbai",
        "state": "Karnataka",
        "postal_code": "560001",
    }
    assessment = expect(check_address.sync_detailed(client=client, body=AddressInput.from_dict(body)), 200)
    assert assessment.score < 50
    assert {r.code for r in assessment.reasons}
