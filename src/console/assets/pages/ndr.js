// The NDR queue (GET /v1/ndr): shipments waiting after a failed delivery attempt, why the
// attempt failed, what the tenant's NDR policy decided, what was done, and the actions of
// the NDR API one click away (POST /v1/shipments/{id}/ndr-actions).
import { api, h, can, when, statusWords, announce } from "../app.js";
import { ndrActions, decisionWords } from "./ndr-actions.js";

export const title = "NDR queue";

function actionWords(a) {
  return `Attempt ${a.attempt}: ${statusWords(a.action)} — ${statusWords(a.state)}${a.source !== "api" ? ` (${a.source})` : ""}`;
}

export async function render(main) {
  const writer = can("write");
  const body = h("tbody", null);
  const region = h("div", { class: "table-region", role: "region", tabindex: "0", "aria-label": "NDR queue" },
    h("table", null,
      h("caption", null, "Shipments waiting after a failed delivery attempt"),
      h("thead", null, h("tr", null,
        ["Shipment", "Reason", "Attempts", "Last attempt", "Policy decided", "Actions taken", writer ? "Act" : null]
          .filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
      body));
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const status = h("p", { class: "muted", role: "status" });
  main.append(h("h1", null, "NDR queue"),
    h("p", null, "Each failed delivery attempt waits here until the carrier delivers, returns the parcel, or is told what to do."),
    status, region, more);
  const columns = writer ? 7 : 6;
  let cursor = null;
  let shown = 0;

  function row(e) {
    const taken = h("td", null, e.actions.length ? null : "None yet",
      h("ul", null, e.actions.map((a) => h("li", null, actionWords(a)))));
    return h("tr", null,
      h("td", null, h("a", { href: `/console/shipments/${encodeURIComponent(e.shipment_id)}` }, e.order_ref),
        h("div", { class: "muted" }, `${e.carrier_account}${e.awb ? ` · AWB ${e.awb}` : ""}`)),
      h("td", null, statusWords(e.reason), e.reason_text ? h("div", { class: "muted" }, e.reason_text) : null),
      h("td", { class: "num" }, String(e.attempts)),
      h("td", null, when(e.attempted_at), h("div", { class: "muted" }, `${e.hours_since_attempt} h ago`),
        e.carrier_deadline ? h("div", null, `Carrier returns it after ${when(e.carrier_deadline)}`) : null),
      h("td", null, e.decisions.length ? h("ul", null, e.decisions.map((d) => h("li", null, decisionWords(d)))) : "No decision"),
      taken,
      writer ? h("td", { class: "act" }, ndrActions({ id: e.shipment_id }, (action) => {
        if (taken.firstChild && taken.firstChild.nodeType === Node.TEXT_NODE) taken.firstChild.remove();
        taken.querySelector("ul").append(h("li", null, actionWords(action)));
      })) : null);
  }

  async function load() {
    const page = await api("GET", `/v1/ndr?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    for (const e of page.data) body.append(row(e));
    shown += page.data.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    status.textContent = shown ? `${shown} shipment${shown === 1 ? "" : "s"} shown${cursor ? "; more to load" : ""}.` : "No shipment is waiting after a failed attempt.";
    if (!shown) body.append(h("tr", null, h("td", { colspan: columns, class: "muted" }, "The queue is empty.")));
    return page.data.length;
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try { announce(`${await load()} more shown.`); } finally { more.disabled = false; }
  });
  await load();
}
