"""The data the browser flows need, made through the public API of the running gateway
(sandbox carriers), several shipments at once: each flow gets its own shipments, so the
flows do not depend on each other's order.

Usage as a script (to look at the console by hand): seed.py BASE_URL API_KEY
"""

import base64
import concurrent.futures
import struct
import sys
import uuid
import zlib

from harness import NDR_PIN, WAREHOUSE, Api, book, track_until


def logo_png(size=48, rgb=(0x1D, 0x4E, 0x89)):
    """A small PNG logo drawn here (a disc with a light band): the branding API takes PNG
    bytes, and the suite ships no image files."""
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            inside = (x - c) ** 2 + (y - c) ** 2 <= c * c
            band = abs(x - y) < size / 8
            pixel = (255, 255, 255, 255) if inside and band else (*rgb, 255) if inside else (0, 0, 0, 0)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


BRANDING = {"display_name": "Kurta Company", "primary_color": "#1d4e89", "accent_color": "#9c2a5b",
            "support_email": "help@kurta.example", "support_phone": "+91 80 4000 1234"}


def seed(api):
    run = uuid.uuid4().hex[:6].upper()
    ref = lambda name: f"BT-{run}-{name}"  # noqa: E731

    def ndr(name):
        s = book(api, ref(name), pin=NDR_PIN, name="Ravi Kumar")
        track_until(api, s["id"], "delivery_failed")
        return api.get(f"/v1/shipments/{s['id']}")

    def delivered(name, cod_paise=None):
        s = book(api, ref(name), cod_paise=cod_paise)
        track_until(api, s["id"], "delivered")
        return api.get(f"/v1/shipments/{s['id']}")

    def in_transit(name):
        s = book(api, ref(name), carrier="shiprocket", pin="400001")
        track_until(api, s["id"], "in_transit")
        return s

    jobs = {
        "ndr_console": lambda: ndr("NDR-CONSOLE"),
        "ndr_buyer": lambda: ndr("NDR-BUYER"),
        "ndr_read": lambda: ndr("NDR-READ"),
        "return_from": lambda: delivered("RETURN"),
        "cod_paid": lambda: delivered("COD-PAID", cod_paise=149_900),
        "cod_short": lambda: delivered("COD-SHORT", cod_paise=99_900),
        "cod_owed": lambda: delivered("COD-OWED", cod_paise=25_000),
        "in_transit": lambda: in_transit("TRANSIT"),
        "booked_a": lambda: book(api, ref("MANIFEST-A"), carrier="shiprocket", cod_paise=120_000),
        "booked_b": lambda: book(api, ref("MANIFEST-B"), carrier="shiprocket"),
    }
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        data = {name: f.result() for name, f in futures.items()}

    # A pickup location and a manifest of one booked parcel (the pickups page lists it);
    # the other parcel is for the flow that closes the day in the page.
    location = api.post("/v1/pickup-locations", {"name": f"Okhla {run}", "address": dict(WAREHOUSE)})
    data["location"] = location
    data["manifest"] = api.post("/v1/manifests", {
        "pickup_location": location["id"], "carrier_account": "shiprocket",
        "shipments": [data["booked_a"]["id"]]})
    # An OMS endpoint nobody listens on: the webhooks page has an endpoint and failing
    # deliveries to show.
    data["endpoint"] = api.post("/v1/webhook-endpoints", {
        "url": "http://127.0.0.1:9/hooks", "description": "browser tests"})
    # The tenant's branding: the tracking page shows its name, logo and colours.
    data["branding"] = api.call("PUT", "/v1/branding", json_body={
        **BRANDING, "logo": base64.b64encode(logo_png()).decode()})
    data["run"] = run
    return data


if __name__ == "__main__":
    got = seed(Api(sys.argv[1], sys.argv[2]))
    for name, value in got.items():
        if isinstance(value, dict):
            print(f"{name}: {value.get('id')} {value.get('awb', '')} {value.get('tracking_url', '')}")
