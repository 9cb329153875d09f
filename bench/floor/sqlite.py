"""The SQLite side of bench/floor: the rows of 25 carrier pushes, or of 25 keyed bookings,
written by one writer with the gateway's pragmas (src/store/mod.rs), in set-based
statements (the cheapest form of the same rows), batch after batch for SECONDS.

Usage: python3 bench/floor/sqlite.py DB push|create SECONDS
Works on a copy of DB (a database `bench/run --keep` left); prints one JSON line.
"""

import json
import os
import random
import re
import sqlite3
import sys
import time

B = 25


def connect(src):
    db = src + ".floor"
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    s = sqlite3.connect(src)
    d = sqlite3.connect(db)
    s.backup(d)
    s.close()
    d.close()
    c = sqlite3.connect(db, isolation_level=None)
    for p in ("PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON",
              "PRAGMA synchronous = NORMAL", "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 0"):
        c.execute(p)
    return c, db


def run(c, stmts, args):
    c.execute("BEGIN IMMEDIATE")
    for st in stmts:
        ks = [int(x) for x in re.findall(r"\?(\d)", st)]
        list(c.execute(st, args[:max(ks)] if ks else ()))
    c.execute("COMMIT")


def push_batches(c):
    c.execute("CREATE TABLE floor_ids AS SELECT row_number() OVER (ORDER BY random()) AS n, id, awb, tenant_id "
              "FROM shipments WHERE awb IS NOT NULL")
    c.execute("CREATE UNIQUE INDEX floor_ids_n ON floor_ids (n)")
    body = c.execute("SELECT body FROM carrier_inbox ORDER BY id DESC LIMIT 1").fetchone()[0]
    payload = c.execute("SELECT payload FROM webhook_messages ORDER BY created_at DESC LIMIT 1").fetchone()[0]
    endpoint = c.execute("SELECT id FROM webhook_endpoints LIMIT 1").fetchone()[0]
    n = c.execute("SELECT count(*) FROM floor_ids").fetchone()[0]
    R = "n BETWEEN ?1 AND ?1 + 24"
    stmts = [
     f"SELECT awb, id FROM shipments WHERE carrier = 'delhivery' AND awb IN (SELECT awb FROM floor_ids WHERE {R})",
     f"SELECT id, carrier, status, sub_status, last_event_at, ndr_attempts, tenant_id, order_ref, awb, kind, tracking_token FROM shipments WHERE id IN (SELECT id FROM floor_ids WHERE {R}) ORDER BY id",
     f"SELECT shipment_id, tenant_id, day, carrier FROM shipment_scores WHERE shipment_id IN (SELECT id FROM floor_ids WHERE {R})",
     f"INSERT INTO carrier_inbox (carrier, body_sha256, body, headers, received_at, state, error, processed_at, attempts, retry_at, carrier_account) SELECT 'delhivery', hex(randomblob(32)), ?3, '[[\"content-type\",\"application/json\"],[\"x-delhivery-signature\",\"9b2c1f0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c\"]]', ?2, 'processed', NULL, ?2, 1, 0, NULL FROM floor_ids WHERE {R}",
     f"INSERT INTO tracking_events (shipment_id, dedupe_key, status, sub_status, carrier_code, carrier_status, description, location, event_time, received_at, attempt, ndr_reason, action_required, terminal) SELECT id, hex(randomblob(16)), 'in_transit', 'in_transit', 'UD', 'In Transit', 'Shipment Received at Facility', 'Gurgaon_Bilaspur_HB (Haryana)', ?2 + n, ?2, NULL, NULL, 0, 0 FROM floor_ids WHERE {R}",
     f"INSERT INTO webhook_messages (id, tenant_id, event_type, shipment_id, payload, created_at) SELECT 'msg_' || n || '_' || ?2, tenant_id, 'shipment.tracking_updated', id, ?4, ?2 FROM floor_ids WHERE {R}",
     f"INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, next_attempt_at, created_at) SELECT 'msg_' || n || '_' || ?2, ?5, 'pending', 0, ?2, ?2 FROM floor_ids WHERE {R}",
     f"UPDATE shipments SET status = 'in_transit', sub_status = 'in_transit', ndr_attempts = ndr_attempts, last_event_at = ?2 WHERE id IN (SELECT id FROM floor_ids WHERE {R})",
    ]

    def batch(i):
        now = 1765000000000 + i * 1000 + random.randint(0, 999)
        run(c, stmts, (random.randint(1, n - B), now, body, payload, endpoint))
    return batch


