// Rate cards and selection rules: the tenant's active card per carrier account with its
// versions, the selection rule set in force with its versions, and for admin sessions
// "Validate" (POST /v1/rate-cards/{account}/validate, POST /v1/selection-rules/validate:
// checked, nothing stored) and "Upload" (PUT of the same body) of a pasted or chosen file.
// A problem comes back as the API's 422, every error at its pointer, shown on the form.

import { h, api, ApiProblem, can, field, money, when, statusWords, table } from "../app.js";
import { actionForm, section, problemBox, notice, load, select, fileText, jsonBlock, code } from "../ui-extra.js";

export const title = "Rate cards and selection rules";

/** A text area as wide as its form (through the CSSOM: the CSP allows no style attribute). */
function wide(el) {
  el.style.width = "100%";
  return el;
}

export async function render(main, ctx) {
  main.append(h("h1", null, title));
  const admin = can("admin");
  const results = h("div", { "aria-live": "polite" });
  const cardsHolder = h("div");
  const cardDetail = h("div");
  const rulesHolder = h("div");
  const ruleDetail = h("div");
  main.append(results);

  function zoneTable(card, caption) {
    const rows = Object.entries(card.zones || {});
    return table([
      { label: "Zone", value: ([z]) => statusWords(z) },
      { label: "First slab", value: ([, r]) => money({ amount: r.first_slab, currency: card.currency }), num: true },
      { label: "Each further slab", value: ([, r]) => money({ amount: r.additional_slab, currency: card.currency }), num: true },
      { label: "Transit (days)", value: ([, r]) => (r.transit_days === undefined ? "—" : String(r.transit_days)), num: true },
    ], rows, { caption });
  }

  function cardFacts(card) {
    const facts = [
      ["Name", card.name], ["Service", card.service || "—"], ["Currency", card.currency],
      ["Slabs", `${card.first_slab_g} g, then each ${card.additional_slab_g} g`],
      ["Volumetric divisor", String(card.volumetric_divisor)],
      ["Largest weight", card.max_weight_g ? `${card.max_weight_g} g` : "—"],
      ["COD charge", card.cod ? `${card.cod.percent}% (at least ${money({ amount: card.cod.minimum, currency: card.currency })})` : "—"],
      ["Fuel surcharge", `${card.fuel_surcharge_percent}%`], ["GST", `${card.gst_percent}%`],
    ];
    return h("dl", { class: "details" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
  }

  async function showCard(account, version) {
    cardDetail.replaceChildren(h("p", { class: "muted" }, "Loading the card…"));
    try {
      const path = `/v1/rate-cards/${encodeURIComponent(account)}${version ? `?version=${version}` : ""}`;
      const d = await api("GET", path);
      cardDetail.replaceChildren(
        h("h3", null, `${d.carrier_account}: version ${d.version}${d.active ? " (active)" : ""}`),
        cardFacts(d.card),
        zoneTable(d.card, `Zones of ${d.carrier_account} version ${d.version}`),
        table([
          { label: "Version", value: (v) => String(v.version), num: true },
          { label: "Format", value: (v) => v.source_format.toUpperCase() },
          { label: "Uploaded", value: (v) => when(v.created_at) },
          { label: "Details", value: (v) => (v.version === d.version ? "Shown"
            : h("button", { type: "button", class: "secondary", onclick: () => showCard(account, v.version) }, `View version ${v.version}`)) },
        ], d.versions, { caption: `Versions of ${d.carrier_account}, newest first` }));
    } catch (e) {
      cardDetail.replaceChildren(problemBox(e, `Rate card ${account}`));
    }
  }

  async function loadCards() {
    try {
      const list = await api("GET", "/v1/rate-cards");
      cardsHolder.replaceChildren(table([
        { label: "Carrier account", value: (c) => c.carrier_account },
        { label: "Card", value: (c) => c.card.name },
        { label: "Version", value: (c) => String(c.version), num: true },
        { label: "Format", value: (c) => c.source_format.toUpperCase() },
        { label: "Zones", value: (c) => String(Object.keys(c.card.zones || {}).length), num: true },
        { label: "Uploaded", value: (c) => when(c.created_at) },
        { label: "Details", value: (c) => h("button", { type: "button", class: "secondary", onclick: () => showCard(c.carrier_account) }, `View ${c.carrier_account}`) },
      ], list.data, { caption: "Active rate cards by carrier account", empty: "No rate cards yet." }));
    } catch (e) {
      cardsHolder.replaceChildren(problemBox(e, "Rate cards"));
    }
  }

  async function showRules(version) {
    ruleDetail.replaceChildren(h("p", { class: "muted" }, "Loading the rule set…"));
    try {
      const r = await api("GET", `/v1/selection-rules/versions/${encodeURIComponent(version)}`);
      ruleDetail.replaceChildren(h("h3", null, `Rule set version ${r.version}`), rulesView(r));
    } catch (e) {
      ruleDetail.replaceChildren(problemBox(e, `Rule set version ${version}`));
    }
  }

  function rulesView(r) {
    const { version, created_at, ...ruleSet } = r;
    return h("div", null,
      h("p", null, `Objective ${statusWords(r.objective)}${r.promise_days !== undefined ? `, promise ${r.promise_days} days` : ""}; ${r.rules.length} rules; stored ${when(created_at)}.`),
      table([
        { label: "Rule", value: (rule) => rule.name || "—" },
        { label: "When", value: (rule) => code(JSON.stringify(rule.when)) },
        { label: "Then", value: (rule) => code(JSON.stringify(rule.then)) },
      ], r.rules, { caption: `Rules of version ${version}, in order`, empty: "No rules: every quote is a candidate." }),
      jsonBlock(ruleSet, `Rule set version ${version} as JSON`));
  }

  let activeRules = null;
  async function loadRules() {
    const [active, versions] = await Promise.all([
      api("GET", "/v1/selection-rules").catch((e) => (e instanceof ApiProblem && e.status === 404 ? null : Promise.reject(e))),
      api("GET", "/v1/selection-rules/versions"),
    ]).catch((e) => {
      rulesHolder.replaceChildren(problemBox(e, "Selection rules"));
      return [undefined, undefined];
    });
    if (versions === undefined) return;
    activeRules = active;
    rulesHolder.replaceChildren(
      active ? h("div", null, h("h3", null, `In force: version ${active.version}`), rulesView(active))
        : h("p", null, "No selection rules yet: every quote is a candidate, cheapest first."),
      table([
        { label: "Version", value: (v) => String(v.version), num: true },
        { label: "Rules", value: (v) => String(v.rules), num: true },
        { label: "Stored", value: (v) => when(v.created_at) },
        { label: "In force", value: (v) => (v.active ? "Yes" : "No") },
        { label: "Details", value: (v) => h("button", { type: "button", class: "secondary", onclick: () => showRules(v.version) }, `View version ${v.version}`) },
      ], versions.data, { caption: "Rule set versions, newest first", empty: "No versions." }));
    if (rulesText && !rulesText.value && active) {
      const { version, created_at, ...ruleSet } = active;
      rulesText.value = JSON.stringify(ruleSet, null, 2);
    }
  }

  // ---- forms (admin) ----
  const cardsSection = section("Rate cards", cardsHolder, cardDetail);
  let rulesText = null;
  let rulesForm = null;
  if (admin) {
    const accounts = await load("/v1/carriers");
    const list = h("datalist", { id: "rate-card-accounts" },
      ((accounts && accounts.data) || []).map((a) => h("option", { value: a.account }, a.name)));
    const account = h("input", { name: "carrier_account", list: "rate-card-accounts", required: true, autocomplete: "off", "data-pointer": "/carrier_account" });
    const format = select("format", [["application/json", "JSON"], ["text/csv", "CSV"]]);
    const file = h("input", { type: "file", name: "file", accept: ".json,.csv,application/json,text/csv" });
    const text = wide(h("textarea", { name: "card", rows: 10, cols: 80, spellcheck: "false" }));
    file.addEventListener("change", async () => {
      const chosen = file.files && file.files[0];
      if (!chosen) return;
      text.value = await fileText(file);
      format.value = /\.csv$/i.test(chosen.name) || chosen.type === "text/csv" ? "text/csv" : "application/json";
    });
    const form = actionForm("Validate or upload a rate card", async (f, submitter) => {
      const name = account.value.trim();
      if (!name) throw new ApiProblem(422, { title: "Name the carrier account", errors: [{ pointer: "/carrier_account", detail: "Name the carrier account the card prices." }] });
      if (!text.value.trim()) throw new Error("Paste the card or choose its file first.");
      const upload = submitter && submitter.value === "upload";
      const path = `/v1/rate-cards/${encodeURIComponent(name)}${upload ? "" : "/validate"}`;
      const r = await api(upload ? "PUT" : "POST", path, { body: text.value, contentType: format.value });
      if (upload) {
        results.replaceChildren(notice(`Uploaded: ${r.carrier_account} version ${r.version} is active.`));
        await loadCards();
        await showCard(r.carrier_account);
      } else {
        results.replaceChildren(notice(`Valid: ${name} would price with this card (nothing stored).`,
          cardFacts(r.card), zoneTable(r.card, `Zones of the validated card for ${name}`)));
      }
    },
    h("h3", null, "Validate or upload a card"),
    list,
    field("Carrier account", account, "The account the card prices, e.g. delhivery-surface."),
    field("Format", format),
    field("Card file", file, "A JSON card or the CSV spreadsheet layout; or paste it below."),
    field("Card", text),
    h("div", { class: "actions" },
      h("button", { type: "submit", name: "action", value: "validate", class: "secondary" }, "Validate"),
      h("button", { type: "submit", name: "action", value: "upload" }, "Upload")));
    cardsSection.append(form);

    rulesText = wide(h("textarea", { name: "rules", rows: 12, cols: 80, spellcheck: "false" }));
    const rulesFile = h("input", { type: "file", name: "rules_file", accept: ".json,application/json" });
    rulesFile.addEventListener("change", async () => { rulesText.value = (await fileText(rulesFile)) || rulesText.value; });
    rulesForm = actionForm("Validate or upload selection rules", async (f, submitter) => {
      let parsed;
      try {
        parsed = JSON.parse(rulesText.value);
      } catch (e) {
        throw new Error(`The rule set is not JSON: ${e.message}`);
      }
      const upload = submitter && submitter.value === "upload";
      const r = await api(upload ? "PUT" : "POST", upload ? "/v1/selection-rules" : "/v1/selection-rules/validate", { json: parsed });
      if (upload) {
        results.replaceChildren(notice(`Uploaded: selection rules version ${r.version} are in force.`));
        await loadRules();
      } else {
        results.replaceChildren(notice(`Valid: ${r.rule_set.rules.length} rules (nothing stored).`,
          jsonBlock(r.rule_set, "The validated rule set, normalised")));
      }
    },
    h("h3", null, "Validate or upload rules"),
    field("Rules file", rulesFile, "The rule set as JSON (objective, promise_days, rules); or edit it below."),
    field("Rule set (JSON)", rulesText),
    h("div", { class: "actions" },
      h("button", { type: "submit", name: "action", value: "validate", class: "secondary" }, "Validate"),
      h("button", { type: "submit", name: "action", value: "upload" }, "Upload")));
  }
  const rulesSection = section("Selection rules", rulesHolder, ruleDetail);
  if (rulesForm) rulesSection.append(rulesForm);
  main.append(cardsSection, rulesSection);
  await Promise.all([loadCards(), loadRules()]);
}
