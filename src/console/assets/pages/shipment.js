// One shipment (GET /v1/shipments/{id}): details, timeline, label, actions (cancel, NDR
// actions, book a return) and the outbound webhook messages about it
// (GET /v1/shipments/{id}/webhook-messages). Every action is the API's own route.
import { api, h, field, can, table, when, money, statusWords, showProblem, clearProblem, busy, announce, ApiProblem } from "../app.js";
import { ndrActions } from "./ndr-actions.js";

export const title = "Shipment";

const RETURN_REASONS = [
  ["damaged", "Arrived damaged"], ["defective", "Does not work"], ["wrong_item", "Wrong item"],
  ["missing_parts", "Parts missing"], ["not_as_described", "Not as described"], ["size_issue", "Size or fit"],
  ["quality_issue", "Quality"], ["changed_mind", "Changed their mind"], ["arrived_late", "Arrived late"],
  ["other", "Other"],
];

function address(a) {
  if (!a) return "—";
  return [a.name, a.line1, a.line2, a.landmark, [a.city, a.state, a.postal_code].filter(Boolean).join(" "), a.country, a.phone]
    .filter(Boolean).join(", ");
}

function details(s) {
  const rows = [
    ["Order reference", s.order_ref],
    ["Status", `${statusWords(s.status)} — ${statusWords(s.sub_status)}`],
    ["Kind", s.kind === "reverse" ? "Customer return" : "Forward"],
    ["Carrier account", s.carrier_account],
    ["Service", s.service || "—"],
    ["AWB", s.awb || "—"],
    ["Booking", statusWords(s.booking_state) + (s.failure ? ` — ${s.failure}` : "")],
    ["Failed delivery attempts", String(s.ndr_attempts)],
    ["Estimated delivery", s.estimated_delivery ? when(s.estimated_delivery) : "—"],
    ["Payment", s.payment ? `${statusWords(s.payment.mode || "")}${s.payment.cod_amount ? ` ${money(s.payment.cod_amount)}` : ""}` : "—"],
    ["Charged", money(s.charged)],
    ["From", address(s.from)],
    ["To", address(s.to)],
    ["Parcels", String((s.parcels || []).length)],
    ["Address quality", s.address_quality ? `${s.address_quality.band} (${s.address_quality.score})` : "—"],
    ["Booked", when(s.created_at)],
    ["Updated", when(s.updated_at)],
  ];
  if (s.forward_shipment_id) rows.push(["Returns shipment", h("a", { href: `/console/shipments/${encodeURIComponent(s.forward_shipment_id)}` }, s.forward_shipment_id)]);
  if (s.tracking_url) rows.push(["Buyer's tracking page", h("a", { href: s.tracking_url, target: "_blank", rel: "noopener" }, "Open the tracking page")]);
  return h("dl", { class: "details" }, rows.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

function timeline(events) {
  if (!events || !events.length) return h("p", { class: "muted" }, "No tracking event yet.");
  return h("ol", { class: "timeline", "aria-label": "Tracking events, newest first" },
    [...events].reverse().map((e) => h("li", null,
      h("strong", null, statusWords(e.sub_status)), " · ", when(e.event_time),
      e.location ? ` · ${e.location}` : "",
      h("div", { class: "muted" }, [e.carrier_status, e.description, e.ndr_reason].filter(Boolean).join(" — ")))));
}

function cancelForm(s, reload) {
  const submit = h("button", { type: "submit", class: "danger" }, "Cancel shipment");
  const form = h("form", { class: "inline-form", "aria-label": "Cancel shipment" },
    h("p", null, "The carrier is told to cancel the booking; a parcel already picked up cannot be cancelled."), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    try {
      await busy(submit, api("POST", `/v1/shipments/${encodeURIComponent(s.id)}/cancel`, { idempotent: true }));
      announce("Shipment cancelled.");
      await reload();
    } catch (e) {
      showProblem(form, e);
    }
  });
  return form;
}

function returnForm(s, ctx) {
  const reason = h("select", { name: "reason", required: true },
    h("option", { value: "" }, "Choose a reason"),
    RETURN_REASONS.map(([v, label]) => h("option", { value: v }, label)));
  const comment = h("textarea", { name: "comment", rows: 2, maxlength: 200 });
  const submit = h("button", { type: "submit" }, "Book return");
  const form = h("form", { class: "inline-form", novalidate: true, "aria-label": "Book return" },
    h("p", null, "A reverse pickup from the buyer back to the warehouse, with this shipment's parcels and addresses."),
    field("Reason", reason), field("Buyer's words (optional)", comment),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    const json = {};
    if (reason.value) json.reason = reason.value;
    if (comment.value.trim()) json.comment = comment.value.trim();
    try {
      const r = await busy(submit, api("POST", `/v1/shipments/${encodeURIComponent(s.id)}/returns`, { json, idempotent: true }));
      announce(`Return booked: ${r.order_ref}.`);
      form.replaceChildren(h("p", { class: "notice", role: "status" }, "Return booked: ",
        h("a", { href: `/console/shipments/${encodeURIComponent(r.id)}` }, `${r.order_ref}${r.awb ? ` (AWB ${r.awb})` : ""}`)));
    } catch (e) {
      showProblem(form, e);
    }
  });
  return form;
}