def create_batches(c):
    c.execute("CREATE TABLE floor_template AS SELECT * FROM shipments WHERE booking_state = 'confirmed' LIMIT 1")
    c.execute("CREATE TABLE floor_score AS SELECT * FROM shipment_scores LIMIT 1")
    c.execute("CREATE TABLE g (g INTEGER PRIMARY KEY)")
    c.executemany("INSERT INTO g VALUES (?)", [(i,) for i in range(1, B + 1)])
    payload = c.execute("SELECT payload FROM webhook_messages ORDER BY created_at DESC LIMIT 1").fetchone()[0]
    endpoint = c.execute("SELECT id FROM webhook_endpoints LIMIT 1").fetchone()[0]
    ID = "'shp_' || ?1 || '_' || g"
    reserve = [f"""INSERT INTO shipments (id, tenant_id, order_ref, package_no, carrier, service, awb, status, sub_status, kind, booking_state, label_format, request_json, carrier_refs, routing_code, charged_amount, charged_currency, failure, created_at, updated_at, ndr_attempts, last_event_at, carrier_account, selection_json, address_score, address_band, address_quality, estimated_delivery, tracking_token, buyer_phone)
      SELECT {ID}, t.tenant_id, 'FLOOR-' || ?1 || '-' || g, 1, t.carrier, t.service, NULL, 'created', 'created', t.kind, 'reserving', t.label_format, t.request_json, '{{}}', NULL, NULL, NULL, NULL, ?2, ?2, 0, NULL, t.carrier_account, NULL, t.address_score, t.address_band, t.address_quality, NULL, NULL, t.buyer_phone FROM floor_template t, g"""]
    confirm = [
     f"""UPDATE shipments SET awb = 'FL' || ?1 || '_' || substr(id, length(id) - 2), service = 'surface', carrier_refs = (SELECT carrier_refs FROM floor_template), routing_code = (SELECT routing_code FROM floor_template), charged_amount = 5000, charged_currency = 'INR', booking_state = 'confirmed', status = 'booked', sub_status = 'booked', updated_at = ?2 + 1, estimated_delivery = (SELECT estimated_delivery FROM floor_template), tracking_token = hex(randomblob(16)) WHERE id IN (SELECT {ID} FROM g)""",
     f"""INSERT INTO tracking_events (shipment_id, dedupe_key, status, sub_status, carrier_code, carrier_status, description, location, event_time, received_at, attempt, ndr_reason, action_required, terminal) SELECT {ID}, 'booked', 'booked', 'booked', 'booked', 'Booked', 'Shipment booked', NULL, ?2, ?2, NULL, NULL, 0, 0 FROM g""",
     f"""INSERT INTO tracking_polls (shipment_id, carrier_account, next_poll_at) SELECT {ID}, 'delhivery', ?2 + 3600000 FROM g WHERE true ON CONFLICT (shipment_id) DO NOTHING""",
     f"""INSERT INTO shipment_scores (shipment_id, tenant_id, carrier, carrier_account, origin, destination, day, currency, cost, promised, booked_at) SELECT {ID}, s.tenant_id, s.carrier, s.carrier_account, s.origin, s.destination, s.day, s.currency, s.cost, s.promised, ?2 FROM floor_score s, g""",
     f"""INSERT INTO webhook_messages (id, tenant_id, event_type, shipment_id, payload, created_at) SELECT 'msg_' || ?1 || '_' || g, t.tenant_id, 'shipment.booked', {ID}, ?3, ?2 FROM floor_template t, g""",
     f"""INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, next_attempt_at, created_at) SELECT 'msg_' || ?1 || '_' || g, ?4, 'pending', 0, ?2, ?2 FROM g""",
     """INSERT INTO carrier_daily (tenant_id, day, carrier, carrier_account, origin, destination, currency, shipments) SELECT tenant_id, day, carrier, carrier_account, origin, destination, currency, 25 FROM floor_score WHERE true ON CONFLICT (tenant_id, day, carrier, carrier_account, origin, destination, currency) DO UPDATE SET shipments = carrier_daily.shipments + excluded.shipments""",
    ]

    def batch(i):
        tag = f"{i}x{random.randint(0, 1 << 30)}"
        now = 1765000000000 + i * 1000
        run(c, reserve, (tag, now))
        run(c, confirm, (tag, now, payload, endpoint))
    return batch


def main():
    src, what, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    c, db = connect(src)
    batch = push_batches(c) if what == "push" else create_batches(c)
    t0, cpu0, i = time.time(), time.process_time(), 0
    while time.time() - t0 < secs:
        batch(i)
        i += 1
    elapsed, cpu = time.time() - t0, time.process_time() - cpu0
    c.close()
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    print(json.dumps({"per_s": i * B / elapsed, "cores": cpu / elapsed, "cpu_us": cpu / (i * B) * 1e6}))


if __name__ == "__main__":
    main()
