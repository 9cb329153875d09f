// Weight discrepancies: carriers' charged weights flagged over the tolerance
// (GET /v1/weight-discrepancies), disputing one with the parcel's evidence
// (POST /v1/shipments/{id}/weight-dispute) and recording the carrier's decision where it
// has no dispute API (POST /v1/shipments/{id}/weight-dispute/decision).

import { h, api, can, field, money, when, statusWords, table } from "../app.js";
import { actionForm, section, problemBox, notice, select, query, grams, numberOrText, idList } from "../ui-extra.js";

export const title = "Weight discrepancies";

const STATES = ["open", "disputed", "accepted", "rejected"];

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const writer = can("write");
  const results = h("div", { "aria-live": "polite" });
  const holder = h("div");
  const forms = h("div");
  const state = select("state", [["", "Every flagged one"], ...STATES.map((s) => [s, statusWords(s)])],
    ctx.query.get("state") || "");
  const filter = h("form", { class: "period", "aria-label": "Filter discrepancies" },
    field("State", state), h("button", { type: "submit", class: "secondary" }, "Show discrepancies"));
  filter.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  let cursor = null;

  async function refresh(more) {
    if (!more) {
      cursor = null;
      holder.replaceChildren(h("p", { class: "muted" }, "Loading discrepancies…"));
    }
    try {
      const list = await api("GET", `/v1/weight-discrepancies${query({ state: state.value, limit: 100, cursor: more ? cursor : "" })}`);
      cursor = list.next_cursor;
      const view = [discrepancyTable(list.data)];
      if (cursor) {
        view.push(h("button", { type: "button", class: "secondary", onclick: () => refresh(true) }, "Show more"));
      }
      if (more) holder.append(...view);
      else holder.replaceChildren(...view);
    } catch (e) {
      holder.replaceChildren(problemBox(e, "Weight discrepancies"));
    }
  }

  function discrepancyTable(rows) {
    const columns = [
      { label: "AWB", value: (d) => h("a", { href: `/console/shipments/${encodeURIComponent(d.shipment_id)}` }, d.awb) },
      { label: "Carrier", value: (d) => d.carrier },
      { label: "Declared", value: (d) => grams(d.declared_g), num: true },
      { label: "Charged", value: (d) => grams(d.charged_g), num: true },
      { label: "Difference", value: (d) => grams(d.difference_g), num: true },
      { label: "Tolerance", value: (d) => grams(d.tolerance_g), num: true },
      { label: "Cost of the difference", value: (d) => (d.impact ? money(d.impact) : (d.impact_note || "—")), num: true },
      { label: "State", value: (d) => statusWords(d.state) },
      { label: "Flagged", value: (d) => when(d.flagged_at) },
    ];
    if (writer) {
      columns.push({
        label: "Actions",
        value: (d) => {
          if (d.state === "open") {
            return h("button", { type: "button", onclick: () => disputeForm(d) }, "Dispute");
          }
          if (d.state === "disputed") {
            return h("button", { type: "button", class: "secondary", onclick: () => decisionForm(d) }, "Record decision");
          }
          return "—";
        },
      });
    }
    return table(columns, rows, { caption: "Charged weights over the tolerance, newest first", empty: "No discrepancies." });
  }

  function disputeForm(d) {
    const form = actionForm(`Dispute the weight of ${d.awb}`, async () => {
      const e = form.elements;
      const dispute = await api("POST", `/v1/shipments/${encodeURIComponent(d.shipment_id)}/weight-dispute`, {
        json: {
          weight_g: numberOrText(e.weight_g.value),
          length_mm: numberOrText(e.length_mm.value),
          width_mm: numberOrText(e.width_mm.value),
          height_mm: numberOrText(e.height_mm.value),
          photo_urls: idList(e.photo_urls.value),
          comment: e.comment.value.trim() || undefined,
        },
        idempotent: true,
      });
      forms.replaceChildren();
      results.replaceChildren(notice(`Dispute ${dispute.id} raised for ${d.awb} (${dispute.raised_via === "carrier"
        ? "through the carrier's API" : "tracked in shipgate: raise it in the carrier's panel too"}).`));
      await refresh();
    },
    h("h3", null, `Dispute ${d.awb}`),
    h("p", { class: "muted" }, `Declared ${grams(d.declared_g)}, charged ${grams(d.charged_g)}.`),
    field("Weight on the scale (g)", h("input", { name: "weight_g", inputmode: "numeric", required: true })),
    field("Length (mm)", h("input", { name: "length_mm", inputmode: "numeric", required: true })),
    field("Width (mm)", h("input", { name: "width_mm", inputmode: "numeric", required: true })),
    field("Height (mm)", h("input", { name: "height_mm", inputmode: "numeric", required: true })),
    field("Photo links", h("textarea", { name: "photo_urls", rows: 3, "data-pointer": "/photo_urls" }),
      "1 to 10 secure (https) links to photos of the parcel on the scale and its sides, one per line."),
    field("Comment", h("textarea", { name: "comment", rows: 2 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Raise dispute"),
      h("button", { type: "button", class: "secondary", onclick: () => forms.replaceChildren() }, "Close")));
    forms.replaceChildren(form);
    form.querySelector("input").focus();
  }

  function decisionForm(d) {
    const form = actionForm(`Record the carrier's decision on ${d.awb}`, async () => {
      const e = form.elements;
      const decided = await api("POST", `/v1/shipments/${encodeURIComponent(d.shipment_id)}/weight-dispute/decision`, {
        json: { outcome: e.outcome.value || undefined, note: e.note.value.trim() || undefined },
        idempotent: true,
      });
      forms.replaceChildren();
      results.replaceChildren(notice(`The dispute of ${d.awb} is ${statusWords(decided.state).toLowerCase()}.`));
      await refresh();
    },
    h("h3", null, `Carrier's decision on ${d.awb}`),
    field("Outcome", select("outcome", [["", "Choose"], ["accepted", "Accepted: the declared weight stands"],
      ["rejected", "Rejected: the charged weight stands"]])),
    field("Carrier's note", h("textarea", { name: "note", rows: 2 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Record decision"),
      h("button", { type: "button", class: "secondary", onclick: () => forms.replaceChildren() }, "Close")));
    forms.replaceChildren(form);
    form.querySelector("select").focus();
  }

  main.append(results, section("Discrepancies", filter, forms, holder));
  await refresh();
}
