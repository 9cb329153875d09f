// shipgate operations console: the shell (router, navigation, session) and the helpers
// every page uses. Plain ES modules, no build step, no framework, nothing from elsewhere:
// the Content-Security-Policy allows only this origin's files and no inline code.
//
// The console is a client of the public /v1 API. Every read and every action goes through
// `api()` to the same routes an integrator calls (same validation, roles, idempotency and
// audit); no page computes a result the API does not give.
//
// ---------------------------------------------------------------------------------------
// PAGE-MODULE CONTRACT
//
// A page is `pages/<name>.js` (an ES module) exporting:
//   export const title = "NDR queue";          // the document title and the page's <h1>
//   export async function render(main, ctx) {} // fills `main`
// and is listed once in ROUTES below (path pattern -> page name, nav label or null).
//
// `main` is the emptied <main> element; the page appends its content to it, starting with
// exactly ONE <h1>. `ctx` is:
//   ctx.params   path parameters by name, from the pattern ("/console/shipments/{id}" -> {id})
//   ctx.query    URLSearchParams of the location
//   ctx.session  {tenant, role, csrf_token, mode, expires_at} (null on public pages)
//   ctx.navigate(path)  go to another console path (pushState, renders it)
//   ctx.announce(text)  says `text` in the aria-live region (results of actions)
//   ctx.path     the location's pathname
// A page imports what it needs from "../app.js":
//   api(method, path, {json, body, contentType, idempotent})
//       fetch with the session cookie, the CSRF header on changes, an Idempotency-Key
//       (crypto.randomUUID()) when `idempotent`; returns parsed JSON (or text, or null on
//       204); throws an ApiProblem {status, problem} carrying the problem+json.
//   h(tag, attrs, ...children)  builds DOM nodes (text is always text: never innerHTML).
//       attrs: attributes by name; `on<event>`: a listener; true/false/null for flags.
//       Tag "svg" and "svg:<tag>" make SVG elements.
//   field(labelText, control, hint?)  a <div class="field"> with a <label for> wired up.
//   showProblem(form, problem)  each errors[].pointer beside its control (a control is
//       matched by data-pointer="/a/b", else by name="b" = the pointer's last segment),
//       the rest at the top of the form. Accepts an ApiProblem or any Error too.
//   clearProblem(form)
//   money(m)  {amount, currency} in minor units -> "₹1,234.50"; null -> "—"
//   when(t)   RFC 3339 instant or YYYY-MM-DD date -> local words; null -> "—"
//   statusWords(status)  "delivery_failed" -> "Delivery failed"
//   percent(n)  number 0-100 -> "12.5%"; null/undefined -> "—"
//   table(columns, rows, {caption, empty})  columns: [{label, value: row => node|text,
//       num?: true}]; a <table> with a <caption>, in a focusable scroll region (phones).
//   svgBars(data, {caption, format})  data: [{label, value}]; an inline SVG bar chart with
//       role="img" and an aria-label, and the numbers as a table too.
//   can(role)  whether the session's role is at least `role` ("read" < "write" < "admin");
//       pages render action buttons only when can("write") (the API refuses anyway).
//   announce(text), navigate(path), session()
//   busy(button, promise)  disables the button while the promise runs; returns it.
// Stable names for the browser tests: buttons say what they do ("Re-attempt", "Book
// return", ...), forms use <label>s, tables have <caption>s.
// Helpers are only ever added to, never renamed or changed in meaning.
// ---------------------------------------------------------------------------------------

/** Routes: pattern -> page module name, nav label (null: not in the nav), public. */
export const ROUTES = [
  { pattern: "/console", page: "overview", nav: "Overview" },
  { pattern: "/console/ndr", page: "ndr", nav: "NDR queue" },
  { pattern: "/console/exceptions", page: "exceptions", nav: "Exceptions" },
  { pattern: "/console/search", page: "search", nav: "Search" },
  { pattern: "/console/shipments/{id}", page: "shipment", nav: null },
  { pattern: "/console/sign-in", page: "sign-in", nav: null, public: true },
  // Further pages: one line each below this one.
  { pattern: "/console/pickups", page: "pickups", nav: "Pickups & manifests" },
  { pattern: "/console/cod", page: "cod", nav: "COD" },
  { pattern: "/console/weights", page: "weights", nav: "Weights" },
  { pattern: "/console/webhooks", page: "webhooks", nav: "Webhooks" },
  { pattern: "/console/rate-cards", page: "rate-cards", nav: "Rate cards & rules" },
  { pattern: "/console/carriers", page: "carriers", nav: "Carrier accounts" },
  { pattern: "/console/scorecards", page: "scorecards", nav: "Scorecards" },
];

