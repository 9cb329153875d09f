// Carrier accounts: every account the tenant books with (GET /v1/carriers: its own and
// the platform's shared ones) with its operation families, its circuit breaker and how
// much of its outbound quota the last minute used, and the tenant's own accounts
// (GET /v1/carrier-accounts) with whether each is usable. Both numbers are those of the
// gateway process that answers: each process keeps its own breaker and quota share.

import { h, api, field, when, statusWords, table, svgBars, percent } from "../app.js";
import { section, problemBox, notice } from "../ui-extra.js";

export const title = "Carrier accounts";

const CIRCUIT_WORDS = {
  closed: "Closed (calls go through)",
  half_open: "Half open (the next call probes)",
  open: "Open (calls fail fast, nothing is sent)",
};

function circuit(c) {
  if (!c) return "—";
  const words = CIRCUIT_WORDS[c.state] || statusWords(c.state);
  return c.state === "open" && c.retry_in_ms !== null && c.retry_in_ms !== undefined
    ? `${words}; probe in ${Math.ceil(c.retry_in_ms / 1000)} s` : words;
}

function quota(q) {
  if (!q) return "Not paced";
  return `${q.used_last_minute} of ${Math.round(q.limit_per_minute)} a minute (${percent(q.used_pct)})${q.refused_last_minute ? `; ${q.refused_last_minute} refused` : ""}`;
}

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const holder = h("div");
  const ownHolder = h("div");
  main.append(
    h("p", { class: "muted" }, "Circuit and quota are this gateway process's; with several processes each has its own."),
    section("Accounts in use", holder), section("The tenant's own accounts", ownHolder));

  async function loadAll() {
    const [carriers, own] = await Promise.all([
      api("GET", "/v1/carriers").catch((e) => { holder.replaceChildren(problemBox(e, "Carrier accounts")); return null; }),
      api("GET", "/v1/carrier-accounts").catch((e) => { ownHolder.replaceChildren(problemBox(e, "Own accounts")); return null; }),
    ]);
    if (carriers) {
      const rows = carriers.data;
      const open = rows.filter((r) => r.circuit && r.circuit.state !== "closed");
      const paced = rows.filter((r) => r.quota);
      holder.replaceChildren(
        open.length ? h("div", { class: "problem", role: "alert" },
          `Circuit not closed for ${open.map((r) => r.account).join(", ")}: those accounts are skipped until a probe succeeds.`)
          : notice("Every account's circuit is closed."),
        table([
          { label: "Account", value: (r) => r.account },
          { label: "Carrier", value: (r) => r.name },
          { label: "Owner", value: (r) => (r.owner === "tenant" ? "Tenant" : "Platform (shared)") },
          { label: "Families", value: (r) => (r.families && r.families.length ? r.families.map(statusWords).join(", ") : "—") },
          { label: "Circuit", value: (r) => circuit(r.circuit) },
          { label: "Quota use", value: (r) => quota(r.quota) },
        ], rows, { caption: "Carrier accounts new shipments may use", empty: "No carrier accounts." }),
        paced.length ? h("h3", null, "Quota used over the last minute") : null,
        paced.length ? svgBars(paced.map((r) => ({ label: r.account, value: r.quota.used_pct })),
          { caption: "Quota used over the last minute (%)", format: percent }) : null);
    }
    if (own) {
      const byId = new Map(((carriers && carriers.data) || []).map((r) => [r.account, r]));
      ownHolder.replaceChildren(table([
        { label: "Account", value: (a) => `${a.name} (${a.id})` },
        { label: "Carrier", value: (a) => a.carrier },
        { label: "Status", value: (a) => statusWords(a.status) + (a.problem ? `: ${a.problem}` : "") },
        { label: "Families", value: (a) => {
          const c = byId.get(a.id);
          return c && c.families ? c.families.map(statusWords).join(", ") : "—";
        } },
        { label: "Circuit", value: (a) => circuit(a.circuit) },
        { label: "Quota use", value: (a) => quota(a.quota) },
        { label: "Credentials changed", value: (a) => when(a.credentials_changed_at) },
      ], own.data, { caption: "The tenant's own carrier accounts", empty: "None: the tenant books with the platform's accounts." }));
    }
  }

  const refresh = h("button", { type: "button", class: "secondary", onclick: () => loadAll() }, "Refresh");
  main.insertBefore(h("div", { class: "actions" }, refresh), main.children[1]);
  await loadAll();
}
