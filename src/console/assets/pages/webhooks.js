// Webhook endpoints: where shipgate sends the OMS its events. Lists the endpoints,
// registers one and rotates its signing secret (each shows the new secret once, as the
// API answers it once), shows each endpoint's deliveries and its dead letters, and
// replays a message (POST /v1/webhook-messages/{id}/replay). Managing endpoints and
// replaying take an admin key, so those controls show for admin sessions only.

import { h, api, can, field, when, statusWords, table, announce } from "../app.js";
import { actionForm, section, problemBox, notice, select, query, code } from "../ui-extra.js";

export const title = "Webhook endpoints";

const DELIVERY_STATES = ["dead", "pending", "succeeded", "cancelled"];

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const admin = can("admin");
  const results = h("div", { "aria-live": "polite" });
  const endpointsHolder = h("div");
  const deadHolder = h("div");
  const deliveriesHolder = h("div");
  let endpoints = [];

  const endpointChoice = h("select", { name: "endpoint" });
  const statusChoice = select("status", [["", "Every delivery"], ...DELIVERY_STATES.map((s) => [s, statusWords(s)])],
    ctx.query.get("status") || "");
  const deliveriesForm = h("form", { class: "period", "aria-label": "Choose deliveries" },
    field("Endpoint", endpointChoice), field("Status", statusChoice),
    h("button", { type: "submit", class: "secondary" }, "Show deliveries"));
  deliveriesForm.addEventListener("submit", (e) => { e.preventDefault(); loadDeliveries(); });

  function secretNotice(what, secret, extra) {
    // Shown once: the API never answers it again.
    return notice(`${what} Copy the signing secret now: it is not shown again.`,
      h("p", null, code(secret)),
      extra || null,
      h("button", {
        type: "button", class: "secondary",
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(secret);
            announce("Secret copied.");
          } catch (_) {
            announce("Copying was refused by the browser; select the secret and copy it.");
          }
        },
      }, "Copy secret"));
  }

  async function loadEndpoints() {
    try {
      const list = await api("GET", "/v1/webhook-endpoints");
      endpoints = list.data;
      const columns = [
        { label: "URL", value: (e) => code(e.url) },
        { label: "Description", value: (e) => e.description || "—" },
        { label: "Events", value: (e) => (e.event_types ? e.event_types.join(", ") : "Every type") },
        { label: "Enabled", value: (e) => (e.enabled ? "Yes" : `No${e.disabled_reason ? ` (${e.disabled_reason})` : ""}`) },
        { label: "Old secret signs until", value: (e) => when(e.previous_secret_expires_at) },
        { label: "Created", value: (e) => when(e.created_at) },
      ];
      if (admin) {
        columns.push({
          label: "Actions",
          value: (e) => h("button", { type: "button", class: "secondary", onclick: (ev) => rotate(e, ev.currentTarget) }, "Rotate secret"),
        });
      }
      endpointsHolder.replaceChildren(table(columns, endpoints, { caption: "Registered endpoints", empty: "No endpoints yet." }));
      const chosen = endpointChoice.value;
      endpointChoice.replaceChildren(...endpoints.map((e) => h("option", { value: e.id, selected: e.id === chosen ? true : null }, e.url)));
    } catch (e) {
      endpointsHolder.replaceChildren(problemBox(e, "Endpoints"));
    }
  }

  async function rotate(endpoint, button) {
    button.disabled = true;
    try {
      const r = await api("POST", `/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}/rotate-secret`, { idempotent: true });
      results.replaceChildren(secretNotice(`New secret for ${endpoint.url}.`, r.secret,
        h("p", null, `The previous secret also signs until ${when(r.previous_secret_expires_at)}.`)));
      await loadEndpoints();
    } catch (e) {
      results.replaceChildren(problemBox(e, "Rotating the secret"));
    } finally {
      button.disabled = false;
    }
  }

  function deliveryColumns(withEndpoint) {
    const url = new Map(endpoints.map((e) => [e.id, e.url]));
    const columns = [
      { label: "Message", value: (d) => code(d.message_id) },
      { label: "Type", value: (d) => d.type },
    ];
    if (withEndpoint) columns.push({ label: "Endpoint", value: (d) => url.get(d.endpoint_id) || d.endpoint_id });
    columns.push(
      { label: "Status", value: (d) => statusWords(d.status) },
      { label: "Attempts", value: (d) => String(d.attempts), num: true },
      { label: "Last answer", value: (d) => (d.last_status_code ? String(d.last_status_code) : "—") },
      { label: "Last error", value: (d) => d.last_error || "—" },
      { label: "Last attempt", value: (d) => when(d.last_attempt_at) },
      { label: "Next attempt", value: (d) => when(d.next_attempt_at) },
    );
    if (admin) {
      columns.push({
        label: "Actions",
        value: (d) => (d.status === "pending" ? "—"
          : h("button", { type: "button", onclick: (ev) => replay(d, ev.currentTarget) }, "Replay")),
      });
    }
    return columns;
  }

  async function replay(d, button) {
    button.disabled = true;
    try {
      const r = await api("POST", `/v1/webhook-messages/${encodeURIComponent(d.message_id)}/replay`, { idempotent: true });
      results.replaceChildren(notice(`Message ${d.message_id} queued again (${r.replayed} deliver${r.replayed === 1 ? "y" : "ies"}).`));
      await Promise.all([loadDead(), loadDeliveries()]);
    } catch (e) {
      results.replaceChildren(problemBox(e, `Replaying ${d.message_id}`));
      button.disabled = false;
    }
  }

  async function loadDead() {
    if (!endpoints.length) {
      deadHolder.replaceChildren(h("p", { class: "muted" }, "No endpoints, so no dead letters."));
      return;
    }
    try {
      const lists = await Promise.all(endpoints.map((e) =>
        api("GET", `/v1/webhook-endpoints/${encodeURIComponent(e.id)}/messages?status=dead&limit=50`)));
      const dead = lists.flatMap((l) => l.data)
        .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      deadHolder.replaceChildren(table(deliveryColumns(true), dead,
        { caption: "Dead letters: every attempt failed (newest first)", empty: "No dead letters." }));
    } catch (e) {
      deadHolder.replaceChildren(problemBox(e, "Dead letters"));
    }
  }

  async function loadDeliveries() {
    const id = endpointChoice.value;
    if (!id) {
      deliveriesHolder.replaceChildren();
      return;
    }
    try {
      const list = await api("GET", `/v1/webhook-endpoints/${encodeURIComponent(id)}/messages${query({ status: statusChoice.value, limit: 100 })}`);
      deliveriesHolder.replaceChildren(table(deliveryColumns(false), list.data,
        { caption: "Deliveries to the chosen endpoint, newest first", empty: "No deliveries." }));
    } catch (e) {
      deliveriesHolder.replaceChildren(problemBox(e, "Deliveries"));
    }
  }

  const endpointsSection = section("Endpoints", endpointsHolder);
  if (admin) {
    const form = actionForm("Register an endpoint", async (f) => {
      const types = f.elements.event_types.value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
      const created = await api("POST", "/v1/webhook-endpoints", {
        json: {
          url: f.elements.url.value.trim() || undefined,
          description: f.elements.description.value.trim() || undefined,
          event_types: types.length ? types : undefined,
        },
        idempotent: true,
      });
      results.replaceChildren(secretNotice(`Endpoint ${created.url} registered.`, created.secret));
      f.reset();
      await loadEndpoints();
      await Promise.all([loadDead(), loadDeliveries()]);
    },
    h("h3", null, "Register an endpoint"),
    field("URL", h("input", { name: "url", type: "url", required: true, autocomplete: "off" })),
    field("Description", h("input", { name: "description" })),
    field("Event types", h("input", { name: "event_types", "data-pointer": "/event_types" }),
      "Comma-separated, e.g. shipment.delivered, ndr.raised; empty for every type."),
    h("button", { type: "submit" }, "Register endpoint"));
    endpointsSection.append(form);
  }
  main.append(results, endpointsSection, section("Dead letters", deadHolder),
    section("Deliveries", deliveriesForm, deliveriesHolder));
  await loadEndpoints();
  await Promise.all([loadDead(), loadDeliveries()]);
}
