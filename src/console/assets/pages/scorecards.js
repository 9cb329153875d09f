// Carrier scorecards: GET /v1/analytics/carriers for a chosen period, per carrier account
// or per lane: delivered %, first-attempt %, NDR %, RTO %, transit days, on-time % and
// costs, as a table and as bar charts (inline SVG with the numbers as tables too). The
// API computes every figure; the page only lays them out.

import { h, api, ApiProblem, field, money, percent, table, svgBars } from "../app.js";
import { actionForm, section, problemBox, select, query, indiaToday } from "../ui-extra.js";

export const title = "Carrier scorecards";

function laneWords(lane) {
  return lane ? `${lane.origin} → ${lane.destination}` : "—";
}

function days(n) {
  return n === null || n === undefined ? "—" : `${Number(n).toFixed(1)} d`;
}

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const holder = h("div", { "aria-live": "polite" });
  const from = h("input", { type: "date", name: "from", value: ctx.query.get("from") || indiaToday(-29) });
  const to = h("input", { type: "date", name: "to", value: ctx.query.get("to") || indiaToday() });
  const groupBy = select("group_by", [["account", "Carrier account"], ["lane", "Lane"]], ctx.query.get("group_by") || "account");
  const form = actionForm("Scorecard period", async () => { await show(); },
    h("div", { class: "period" }, field("From", from), field("To", to), field("Per", groupBy),
      h("button", { type: "submit", class: "secondary" }, "Show scorecards")));

  async function show() {
    holder.replaceChildren(h("p", { class: "muted" }, "Loading scorecards…"));
    const q = { from: from.value, to: to.value, group_by: groupBy.value };
    // Deep link to the period shown, without a new history entry per change.
    history.replaceState(null, "", `${location.pathname}${query(q)}`);
    let answer;
    try {
      answer = await api("GET", `/v1/analytics/carriers${query(q)}`);
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404 && !(e.problem && e.problem.errors)) {
        holder.replaceChildren(h("div", { class: "problem", role: "alert" },
          "Carrier scorecards are not available on this gateway yet (GET /v1/analytics/carriers is not there)."));
        return;
      }
      if (e instanceof ApiProblem && e.status === 422) {
        holder.replaceChildren();
        throw e; // shown on the form, at the period's fields
      }
      holder.replaceChildren(problemBox(e, "Scorecards"));
      return;
    }
    const rows = answer.data || [];
    const byLane = answer.group_by === "lane";
    const label = (r) => (byLane ? `${r.carrier_account} ${laneWords(r.lane)}` : r.carrier_account);
    const charted = rows.filter((r) => r.shipments > 0).slice(0, 20);
    const chart = (key, caption) => [h("h3", null, caption), svgBars(
      // A null rate (nothing to divide by) draws no bar and reads "—", not 0 %.
      charted.map((r) => ({ label: label(r), value: r[key] === undefined ? null : r[key] })),
      { caption, format: percent })];
    const columns = [
      { label: "Carrier", value: (r) => r.carrier },
      { label: "Account", value: (r) => r.carrier_account },
    ];
    if (byLane) columns.push({ label: "Lane", value: (r) => laneWords(r.lane) });
    columns.push(
      { label: "Shipments", value: (r) => String(r.shipments), num: true },
      { label: "Delivered", value: (r) => String(r.delivered), num: true },
      { label: "Delivered %", value: (r) => percent(r.delivered_pct), num: true },
      { label: "First attempt %", value: (r) => percent(r.first_attempt_pct), num: true },
      { label: "NDR %", value: (r) => percent(r.ndr_pct), num: true },
      { label: "RTO %", value: (r) => percent(r.rto_pct), num: true },
      { label: "Transit median", value: (r) => days(r.transit_days_median), num: true },
      { label: "Transit p90", value: (r) => days(r.transit_days_p90), num: true },
      { label: "On time %", value: (r) => percent(r.on_time_pct), num: true },
      { label: "Cost per shipment", value: (r) => money(r.cost_per_shipment), num: true },
      { label: "Cost per delivered", value: (r) => money(r.cost_per_delivered), num: true },
    );
    holder.replaceChildren(
      h("p", { class: "muted" }, `${answer.from} to ${answer.to}, per ${byLane ? "lane" : "carrier account"}; a dash is a rate with nothing to divide by.`),
      table(columns, rows, { caption: `Scorecards per ${byLane ? "lane" : "carrier account"}`, empty: "No shipments in this period." }),
      charted.length ? h("div", null,
        chart("delivered_pct", "Delivered %"),
        chart("first_attempt_pct", "First-attempt delivery %"),
        chart("rto_pct", "RTO %")) : null);
  }

  main.append(section("Period", form), holder);
  try {
    await show();
  } catch (e) {
    holder.replaceChildren(problemBox(e, "Scorecards"));
  }
}
