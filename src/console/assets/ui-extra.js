// Helpers shared by the console's operations pages (pickups and manifests, COD, weights,
// webhooks, rate cards and selection rules, carrier accounts, scorecards), beside the
// shell's own in app.js. Kept in a file of their own so the shell's contract stays as it
// is: these only build on its helpers (h, api, field, showProblem, …) and add nothing to
// the page-module contract.

import { h, api, ApiProblem, announce, clearProblem, showProblem } from "./app.js";

/** Today's date in India (YYYY-MM-DD): the API's business days are Indian ones. */
export function indiaToday(offsetDays = 0) {
  const ms = Date.now() + 5.5 * 3600 * 1000 + offsetDays * 86400 * 1000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A <section> with an <h2> naming it (the section is labelled by its heading). */
let sectionCounter = 0;
export function section(title, ...children) {
  const id = `sec${++sectionCounter}`;
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** A form labelled by `label`, with its submit handled by `onSubmit(form, submitter)`:
 * the problem of a failed call is shown on the form (fields at their pointers). */
export function actionForm(label, onSubmit, ...children) {
  const form = h("form", { class: "inline-form", "aria-label": label, novalidate: true }, ...children);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submitter = event.submitter || form.querySelector("button[type=submit]");
    clearProblem(form);
    if (submitter) submitter.disabled = true;
    try {
      await onSubmit(form, submitter);
    } catch (e) {
      showProblem(form, e);
    } finally {
      if (submitter) submitter.disabled = false;
    }
  });
  return form;
}

/** A block saying a section could not be loaded, with the API's words. */
export function problemBox(e, what) {
  const p = e instanceof ApiProblem ? e.problem : { title: String((e && e.message) || e) };
  return h("div", { class: "problem", role: "alert" },
    `${what ? `${what}: ` : ""}${p.title || "Error"}${p.detail ? ` — ${p.detail}` : ""}`);
}

/** A green notice that also goes to the live region. */
export function notice(text, ...more) {
  announce(text);
  return h("div", { class: "notice", role: "status" }, h("p", null, text), ...more);
}

/** Loads `path` (GET); a failure becomes `null` and `onError(e)` is told. */
export async function load(path, onError) {
  try {
    return await api("GET", path);
  } catch (e) {
    if (onError) onError(e);
    return null;
  }
}

/** A select of `options` ([value, words]) named `name`. */
export function select(name, options, selected) {
  return h("select", { name },
    options.map(([value, words]) => h("option", { value, selected: value === selected ? true : null }, words)));
}

/** A query string of the given parameters, leaving out empty ones ("" when none). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The text of the file chosen in a file input, or null when none is chosen. */
export function fileText(input) {
  const file = input.files && input.files[0];
  if (!file) return Promise.resolve(null);
  return file.text();
}

/** A list of ids typed one per line or separated by commas/spaces; undefined when none. */
export function idList(text) {
  const ids = String(text || "").split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  return ids.length ? ids : undefined;
}

/** A number typed in a field, or undefined when blank (so the API reports what is wrong
 * with anything else at its pointer rather than the console guessing). */
export function numberOrText(value) {
  const v = String(value || "").trim();
  if (!v) return undefined;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** Grams as words: "1.25 kg" / "480 g". */
export function grams(g) {
  if (g === null || g === undefined) return "—";
  return Math.abs(g) >= 1000 ? `${(g / 1000).toFixed(2)} kg` : `${g} g`;
}

/** A piece of code-like text that wraps rather than widening the page. */
export function code(text) {
  const el = h("code", null, text);
  // Long ids, URLs and secrets wrap rather than widen a phone's page (set through the
  // CSSOM: the CSP allows no inline style attribute).
  el.style.overflowWrap = "anywhere";
  return el;
}

/** A <pre> of JSON in a focusable scroll region (phones scroll inside it). */
export function jsonBlock(value, label) {
  return h("div", { class: "table-region", role: "region", tabindex: "0", "aria-label": label },
    h("pre", { class: "json" }, JSON.stringify(value, null, 2)));
}
