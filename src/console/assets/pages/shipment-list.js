// A paged list of shipments (GET /v1/shipments with filters) as a table, shared by the
// exceptions and search pages: not a page of its own.
import { api, h, table, when, statusWords, announce } from "../app.js";

export const SHIPMENT_COLUMNS = [
  { label: "Order", value: (s) => h("a", { href: `/console/shipments/${encodeURIComponent(s.id)}` }, s.order_ref) },
  { label: "Carrier", value: (s) => s.carrier_account },
  { label: "AWB", value: (s) => s.awb || "—" },
  { label: "Status", value: (s) => [statusWords(s.status), h("div", { class: "muted" }, statusWords(s.sub_status))] },
  { label: "Buyer", value: (s) => (s.to ? `${s.to.name}, ${s.to.city}` : "—") },
  { label: "Booked", value: (s) => when(s.created_at) },
  { label: "Updated", value: (s) => when(s.updated_at) },
];

/**
 * Loads `GET /v1/shipments?<query>` into a captioned table with a "Load more" button;
 * resolves to the element once the first page is in. Throws the API's problem.
 */
export async function shipmentList(query, caption, empty = "No shipment matches.") {
  const holder = h("div", null);
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const rows = [];
  let cursor = null;
  async function load() {
    const page = await api("GET", `/v1/shipments?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    rows.push(...page.data);
    cursor = page.next_cursor;
    holder.replaceChildren(table(SHIPMENT_COLUMNS, rows, { caption: `${caption} (${rows.length}${cursor ? "+" : ""})`, empty }));
    more.hidden = !cursor;
    return page.data.length;
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try { announce(`${await load()} more shown.`); } finally { more.disabled = false; }
  });
  await load();
  return h("div", null, holder, more);
}
