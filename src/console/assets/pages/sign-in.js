// Sign-in: an API key becomes a session cookie (POST /console/session). The form works
// without this script too (a plain form post; errors come back as ?error=<code>).
import { h, field, showProblem, signedIn, announce } from "../app.js";

export const title = "Sign in";

const ERRORS = {
  invalid_api_key: "This API key is unknown or revoked.",
  required: "Enter an API key.",
  rate_limited: "Too many failed sign-ins from this address; wait a few minutes and try again.",
  cross_origin: "Sign in from this gateway's own page.",
};

export async function render(main, ctx) {
  const key = h("input", { type: "password", name: "api_key", autocomplete: "current-password", required: true, spellcheck: "false" });
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { method: "post", action: "/console/session", novalidate: true },
    field("API key", key, "A shipgate API key (sg_…). A read key can look, not act."),
    h("div", { class: "actions" }, button));
  main.append(
    h("h1", null, "Sign in"),
    h("p", null, "The console acts with the API key you sign in with, for twelve hours or until you sign out."),
    form);
  const error = ctx.query.get("error");
  if (error) {
    showProblem(form, { title: ERRORS[error] || "Sign-in failed.", errors: [{ pointer: "/api_key", detail: ERRORS[error] || error }] });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const res = await fetch("/console/session", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ api_key: key.value }).toString(),
      });
      const type = res.headers.get("content-type") || "";
      if (!res.ok || type.includes("json")) {
        let problem;
        try { problem = await res.json(); } catch (_) { problem = { title: `HTTP ${res.status}` }; }
        showProblem(form, problem);
        return;
      }
      announce("Signed in.");
      await signedIn(ctx.query.get("next"));
    } catch (e) {
      showProblem(form, e);
    } finally {
      button.disabled = false;
    }
  });
  key.focus();
}
