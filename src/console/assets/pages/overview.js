// Overview: the tenant's shipments over a period, from the API's own reports —
// GET /v1/shipments/summary (by status), GET /v1/analytics/carriers (on-time rate; "—"
// while that API is absent), GET /v1/reports/cod (outstanding and overdue COD) and the
// webhook endpoints' dead letters.
import { api, h, field, svgBars, table, money, percent, statusWords, ApiProblem } from "../app.js";

export const title = "Overview";

/** The reader's own calendar day of `d`, as YYYY-MM-DD. */
function isoDay(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function defaultPeriod() {
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 86400000);
  return { from: isoDay(from), to: isoDay(to) };
}

function nextDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
}

/** Sums money by currency: [{amount, currency}] -> "₹1,200.00 + $3.00" (or "—"). */
function sumMoney(list) {
  const byCurrency = new Map();
  for (const m of list) {
    if (!m) continue;
    byCurrency.set(m.currency, (byCurrency.get(m.currency) || 0) + Number(m.amount));
  }
  if (byCurrency.size === 0) return money(null);
  return [...byCurrency].map(([currency, amount]) => money({ amount, currency })).join(" + ");
}

function card(label, value, note) {
  return h("div", { class: "card" },
    h("div", { class: "label" }, label),
    h("div", { class: "value" }, value),
    note ? h("div", { class: "muted" }, note) : null);
}

async function deadLetters() {
  const endpoints = await api("GET", "/v1/webhook-endpoints");
  let count = 0;
  let more = false;
  const rows = [];
  for (const e of endpoints.data) {
    const page = await api("GET", `/v1/webhook-endpoints/${encodeURIComponent(e.id)}/messages?status=dead&limit=200`);
    count += page.data.length;
    more = more || !!page.next_cursor;
    rows.push({ endpoint: e, dead: page.data.length, more: !!page.next_cursor });
  }
  return { count, more, rows };
}

export async function render(main, ctx) {
  const initial = defaultPeriod();
  const from = h("input", { type: "date", name: "from", value: ctx.query.get("from") || initial.from, required: true });
  const to = h("input", { type: "date", name: "to", value: ctx.query.get("to") || initial.to, required: true });
  const form = h("form", { class: "period" },
    field("From", from), field("To", to),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Show")));
  const results = h("div", { "aria-live": "polite" });
  main.append(h("h1", null, "Overview"), form, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.navigate(`/console?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
  });

  // Without a chosen period: the last 30 days as each report counts them (the COD report's
  // days are India's, which the browser's own date may not be).
  const chosen = ctx.query.has("from") || ctx.query.has("to");
  const period = { from: from.value, to: to.value };
  const summaryRange = chosen
    ? `from=${period.from}T00:00:00Z&to=${nextDay(period.to)}T00:00:00Z`
    : `from=${new Date(Date.now() - 30 * 86400000).toISOString()}`;
  const [summary, analytics, cod, dead] = await Promise.allSettled([
    api("GET", `/v1/shipments/summary?${summaryRange.replace(/\+/g, "%2B")}`),
    api("GET", `/v1/analytics/carriers?from=${period.from}&to=${period.to}&group_by=account`),
    api("GET", chosen ? `/v1/reports/cod?from=${period.from}&to=${period.to}` : "/v1/reports/cod"),
    deadLetters(),
  ]);
  if (summary.status === "rejected") throw summary.reason;
  const s = summary.value;
  const by = s.by_status || {};
  const finished = (by.delivered || 0) + (by.rto || 0);

  let onTime = "—";
  let onTimeNote = "scorecards not available";
  if (analytics.status === "fulfilled") {
    let weighted = 0;
    let weight = 0;
    for (const row of analytics.value.data || []) {
      if (row.on_time_pct === null || row.on_time_pct === undefined) continue;
      weighted += row.on_time_pct * row.delivered;
      weight += row.delivered;
    }
    onTime = weight ? percent(weighted / weight) : "—";
    onTimeNote = weight ? "of delivered shipments with a promised date" : "no delivered shipment with a promised date";
  } else if (!(analytics.reason instanceof ApiProblem && analytics.reason.status === 404)) {
    onTimeNote = "could not be read";
  }

  let codOutstanding = "—";
  let codOverdue = "—";
  if (cod.status === "fulfilled" && !cod.value.data.length) {
    codOutstanding = "None";
    codOverdue = "None";
  } else if (cod.status === "fulfilled") {
    codOutstanding = sumMoney(cod.value.data.map((r) => r.outstanding.amount));
    codOverdue = sumMoney(cod.value.data.map((r) => r.overdue.amount));
  }

  const deadText = dead.status === "fulfilled" ? `${dead.value.count}${dead.value.more ? "+" : ""}` : "—";

  results.append(
    h("div", { class: "cards" },
      card("Shipments", String(s.total), "created in the period"),
      card("Open NDRs", String(by.delivery_failed || 0), h("a", { href: "/console/ndr" }, "Open the NDR queue")),
      card("Action required", String(s.action_required), h("a", { href: "/console/exceptions" }, "See exceptions")),
      card("RTO rate", finished ? percent((100 * (by.rto || 0)) / finished) : "—", "of shipments delivered or returned"),
      card("On-time rate", onTime, onTimeNote),
      card("COD outstanding", codOutstanding, "delivered in the period, not remitted"),
      card("COD overdue", codOverdue, "past the carrier's remittance cycle"),
      card("Webhook dead letters", deadText, "deliveries that failed every attempt")),
    h("h2", null, "Shipments by status"),
    svgBars(Object.entries(by).map(([status, n]) => ({ label: statusWords(status), value: n })),
      { caption: "Shipments by status" }),
  );
  if (cod.status === "fulfilled" && cod.value.data.length) {
    results.append(
      h("h2", null, "COD by carrier account"),
      svgBars(cod.value.data.map((r) => ({ label: r.carrier_account, value: r.outstanding.count })),
        { caption: "Outstanding COD shipments by carrier account" }),
      table([
        { label: "Carrier account", value: (r) => r.carrier_account },
        { label: "Collected", value: (r) => money(r.collected.amount), num: true },
        { label: "Remitted", value: (r) => money(r.remitted.amount), num: true },
        { label: "Outstanding", value: (r) => money(r.outstanding.amount), num: true },
        { label: "Overdue", value: (r) => money(r.overdue.amount), num: true },
      ], cod.value.data, { caption: "COD in the period" }));
  }
  if (dead.status === "fulfilled" && dead.value.rows.some((r) => r.dead)) {
    results.append(table([
      { label: "Endpoint", value: (r) => r.endpoint.url },
      { label: "Dead letters", value: (r) => `${r.dead}${r.more ? "+" : ""}`, num: true },
    ], dead.value.rows.filter((r) => r.dead), { caption: "Webhook dead letters by endpoint" }));
  }
}
