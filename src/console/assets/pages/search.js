// Search by AWB, order reference or buyer phone: the list filters of GET /v1/shipments
// (`awb`, `order_ref`, `buyer_phone`). "Any" asks each that the words could be and shows
// every match once.
import { api, h, field, table, showProblem, clearProblem, ApiProblem } from "../app.js";
import { SHIPMENT_COLUMNS } from "./shipment-list.js";

export const title = "Search";

const BY = [
  ["any", "AWB, order reference or phone"],
  ["awb", "AWB"],
  ["order_ref", "Order reference"],
  ["buyer_phone", "Buyer phone"],
];

function looksLikePhone(q) {
  const digits = q.replace(/\D/g, "");
  return /^[\d\s\-().+]+$/.test(q) && digits.length >= 6 && digits.length <= 15;
}

export async function render(main, ctx) {
  const q = (ctx.query.get("q") || "").trim();
  const by = BY.some(([v]) => v === ctx.query.get("by")) ? ctx.query.get("by") : "any";
  const input = h("input", { type: "search", name: "q", value: q, required: true, autocomplete: "off" });
  const select = h("select", { name: "by" }, BY.map(([v, label]) => h("option", { value: v, selected: v === by }, label)));
  const form = h("form", { role: "search", novalidate: true },
    field("Search for", input), field("Search by", select),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Search")));
  const results = h("div", { "aria-live": "polite" });
  main.append(h("h1", null, "Search"), form, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const words = input.value.trim();
    if (!words) {
      showProblem(form, { title: "Enter what to search for.", errors: [{ pointer: "/q", detail: "Enter an AWB, an order reference or a phone number." }] });
      return;
    }
    ctx.navigate(`/console/search?q=${encodeURIComponent(words)}&by=${select.value}`);
  });
  if (!q) {
    input.focus();
    return;
  }
  clearProblem(form);
  const filters = by === "any"
    ? ["awb", "order_ref", ...(looksLikePhone(q) ? ["buyer_phone"] : [])]
    : [by];
  const answers = await Promise.allSettled(filters.map((f) =>
    api("GET", `/v1/shipments?${f}=${encodeURIComponent(q)}&limit=50`)));
  const seen = new Map();
  for (const [i, a] of answers.entries()) {
    if (a.status === "rejected") {
      const field422 = a.reason instanceof ApiProblem && a.reason.status === 422;
      if (!field422) throw a.reason;
      // The words are not a valid value for this filter: at the search box.
      if (by !== "any") {
        const p = a.reason.problem;
        showProblem(form, { ...p, errors: (p.errors || []).map((e) => ({ ...e, pointer: "/q" })) });
        return;
      }
      continue;
    }
    for (const s of a.value.data) if (!seen.has(s.id)) seen.set(s.id, { ...s, matched: filters[i] });
  }
  const rows = [...seen.values()];
  const label = Object.fromEntries(BY);
  results.append(table(
    [...SHIPMENT_COLUMNS, { label: "Matched by", value: (s) => label[s.matched] }],
    rows, { caption: `Shipments matching “${q}” (${rows.length})`, empty: "No shipment matches." }));
  ctx.announce(`${rows.length} shipment${rows.length === 1 ? "" : "s"} found.`);
}
