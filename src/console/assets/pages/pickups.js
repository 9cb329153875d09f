// Pickups and manifests: schedule a carrier pickup from a pickup location, cancel one,
// close the day with a manifest and print its handover sheet (the PDF of
// GET /v1/manifests/{id}/document, opened in a new window with the session cookie).
// Every action is the public API's: POST /v1/pickups, POST /v1/pickups/{id}/cancel,
// POST /v1/manifests.

import { h, api, can, field, money, when, statusWords, table, announce } from "../app.js";
import {
  actionForm, section, problemBox, notice, load, select, query, idList, numberOrText, indiaToday,
} from "../ui-extra.js";

export const title = "Pickups and manifests";

const PICKUP_STATES = ["requested", "scheduled", "rejected", "completed", "partially_failed", "failed", "cancelled"];

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const [locations, carriers] = await Promise.all([
    load("/v1/pickup-locations?limit=200", (e) => main.append(problemBox(e, "Pickup locations"))),
    load("/v1/carriers", (e) => main.append(problemBox(e, "Carrier accounts"))),
  ]);
  const locs = (locations && locations.data) || [];
  const locName = new Map(locs.map((l) => [l.id, l.name]));
  const accounts = ((carriers && carriers.data) || []);
  const accountName = new Map(accounts.map((a) => [a.account, `${a.name} (${a.account})`]));
  const writer = can("write");

  // ---- pickups ----
  const pickupsHolder = h("div");
  const stateFilter = select("state", [["", "Every state"], ...PICKUP_STATES.map((s) => [s, statusWords(s)])],
    ctx.query.get("state") || "");
  const filterForm = h("form", { class: "period", "aria-label": "Filter pickups" },
    field("Pickup state", stateFilter),
    h("button", { type: "submit", class: "secondary" }, "Show pickups"));
  filterForm.addEventListener("submit", (e) => { e.preventDefault(); loadPickups(); });

  async function loadPickups() {
    pickupsHolder.replaceChildren(h("p", { class: "muted" }, "Loading pickups…"));
    try {
      const list = await api("GET", `/v1/pickups${query({ limit: 100, state: stateFilter.value })}`);
      pickupsHolder.replaceChildren(pickupTable(list.data));
    } catch (e) {
      pickupsHolder.replaceChildren(problemBox(e, "Pickups"));
    }
  }

  function pickupTable(rows) {
    const columns = [
      { label: "Pickup", value: (p) => p.id },
      { label: "Location", value: (p) => locName.get(p.pickup_location) || p.pickup_location },
      { label: "Carrier account", value: (p) => accountName.get(p.carrier_account) || p.carrier_account },
      { label: "Date", value: (p) => when(p.carrier_date || p.date) },
      { label: "Window", value: (p) => (p.window ? `${p.window.from}–${p.window.to}` : "—") },
      { label: "Parcels", value: (p) => String(p.packages), num: true },
      { label: "State", value: (p) => statusWords(p.state) },
      { label: "Carrier's reference", value: (p) => p.carrier_pickup_id || "—" },
      { label: "Carrier's words", value: (p) => p.carrier_message || "—" },
      { label: "Shipments", value: (p) => shipmentOutcomes(p.shipments) },
    ];
    if (writer) {
      columns.push({
        label: "Actions",
        value: (p) => (["requested", "scheduled"].includes(p.state)
          ? h("button", { type: "button", class: "danger", onclick: (e) => cancelPickup(p, e.currentTarget) }, "Cancel pickup")
          : "—"),
      });
    }
    return table(columns, rows, { caption: "Pickups, newest first", empty: "No pickups." });
  }

  function shipmentOutcomes(list) {
    if (!list || !list.length) return "—";
    return h("ul", { class: "plain" }, list.map((s) => h("li", null,
      h("a", { href: `/console/shipments/${encodeURIComponent(s.shipment_id)}` }, s.awb || s.order_ref),
      ` ${statusWords(s.outcome)}${s.outcome_text ? ` (${s.outcome_text})` : ""}`)));
  }

  async function cancelPickup(p, button) {
    button.disabled = true;
    try {
      const done = await api("POST", `/v1/pickups/${encodeURIComponent(p.id)}/cancel`, { idempotent: true });
      announce(`Pickup ${done.id} cancelled. ${done.carrier_message || ""}`);
      results.replaceChildren(notice(`Pickup ${done.id} is ${statusWords(done.state).toLowerCase()}.`,
        done.carrier_message ? h("p", null, done.carrier_message) : null));
      await loadPickups();
    } catch (e) {
      results.replaceChildren(problemBox(e, `Cancelling pickup ${p.id}`));
      button.disabled = false;
    }
  }

  const results = h("div", { "aria-live": "polite" });

  function locationSelect() {
    return select("pickup_location",
      [["", "Choose a location"], ...locs.filter((l) => l.active).map((l) => [l.id, `${l.name} (${l.id})`])]);
  }

  // Pickups go to accounts whose carrier collects (the `pickups` family); a manifest's
  // handover sheet is shipgate's own, so any account may close the day.
  function accountSelect(family) {
    const usable = accounts.filter((a) => !family || (a.families || []).includes(family));
    return select("carrier_account",
      [["", "Choose an account"], ...usable.map((a) => [a.account, `${a.name} (${a.account})`])]);
  }

  const pickupSection = section("Pickups");
  if (writer) {
    const from = h("input", { name: "from", type: "time", "data-pointer": "/window/from" });
    const to = h("input", { name: "to", type: "time", "data-pointer": "/window/to" });
    const form = actionForm("Schedule a pickup", async (f) => {
      const body = {
        pickup_location: f.elements.pickup_location.value || undefined,
        carrier_account: f.elements.carrier_account.value || undefined,
        date: f.elements.date.value || undefined,
        shipments: idList(f.elements.shipments.value),
        packages: numberOrText(f.elements.packages.value),
      };
      if (from.value || to.value) body.window = { from: from.value, to: to.value };
      const p = await api("POST", "/v1/pickups", { json: body, idempotent: true });
      results.replaceChildren(notice(`Pickup ${p.id} is ${statusWords(p.state).toLowerCase()}.`,
        p.carrier_message ? h("p", null, p.carrier_message) : null));
      f.reset();
      f.elements.date.value = indiaToday();
      await loadPickups();
    },
    h("h3", null, "Schedule a pickup"),
    field("Pickup location", locationSelect()),
    field("Carrier account", accountSelect("pickups")),
    field("Date", h("input", { name: "date", type: "date", value: indiaToday() }), "Today (India time) up to 7 days ahead."),
    field("Window from", from),
    field("Window to", to),
    field("Shipments", h("textarea", { name: "shipments", rows: 2 }), "Shipment ids, one per line; or leave empty and give a parcel count."),
    field("Parcels", h("input", { name: "packages", inputmode: "numeric" })),
    h("button", { type: "submit" }, "Schedule pickup"));
    pickupSection.append(form);
  }
  pickupSection.append(filterForm, pickupsHolder);

  // ---- manifests ----
  const manifestsHolder = h("div");
  async function loadManifests() {
    manifestsHolder.replaceChildren(h("p", { class: "muted" }, "Loading manifests…"));
    try {
      const list = await api("GET", "/v1/manifests?limit=100");
      manifestsHolder.replaceChildren(manifestTable(list.data));
    } catch (e) {
      manifestsHolder.replaceChildren(problemBox(e, "Manifests"));
    }
  }

  function manifestTable(rows) {
    return table([
      { label: "Manifest", value: (m) => m.id },
      { label: "Date", value: (m) => when(m.date) },
      { label: "Location", value: (m) => locName.get(m.pickup_location) || m.pickup_location },
      { label: "Carrier account", value: (m) => accountName.get(m.carrier_account) || m.carrier_account },
      { label: "Shipments", value: (m) => String(m.shipment_count), num: true },
      { label: "Pieces", value: (m) => String(m.pieces), num: true },
      { label: "COD to collect", value: (m) => money(m.cod_total), num: true },
      { label: "Carrier's manifest", value: (m) => statusWords(m.carrier_state) + (m.carrier_message ? ` (${m.carrier_message})` : "") },
      {
        label: "Handover sheet",
        // Opening the PDF is reading, so every role may print it.
        value: (m) => h("button", {
          type: "button", class: "secondary",
          "aria-label": `Print handover sheet of manifest ${m.id}`,
          onclick: () => printSheet(m),
        }, "Print handover sheet"),
      },
    ], rows, { caption: "Manifests, newest first", empty: "No manifests yet." });
  }

  function printSheet(m) {
    // The document route takes the session cookie like every /v1 GET; a new window shows
    // the browser's PDF viewer, with its print button.
    const url = m.document || `/v1/manifests/${encodeURIComponent(m.id)}/document`;
    const opened = window.open(url, "_blank", "noopener");
    announce(`Handover sheet of ${m.id} opened in a new window.`);
    return opened;
  }

  const manifestSection = section("Manifests");
  if (writer) {
    const form = actionForm("Create a manifest", async (f) => {
      const body = {
        pickup_location: f.elements.pickup_location.value || undefined,
        carrier_account: f.elements.carrier_account.value || undefined,
        date: f.elements.date.value || undefined,
        shipments: idList(f.elements.shipments.value),
      };
      const m = await api("POST", "/v1/manifests", { json: body, idempotent: true });
      results.replaceChildren(notice(`Manifest ${m.id}: ${m.shipment_count} shipments, ${m.pieces} pieces.`,
        h("p", null, h("button", { type: "button", onclick: () => printSheet(m) }, "Print handover sheet"))));
      f.reset();
      await loadManifests();
    },
    h("h3", null, "Close the day"),
    field("Pickup location", locationSelect()),
    field("Carrier account", accountSelect()),
    field("Date", h("input", { name: "date", type: "date" }), "Today (India time) when empty."),
    field("Shipments", h("textarea", { name: "shipments", rows: 2 }), "Shipment ids, one per line; empty: every shipment booked with the account from the location and not manifested yet."),
    h("button", { type: "submit" }, "Create manifest"));
    manifestSection.append(form);
  }
  manifestSection.append(manifestsHolder);

  const locationSection = section("Pickup locations", table([
    { label: "Location", value: (l) => `${l.name} (${l.id})` },
    { label: "Active", value: (l) => (l.active ? "Yes" : "No") },
    { label: "Hours", value: (l) => (l.working_hours ? `${l.working_hours.from}–${l.working_hours.to}` : "—") },
    { label: "Registered with", value: (l) => (l.registrations.length ? h("ul", null, l.registrations.map((r) => h("li", null,
      `${r.account}: ${statusWords(r.state)}${r.carrier_active === false ? " (not active at the carrier yet)" : ""}${r.carrier_message && r.state === "failed" ? ` — ${r.carrier_message}` : ""}`))) : "—") },
  ], locs, { caption: "Pickup locations and their carrier registrations", empty: "No pickup locations yet: an admin key registers one with POST /v1/pickup-locations." }));

  main.append(results, pickupSection, manifestSection, locationSection);
  await Promise.all([loadPickups(), loadManifests()]);
}
