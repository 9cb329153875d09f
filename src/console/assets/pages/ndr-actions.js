// The NDR actions of one shipment (POST /v1/shipments/{id}/ndr-actions), shared by the
// NDR queue and the shipment page: not a page of its own. Each button opens a small form;
// the API's answer (or its problem, at the field it names) shows in that form.
import { api, h, field, showProblem, clearProblem, busy, announce, statusWords } from "../app.js";

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

/** Today and seven days ahead (the API's window for a date; India time is close enough
 *  for the picker's bounds, and the API has the last word). */
function dateBounds() {
  const now = new Date();
  return { min: isoDay(now), max: isoDay(new Date(now.getTime() + 7 * 86400000)) };
}

function addressFields(to) {
  const a = to || {};
  const input = (name, label, value, required) =>
    field(label, h("input", { name, value: value || "", required: !!required, autocomplete: "off" }));
  return h("fieldset", { "data-pointer": "/address" },
    h("legend", null, "Corrected address"),
    input("name", "Name", a.name, true),
    input("phone", "Phone", a.phone, true),
    input("line1", "Address line 1", a.line1, true),
    input("line2", "Address line 2", a.line2),
    input("landmark", "Landmark", a.landmark),
    input("city", "City", a.city, true),
    input("state", "State", a.state),
    input("postal_code", "PIN code", a.postal_code, true));
}

function readAddress(form) {
  const out = {};
  for (const name of ["name", "phone", "line1", "line2", "landmark", "city", "state", "postal_code"]) {
    const v = form.elements[name].value.trim();
    if (v) out[name] = v;
  }
  return out;
}

const KINDS = {
  reattempt: {
    button: "Re-attempt",
    submit: "Send re-attempt",
    body: () => {
      const { min, max } = dateBounds();
      return [field("Delivery date (optional)", h("input", { type: "date", name: "date", min, max }),
        "Leave empty for the carrier's next attempt.")];
    },
    json: (form) => {
      const date = form.elements.date.value;
      return date ? { action: "reattempt", date } : { action: "reattempt" };
    },
  },
  change_address: {
    button: "Change address",
    submit: "Send address",
    body: (shipment) => [addressFields(shipment && shipment.to)],
    json: (form) => ({ action: "change_address", address: readAddress(form) }),
  },
  change_phone: {
    button: "Change phone",
    submit: "Send phone",
    body: () => [field("Buyer's other number", h("input", { type: "tel", name: "phone", required: true, autocomplete: "off" }))],
    json: (form) => ({ action: "change_phone", phone: form.elements.phone.value.trim() }),
  },
  rto: {
    button: "Return to origin",
    submit: "Confirm return to origin",
    body: () => [h("p", null, "The carrier stops trying and sends the parcel back.")],
    json: () => ({ action: "rto" }),
  },
};

/**
 * The four action buttons and the place their forms open. `shipment` needs `id` (and
 * `to` to prefill a corrected address); `onDone(action)` runs after the API accepted one.
 */
export function ndrActions(shipment, onDone) {
  const slot = h("div", null);
  const buttons = Object.entries(KINDS).map(([kind, spec]) =>
    h("button", {
      type: "button", class: "secondary", "aria-expanded": "false",
      onclick: (event) => open(kind, spec, event.currentTarget),
    }, spec.button));
  const bar = h("div", { class: "actions", role: "group", "aria-label": "NDR actions" }, buttons);

  function open(kind, spec, button) {
    const already = button.getAttribute("aria-expanded") === "true";
    for (const b of buttons) b.setAttribute("aria-expanded", "false");
    slot.replaceChildren();
    if (already) return;
    button.setAttribute("aria-expanded", "true");
    const submit = h("button", { type: "submit" }, spec.submit);
    const form = h("form", { class: "inline-form", novalidate: true, "aria-label": spec.button },
      spec.body(shipment),
      h("div", { class: "actions" }, submit,
        h("button", { type: "button", class: "secondary", onclick: () => { slot.replaceChildren(); button.setAttribute("aria-expanded", "false"); button.focus(); } }, "Close")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblem(form);
      try {
        const action = await busy(submit, api("POST", `/v1/shipments/${encodeURIComponent(shipment.id)}/ndr-actions`,
          { json: spec.json(form), idempotent: true }));
        const words = `${spec.button}: ${statusWords(action.state)}${action.carrier_message ? ` — ${action.carrier_message}` : ""}`;
        slot.replaceChildren(h("p", { class: "notice", role: "status" }, words));
        for (const b of buttons) b.setAttribute("aria-expanded", "false");
        announce(words);
        if (onDone) onDone(action);
      } catch (e) {
        showProblem(form, e);
      }
    });
    slot.append(form);
    const first = form.querySelector("input, button");
    if (first) first.focus();
  }

  return h("div", { class: "ndr-actions" }, bar, slot);
}

/** The policy's decisions in words: "Attempt 1: reattempt (rule late-evening, policy v2)". */
export function decisionWords(d) {
  const rule = d.rule ? `rule ${d.rule}, ` : "no rule matched, ";
  return `Attempt ${d.attempt}: ${d.decision} (${rule}policy v${d.policy_version})${d.detail ? ` — ${d.detail}` : ""}`;
}