async function webhookMessages(s) {
  let list;
  try {
    list = await api("GET", `/v1/shipments/${encodeURIComponent(s.id)}/webhook-messages`);
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404 && e.problem.code === "not_found" && /route/.test(e.problem.detail || "")) {
      return h("p", { class: "muted" }, "This gateway does not list webhook messages by shipment.");
    }
    throw e;
  }
  const rows = [];
  for (const m of list.data) {
    for (const d of m.deliveries) rows.push({ m, d });
    if (!m.deliveries.length) rows.push({ m, d: null });
  }
  return table([
    { label: "Event", value: (r) => r.m.type },
    { label: "Message", value: (r) => r.m.id },
    { label: "Created", value: (r) => when(r.m.created_at) },
    { label: "Endpoint", value: (r) => (r.d ? r.d.endpoint_id : "—") },
    { label: "Delivery", value: (r) => (r.d ? statusWords(r.d.status) : "—") },
    { label: "Attempts", value: (r) => (r.d ? String(r.d.attempts) : "—"), num: true },
    { label: "Last answer", value: (r) => (r.d ? [r.d.last_status_code ? `HTTP ${r.d.last_status_code}` : "", r.d.last_error || ""].filter(Boolean).join(" — ") || "—" : "—") },
  ], rows, { caption: "Outbound webhook deliveries about this shipment", empty: "No webhook message about this shipment." });
}

export async function render(main, ctx) {
  const id = ctx.params.id;
  async function reload() {
    main.replaceChildren();
    await show();
  }
  async function show() {
    const s = await api("GET", `/v1/shipments/${encodeURIComponent(id)}`);
    document.title = `Shipment ${s.order_ref} — shipgate console`;
    const writer = can("write");
    const refresh = h("button", { type: "button", class: "secondary" }, "Refresh tracking");
    refresh.addEventListener("click", async () => {
      try {
        await busy(refresh, api("GET", `/v1/shipments/${encodeURIComponent(id)}/tracking`));
        announce("Tracking refreshed.");
        await reload();
      } catch (e) {
        announce(e.message);
        refresh.after(h("p", { class: "problem", role: "alert" }, e.message));
      }
    });
    main.append(
      h("h1", null, `Shipment ${s.order_ref}`),
      h("p", { class: "muted" }, s.id),
      h("div", { class: "actions" },
        s.booking_state === "confirmed" ? h("a", { class: "button secondary", href: s.links.label, target: "_blank", rel: "noopener" },
          `Open label (${String(s.label_format || "pdf").toUpperCase()})`) : null,
        refresh),
      details(s),
      h("h2", null, "Timeline"),
      timeline(s.events));
    if (s.returns && s.returns.length) {
      main.append(h("h2", null, "Returns"), table([
        { label: "Return", value: (r) => h("a", { href: `/console/shipments/${encodeURIComponent(r.id)}` }, r.id) },
        { label: "AWB", value: (r) => r.awb || "—" },
        { label: "Status", value: (r) => statusWords(r.sub_status) },
        { label: "Reason", value: (r) => statusWords(r.reason) },
        { label: "Booked", value: (r) => when(r.created_at) },
      ], s.returns, { caption: "Returns of this shipment" }));
    }
    if (s.status === "delivery_failed" && s.kind !== "reverse") {
      main.append(h("h2", null, "Failed delivery"));
      const ndr = await api("GET", `/v1/shipments/${encodeURIComponent(id)}/ndr-actions`);
      main.append(table([
        { label: "Attempt", value: (a) => String(a.attempt), num: true },
        { label: "Action", value: (a) => statusWords(a.action) },
        { label: "State", value: (a) => statusWords(a.state) },
        { label: "Decided by", value: (a) => a.source },
        { label: "Carrier said", value: (a) => a.carrier_message || "—" },
        { label: "Requested", value: (a) => when(a.requested_at) },
      ], ndr.data, { caption: "NDR actions", empty: "No action yet." }));
      if (writer) main.append(ndrActions(s, () => reload()));
    }
    if (writer) {
      const cancellable = !s.terminal && ["pre_transit", "unknown"].includes(s.status) && s.booking_state !== "failed";
      const returnable = s.kind !== "reverse" && s.status === "delivered";
      if (cancellable || returnable) main.append(h("h2", null, "Actions"));
      if (cancellable) main.append(cancelForm(s, reload));
      if (returnable) main.append(returnForm(s, ctx));
    }
    main.append(h("h2", null, "Webhook deliveries"), await webhookMessages(s));
  }
  await show();
}