const ROLE_ORDER = ["read", "write", "admin"];
let currentSession = null;

/** The signed-in session, or null. */
export function session() {
  return currentSession;
}

/** Whether the session's role is at least `role`. */
export function can(role) {
  if (!currentSession) return false;
  return ROLE_ORDER.indexOf(currentSession.role) >= ROLE_ORDER.indexOf(role);
}

/** An error answer of the API: `problem` is its problem+json (or one made up). */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || { status, title: `HTTP ${status}` };
  }
}

/** Calls the API with the session cookie. See the contract above. */
export async function api(method, path, { json, body, contentType, idempotent } = {}) {
  const headers = { Accept: "application/json" };
  const upper = method.toUpperCase();
  if (upper !== "GET" && upper !== "HEAD" && currentSession) {
    headers["X-CSRF-Token"] = currentSession.csrf_token;
  }
  if (idempotent) headers["Idempotency-Key"] = crypto.randomUUID();
  let payload;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    payload = body;
    if (contentType) headers["Content-Type"] = contentType;
  }
  let res;
  try {
    res = await fetch(path, { method: upper, headers, body: payload, credentials: "same-origin" });
  } catch (e) {
    throw new ApiProblem(0, { title: "The gateway could not be reached", detail: String(e.message || e) });
  }
  const type = res.headers.get("content-type") || "";
  const isJson = type.includes("json");
  if (!res.ok) {
    let problem = null;
    if (isJson) {
      try { problem = await res.json(); } catch (_) { problem = null; }
    } else {
      problem = { status: res.status, title: res.statusText, detail: (await res.text()).slice(0, 300) };
    }
    if (res.status === 401 && currentSession) {
      // The session ended (expired, signed out elsewhere, key revoked).
      currentSession = null;
      navigate(`/console/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    throw new ApiProblem(res.status, problem);
  }
  if (res.status === 204) return null;
  return isJson ? res.json() : res.text();
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Builds a DOM element. Children: nodes, text, arrays, null/false (skipped). */
export function h(tag, attrs, ...children) {
  let el;
  if (tag === "svg") el = document.createElementNS(SVG_NS, "svg");
  else if (tag.startsWith("svg:")) el = document.createElementNS(SVG_NS, tag.slice(4));
  else el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "value" && "value" in el) {
      el.value = value;
    } else if (name === "checked" && "checked" in el) {
      el.checked = !!value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

let fieldCounter = 0;

/** A labelled control: <div class="field"><label for>…</label>control (hint)</div>. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = `f${++fieldCounter}`;
  const parts = [h("label", { for: control.id }, labelText), control];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("p", { class: "muted", id: hintId }, hint));
  }
  return h("div", { class: "field" }, ...parts);
}

/** Removes what showProblem added. */
export function clearProblem(form) {
  form.querySelectorAll(".field-error, .form-error").forEach((n) => n.remove());
  form.querySelectorAll("[aria-invalid]").forEach((n) => {
    n.removeAttribute("aria-invalid");
    const described = (n.getAttribute("aria-describedby") || "")
      .split(" ").filter((id) => id && !id.endsWith("-error")).join(" ");
    if (described) n.setAttribute("aria-describedby", described);
    else n.removeAttribute("aria-describedby");
  });
}

function controlFor(form, pointer) {
  for (const el of form.querySelectorAll("[data-pointer]")) {
    if (el.getAttribute("data-pointer") === pointer) return el;
  }
  const last = pointer.split("/").filter(Boolean).pop();
  if (!last) return null;
  for (const el of form.elements) {
    if (el.name === last) return el;
  }
  return null;
}

/** Shows a problem on a form: field errors beside their controls, the rest on top. */
export function showProblem(form, problem) {
  clearProblem(form);
  const p = problem instanceof ApiProblem ? problem.problem
    : problem instanceof Error ? { title: problem.message } : (problem || {});
  const unplaced = [];
  let firstInvalid = null;
  for (const err of p.errors || []) {
    const control = err.pointer ? controlFor(form, err.pointer) : null;
    if (!control) {
      // No control of the form holds it (`/action`, a whole object): its words on top.
      unplaced.push(err.detail || err.code || err.pointer);
      continue;
    }
    const id = `${control.id || (control.id = `f${++fieldCounter}`)}-error`;
    const note = h("p", { class: "field-error", id }, err.detail || err.code || "invalid");
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby",
      [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    control.insertAdjacentElement("afterend", note);
    firstInvalid = firstInvalid || control;
  }
  const top = [];
  if (!(p.errors && p.errors.length)) {
    top.push(h("p", null, p.detail || p.title || "The request failed."));
  } else if (unplaced.length === 1) {
    top.push(h("p", null, unplaced[0]));
  } else if (unplaced.length) {
    top.push(h("ul", null, unplaced.map((u) => h("li", null, u))));
  }
  if (top.length) {
    form.prepend(h("div", { class: "form-error", role: "alert" }, top));
  }
  if (firstInvalid) firstInvalid.focus();
  announce(unplaced[0] || p.detail || p.title || "The request failed.");
}

/** Money {amount, currency} in minor units, as words of the currency. */
export function money(m) {
  if (!m || m.amount === undefined || m.amount === null) return "—";
  try {
    const fmt = new Intl.NumberFormat("en-IN", { style: "currency", currency: m.currency });
    const digits = fmt.resolvedOptions().maximumFractionDigits;
    return fmt.format(Number(m.amount) / 10 ** digits);
  } catch (_) {
    return `${m.amount} ${m.currency} (minor units)`;
  }
}

/** An instant (RFC 3339) or a date (YYYY-MM-DD) in the reader's words. */
export function when(t) {
  if (!t) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const [y, m, d] = t.split("-").map(Number);
    return new Date(y, m - 1, d).toLocaleDateString("en-IN", { dateStyle: "medium" });
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) return String(t);
  return date.toLocaleString("en-IN", { dateStyle: "medium", timeStyle: "short" });
}

const STATUS_WORDS = {
  rto: "Returning to origin (RTO)",
  rto_delivered: "Returned to origin",
  ndr: "Delivery failed (NDR)",
  cod: "COD",
  rto_initiated: "Return to origin started",
};

/** A status or sub-status in plain words. */
export function statusWords(status) {
  if (!status) return "—";
  if (STATUS_WORDS[status]) return STATUS_WORDS[status];
  const words = String(status).replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A percentage 0–100 with one decimal. */
export function percent(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return "—";
  return `${Number(n).toFixed(1)}%`;
}

/** A table in a focusable scroll region. */
export function table(columns, rows, opts = {}) {
  const { caption = "", empty = "Nothing to show." } = typeof opts === "string" ? { caption: opts } : opts;
  const head = h("thead", null, h("tr", null, columns.map((c) =>
    h("th", { scope: "col", class: c.num ? "num" : null }, c.label))));
  const body = h("tbody", null, rows.length
    ? rows.map((row) => h("tr", null, columns.map((c) => {
      const v = c.value(row);
      return h("td", { class: c.num ? "num" : null }, v === null || v === undefined ? "—" : v);
    })))
    : h("tr", null, h("td", { colspan: columns.length, class: "muted" }, empty)));
  const t = h("table", null, h("caption", null, caption), head, body);
  return h("div", { class: "table-region", role: "region", tabindex: "0", "aria-label": caption || "Table" }, t);
}

/** A horizontal bar chart as inline SVG, with the numbers as a table too. */
export function svgBars(data, { caption = "", format = (v) => String(v) } = {}) {
  const width = 480;
  const row = 24;
  const labelWidth = 170;
  const valueWidth = 70;
  const height = Math.max(row, data.length * row) + 8;
  const max = Math.max(1, ...data.map((d) => Number(d.value) || 0));
  const words = data.map((d) => `${d.label}: ${format(d.value)}`).join("; ");
  const svg = h("svg", {
    viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": `${caption}${caption ? ": " : ""}${words || "no data"}`,
  });
  data.forEach((d, i) => {
    const y = 4 + i * row;
    const barWidth = ((width - labelWidth - valueWidth) * (Number(d.value) || 0)) / max;
    svg.appendChild(h("svg:text", { x: 0, y: y + 15 }, String(d.label).slice(0, 24)));
    svg.appendChild(h("svg:rect", { class: "bar", x: labelWidth, y: y + 3, width: Math.max(barWidth, 0), height: row - 8, rx: 2 }));
    svg.appendChild(h("svg:text", { x: labelWidth + barWidth + 6, y: y + 15 }, format(d.value)));
  });
  const numbers = table(
    [{ label: "Item", value: (d) => d.label }, { label: "Value", value: (d) => format(d.value), num: true }],
    data, { caption: `${caption} (numbers)` },
  );
  return h("figure", { class: "chart" }, svg, h("figcaption", { class: "visually-hidden" }, caption), numbers);
}

/** Says `text` to screen readers through the live region. */
export function announce(text) {
  const region = document.getElementById("announce");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing, so the same words are announced again.
  setTimeout(() => { region.textContent = text; }, 30);
}

/** Disables `button` while `promise` runs. */
export async function busy(button, promise) {
  button.disabled = true;
  try { return await promise; } finally { button.disabled = false; }
}

// ---- router ---------------------------------------------------------------------------

function match(pattern, path) {
  const p = pattern.split("/");
  const s = path.replace(/\/+$/, "").split("/");
  if (path === "/console/") s.pop();
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    const m = /^\{(\w+)\}$/.exec(p[i]);
    if (m) {
      if (!s[i]) return null;
      params[m[1]] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

function resolve(path) {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** Goes to a console path. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  renderCurrent(true);
}

async function loadSession() {
  try {
    const res = await fetch("/console/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
    currentSession = res.ok ? await res.json() : null;
  } catch (_) {
    currentSession = null;
  }
  return currentSession;
}

function renderChrome() {
  const nav = document.getElementById("nav");
  const list = nav.querySelector("ul");
  const who = document.getElementById("who");
  const signOut = document.getElementById("sign-out");
  list.replaceChildren();
  if (!currentSession) {
    nav.hidden = true;
    signOut.hidden = true;
    who.textContent = "";
    return;
  }
  for (const r of ROUTES.filter((r) => r.nav)) {
    list.appendChild(h("li", null, h("a", { href: r.pattern }, r.nav)));
  }
  nav.hidden = false;
  signOut.hidden = false;
  signOut.elements.csrf_token.value = currentSession.csrf_token;
  who.textContent = `${currentSession.tenant} · ${currentSession.role}${currentSession.mode === "sandbox" ? " · sandbox" : ""}`;
}

function markCurrent(route) {
  for (const a of document.querySelectorAll("#nav a")) {
    if (route && a.getAttribute("href") === route.pattern) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

let renderSeq = 0;

async function renderCurrent(moveFocus) {
  const seq = ++renderSeq;
  const main = document.getElementById("main");
  const path = location.pathname;
  const found = resolve(path);
  if (found && !found.route.public && !currentSession) {
    navigate(`/console/sign-in?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  markCurrent(found && found.route);
  main.replaceChildren();
  main.setAttribute("aria-busy", "true");
  const ctx = {
    params: found ? found.params : {},
    query: new URLSearchParams(location.search),
    session: currentSession,
    navigate,
    announce,
    path,
  };
  try {
    if (!found) {
      document.title = "Not found — shipgate console";
      main.append(h("h1", null, "Not found"), h("p", null, "No console page has this address. "),
        h("p", null, h("a", { href: "/console" }, "Go to the overview")));
      return;
    }
    const mod = await import(`./pages/${found.route.page}.js`);
    if (seq !== renderSeq) return;
    document.title = `${mod.title} — shipgate console`;
    await mod.render(main, ctx);
  } catch (e) {
    if (seq !== renderSeq) return;
    if (!main.querySelector("h1")) main.prepend(h("h1", null, "Something went wrong"));
    main.append(h("div", { class: "problem", role: "alert" },
      e instanceof ApiProblem ? `${e.problem.title || "Error"}: ${e.problem.detail || ""}` : String(e.message || e)));
  } finally {
    if (seq === renderSeq) {
      main.removeAttribute("aria-busy");
      if (moveFocus) main.focus();
    }
  }
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest && event.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith("/console")) return;
  if (url.pathname.startsWith("/console/assets/")) return;
  event.preventDefault();
  if (url.pathname + url.search === location.pathname + location.search) return;
  navigate(url.pathname + url.search + url.hash);
}

/** Called by the sign-in page once the cookie is set. */
export async function signedIn(next) {
  await loadSession();
  renderChrome();
  const target = next && next.startsWith("/console") && !next.startsWith("/console/sign-in") ? next : "/console";
  navigate(target, { replace: true });
}

async function start() {
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => renderCurrent(true));
  await loadSession();
  renderChrome();
  if (currentSession && location.pathname.startsWith("/console/sign-in")) {
    navigate("/console", { replace: true });
    return;
  }
  renderCurrent(false);
}

start();
