// COD reconciliation: upload a carrier's remittance file (the CSV as chosen, sent as the
// body of POST /v1/cod-remittances with `file_name` and `layout` in the query, as the API
// takes it), see what each line matched, and the report of GET /v1/reports/cod:
// collected, remitted, outstanding and overdue per carrier account, the overdue
// shipments (GET /v1/cod/outstanding) and the lines paid at another amount than expected.

import { h, api, can, field, money, when, statusWords, table, svgBars } from "../app.js";
import { actionForm, section, problemBox, notice, load, select, query, indiaToday } from "../ui-extra.js";

export const title = "COD reconciliation";

const OUTCOMES = ["matched", "amount_mismatch", "remitted_not_delivered", "unknown_awb", "duplicate_line"];

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const results = h("div", { "aria-live": "polite" });
  main.append(results);

  // ---- upload ----
  if (can("write")) {
    const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv", required: true });
    const layout = select("layout", [["", "Recognise from the header row"], ["delhivery", "Delhivery"],
      ["shiprocket", "Shiprocket"], ["generic", "shipgate generic"]]);
    const form = actionForm("Upload a remittance file", async () => {
      const chosen = file.files && file.files[0];
      if (!chosen) throw new Error("Choose the carrier's remittance file (CSV) first.");
      const r = await api("POST", `/v1/cod-remittances${query({ layout: layout.value, file_name: chosen.name })}`, {
        body: chosen, contentType: "text/csv", idempotent: true,
      });
      await showRemittance(r, true);
      form.reset();
      await Promise.all([loadReport(), loadRemittances()]);
    },
    field("Remittance file (CSV)", file, "Delhivery's or Shiprocket's remittance export, or shipgate's generic layout (awb, amount, utr, remitted_on)."),
    field("Layout", layout),
    h("button", { type: "submit" }, "Upload remittance file"));
    main.append(section("Upload", form));
  }

  async function showRemittance(r, fresh) {
    const counts = r.counts || {};
    const summary = table(
      [{ label: "Outcome", value: (o) => statusWords(o) }, { label: "Lines", value: (o) => String(counts[o] || 0), num: true }],
      OUTCOMES, { caption: `Lines of ${r.file_name || r.id} by outcome` });
    const lines = await load(`/v1/cod-remittances/${encodeURIComponent(r.id)}?limit=200`);
    const notMatched = lines ? lines.data.filter((l) => l.outcome !== "matched") : [];
    results.replaceChildren(notice(
      `${fresh ? "Reconciled" : "Remittance"} ${r.file_name || r.id}: ${r.lines} lines, ${counts.matched || 0} matched.`,
      summary,
      lines ? lineTable(notMatched, `Lines of ${r.file_name || r.id} that did not match`) : null));
  }

  // ---- report ----
  const reportHolder = h("div");
  const from = h("input", { type: "date", name: "from", value: ctx.query.get("from") || indiaToday(-29) });
  const to = h("input", { type: "date", name: "to", value: ctx.query.get("to") || indiaToday() });
  const period = actionForm("Report period", async () => { await loadReport(); },
    h("div", { class: "period" }, field("Deliveries from", from), field("to", to),
      h("button", { type: "submit", class: "secondary" }, "Show report")));

  async function loadReport() {
    reportHolder.replaceChildren(h("p", { class: "muted" }, "Loading the report…"));
    try {
      const [report, overdue] = await Promise.all([
        api("GET", `/v1/reports/cod${query({ from: from.value, to: to.value })}`),
        api("GET", "/v1/cod/outstanding?overdue=true&limit=100"),
      ]);
      reportHolder.replaceChildren(...reportView(report, overdue));
    } catch (e) {
      reportHolder.replaceChildren(problemBox(e, "COD report"));
    }
  }

  function totals(rows, key) {
    const byCurrency = new Map();
    for (const r of rows) {
      const t = r[key];
      const cur = byCurrency.get(t.amount.currency) || { count: 0, amount: 0 };
      cur.count += t.count;
      cur.amount += t.amount.amount;
      byCurrency.set(t.amount.currency, cur);
    }
    if (!byCurrency.size) return { count: 0, words: money({ amount: 0, currency: "INR" }) };
    let count = 0;
    const words = [];
    for (const [currency, t] of byCurrency) {
      count += t.count;
      words.push(money({ amount: t.amount, currency }));
    }
    return { count, words: words.join(" + ") };
  }

  function card(label, t) {
    return h("div", { class: "card" }, h("div", { class: "value" }, t.words),
      h("div", { class: "label" }, `${label} (${t.count} shipments)`));
  }

  function reportView(report, overdue) {
    const rows = report.data;
    const outstanding = totals(rows, "outstanding");
    const over = totals(rows, "overdue");
    return [
      h("p", { class: "muted" }, `Deliveries ${when(report.from)} to ${when(report.to)}, judged ${when(report.as_of)}.`),
      h("div", { class: "cards" }, card("Collected", totals(rows, "collected")), card("Remitted", totals(rows, "remitted")),
        card("Outstanding", outstanding), card("Overdue", over)),
      rows.length ? h("h3", null, "Overdue COD shipments by carrier account") : null,
      rows.length ? svgBars(rows.map((r) => ({ label: r.carrier_account, value: r.overdue.count })),
        { caption: "Overdue COD shipments by carrier account", format: (v) => String(v) }) : null,
      table([
        { label: "Carrier", value: (r) => r.carrier },
        { label: "Account", value: (r) => r.carrier_account },
        { label: "Cycle (days)", value: (r) => String(r.remittance_days), num: true },
        { label: "Collected", value: (r) => `${money(r.collected.amount)} (${r.collected.count})`, num: true },
        { label: "Remitted", value: (r) => `${money(r.remitted.amount)} (${r.remitted.count})`, num: true },
        { label: "Outstanding", value: (r) => `${money(r.outstanding.amount)} (${r.outstanding.count})`, num: true },
        { label: "Overdue", value: (r) => `${money(r.overdue.amount)} (${r.overdue.count})`, num: true },
      ], rows, { caption: "COD by carrier account", empty: "No delivered COD shipments in this period." }),
      table([
        { label: "Shipment", value: (o) => h("a", { href: `/console/shipments/${encodeURIComponent(o.shipment_id)}` }, o.awb || o.order_ref) },
        { label: "Order", value: (o) => o.order_ref },
        { label: "Account", value: (o) => o.carrier_account },
        { label: "COD", value: (o) => money(o.cod_amount), num: true },
        { label: "Delivered", value: (o) => when(o.delivered_at) },
        { label: "Age (days)", value: (o) => String(o.age_days), num: true },
        { label: "Due", value: (o) => when(o.due_at) },
      ], overdue.data, { caption: "Overdue: delivered, not remitted past the cycle (oldest first)", empty: "Nothing overdue." }),
    ];
  }

  // ---- remittances and mismatches ----
  const remittancesHolder = h("div");
  async function loadRemittances() {
    remittancesHolder.replaceChildren(h("p", { class: "muted" }, "Loading remittance files…"));
    try {
      const list = await api("GET", "/v1/cod-remittances?limit=50");
      const withMismatch = list.data.filter((r) => r.counts && r.counts.amount_mismatch > 0).slice(0, 5);
      const mismatches = await Promise.all(withMismatch.map((r) =>
        load(`/v1/cod-remittances/${encodeURIComponent(r.id)}?outcome=amount_mismatch&limit=200`)
          .then((d) => (d ? d.data.map((l) => ({ ...l, file: r.file_name || r.id })) : []))));
      remittancesHolder.replaceChildren(
        lineTable(mismatches.flat(), "Amount mismatches in the latest files", true),
        table([
          { label: "File", value: (r) => h("button", { type: "button", class: "secondary", onclick: () => showRemittance(r, false) }, r.file_name || r.id) },
          { label: "Layout", value: (r) => r.layout },
          { label: "Source", value: (r) => r.source },
          { label: "Lines", value: (r) => String(r.lines), num: true },
          { label: "Matched", value: (r) => String(r.counts.matched), num: true },
          { label: "Mismatched", value: (r) => String(r.counts.amount_mismatch), num: true },
          { label: "Not delivered", value: (r) => String(r.counts.remitted_not_delivered), num: true },
          { label: "Unknown AWB", value: (r) => String(r.counts.unknown_awb), num: true },
          { label: "Reconciled", value: (r) => when(r.created_at) },
        ], list.data, { caption: "Remittance files, newest first", empty: "No remittance files yet." }));
    } catch (e) {
      remittancesHolder.replaceChildren(problemBox(e, "Remittance files"));
    }
  }

  function lineTable(lines, caption, withFile) {
    const columns = [];
    if (withFile) columns.push({ label: "File", value: (l) => l.file });
    columns.push(
      { label: "Line", value: (l) => String(l.line), num: true },
      { label: "AWB", value: (l) => (l.shipment_id ? h("a", { href: `/console/shipments/${encodeURIComponent(l.shipment_id)}` }, l.awb) : l.awb) },
      { label: "Outcome", value: (l) => statusWords(l.outcome) },
      { label: "Paid", value: (l) => money(l.amount), num: true },
      { label: "Expected", value: (l) => money(l.expected), num: true },
      { label: "UTR", value: (l) => l.utr },
      { label: "Why", value: (l) => l.detail || "—" },
    );
    return table(columns, lines, { caption, empty: "None." });
  }

  main.append(section("Report", period, reportHolder), section("Remittance files", remittancesHolder));
  await Promise.all([loadReport(), loadRemittances()]);
}
