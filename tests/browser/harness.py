"""The browser suite's harness: the gateway's public API, seeding through it, Chromium
through chromedriver, and the checks every page gets (axe-core, phone width, screenshots).

Why it is built this way:
- Everything the pages show is seeded through the public `/v1` API, as an integrator would
  make it, so the pages are tested against the same data paths as production; the
  sandbox simulators move shipments on each tracking call (a PIN code ending in `99`
  fails its first delivery attempt), so seeding needs no clock and no sleep.
- The browser is Debian's `chromium` driven by its own `chromedriver` (no Selenium
  Manager download: this must work offline). Desktop and phone widths are set with the
  DevTools protocol's device metrics, which fixes the viewport exactly (a window size
  in headless mode is the window, not the viewport).
- Waits poll a condition (WebDriverWait), also for API state, never a fixed sleep.
- The bench script (`bench/console-lcp`) imports this module too: one way to start a
  browser and to read the API.
"""

import base64
import json
import os
import shutil
import time
import urllib.error
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = (1280, 800)
PHONE = (375, 812)
WAIT_S = float(os.environ.get("SG_BROWSER_WAIT_S", "15"))


# --------------------------------------------------------------------------- the API


class ApiError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__(f"{method} {path}: HTTP {status}: {str(body)[:600]}")
        self.status = status
        self.body = body


class Api:
    """The public API with one key, as an integrator calls it."""

    def __init__(self, base, key):
        self.base = base.rstrip("/")
        self.key = key

    def call(self, method, path, json_body=None, body=None, content_type=None,
             idempotent=False, expect=(200, 201, 202, 204), headers=None):
        data = body
        hdrs = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            hdrs["Content-Type"] = "application/json"
        elif content_type:
            hdrs["Content-Type"] = content_type
        if idempotent:
            hdrs["Idempotency-Key"] = str(uuid.uuid4())
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, raw, ctype = r.status, r.read(), r.headers.get("content-type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("content-type", "")
        parsed = raw
        if "json" in ctype and raw:
            parsed = json.loads(raw)
        if expect and status not in expect:
            raise ApiError(method, path, status, parsed)
        return parsed

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body, **kw):
        kw.setdefault("idempotent", True)
        return self.call("POST", path, json_body=body, **kw)


def wait_until(predicate, what, timeout=WAIT_S):
    """Polls `predicate` (a no-argument callable) until it answers something truthy; that
    answer. WebDriverWait's loop without a driver: no fixed sleep anywhere."""
    try:
        return WebDriverWait(None, timeout, poll_frequency=0.05).until(lambda _: predicate())
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


# --------------------------------------------------------------------------- seeding

WAREHOUSE = {
    "name": "Shipgate Demo Warehouse", "phone": "9000000001", "email": "ops@example.com",
    "line1": "Plot 4, Okhla Industrial Area", "city": "New Delhi", "state": "Delhi",
    "postal_code": "110020",
}


def buyer(pin="560001", name="Asha Rao"):
    return {"name": name, "phone": "+91 98765 43210", "email": "asha@example.com",
            "line1": "12 MG Road", "landmark": "Near Metro Station", "city": "Bengaluru",
            "state": "Karnataka", "postal_code": pin}


def shipment_body(order_ref, carrier="delhivery", pin="560001", cod_paise=None, name="Asha Rao"):
    body = {
        "order_ref": order_ref, "carrier": carrier, "from": dict(WAREHOUSE),
        "to": buyer(pin, name),
        "parcels": [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
                     "declared_value": {"amount": 49900, "currency": "INR"},
                     "description": "Cotton kurta"}],
        "payment": {"mode": "prepaid"},
    }
    if cod_paise:
        body["payment"] = {"mode": "cod", "cod_amount": {"amount": cod_paise, "currency": "INR"}}
    return body


# The simulators fail the first delivery attempt to a PIN code ending in 99.
NDR_PIN = "560099"


def book(api, order_ref, **kw):
    return api.post("/v1/shipments", shipment_body(order_ref, **kw))


def track_until(api, shipment_id, status, limit=40):
    """Each tracking call reveals the simulator's next scan: calls until `status` shows."""
    seen = []
    for _ in range(limit):
        t = api.get(f"/v1/shipments/{shipment_id}/tracking")
        seen.append(t.get("sub_status") or t.get("status"))
        if t["status"] == status:
            return t
    raise AssertionError(f"shipment {shipment_id} never reached {status}: {seen}")


def delhivery_remittance_csv(lines):
    """A Delhivery COD remittance file: (AWB, rupees as written) per line."""
    out = ["Waybill,Order ID,COD Amount,UTR No,Remittance Date"]
    out += [f"{awb},ORD,{amount},UTR0001,2026-12-05" for awb, amount in lines]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the browser


def chromium_paths():
    binary = os.environ.get("SG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("SG_CHROMEDRIVER") or shutil.which("chromedriver")
    return binary, driver


def new_driver():
    binary, driver = chromium_paths()
    if not binary or not driver:
        raise RuntimeError("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=en-US",
                "--force-device-scale-factor=1", "--no-first-run",
                "--disable-extensions", "--disable-background-networking",
                "--hide-scrollbars"):
        opts.add_argument(arg)
    # Console errors (a CSP refusal, a failed module import) are read back per page.
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    d.set_page_load_timeout(30)
    d.set_script_timeout(30)
    desktop(d)
    return d


def desktop(d):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False})


def phone(d):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})


def by_text_xpath(tag_names, text):
    """XPath for elements of `tag_names` whose visible text (or value, or aria-label) is
    `text` exactly, whitespace normalised."""
    lit = xpath_literal(text)
    parts = []
    for t in tag_names:
        parts.append(f".//{t}[normalize-space(.)={lit} or @aria-label={lit} or @value={lit}]")
    return " | ".join(parts)


def xpath_literal(s):
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    return "concat('" + s.replace("'", "',\"'\",'") + "')"


ACTION_TAGS = ("button", "a[@role='button']", "input[@type='submit']", "input[@type='button']")


def buttons(scope, text):
    return [b for b in scope.find_elements(By.XPATH, by_text_xpath(ACTION_TAGS, text)) if b.is_displayed()]


def button(scope, text, timeout=WAIT_S):
    """The one visible button saying `text` in `scope`, waited for."""
    def find(_):
        found = buttons(scope, text)
        return found[0] if found else False
    try:
        return WebDriverWait(scope, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,)).until(find)
    except TimeoutException:
        raise AssertionError(f"no button '{text}' shown") from None


def link(scope, text, timeout=WAIT_S):
    def find(_):
        found = [a for a in scope.find_elements(By.XPATH, by_text_xpath(("a",), text)) if a.is_displayed()]
        return found[0] if found else False
    try:
        return WebDriverWait(scope, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,)).until(find)
    except TimeoutException:
        raise AssertionError(f"no link '{text}' shown") from None


def field(scope, label_text, timeout=WAIT_S):
    """The control a `<label>` names (its text starts with `label_text`, case-insensitive):
    through `for=` or nested inside the label."""
    want = label_text.strip().lower()

    def find(_):
        for label in scope.find_elements(By.TAG_NAME, "label"):
            text = " ".join(label.text.split()).lower()
            if not text.startswith(want):
                continue
            target = label.get_attribute("for")
            if target:
                try:
                    return label.parent.find_element(By.ID, target)
                except NoSuchElementException:
                    continue
            inner = label.find_elements(By.CSS_SELECTOR, "input, select, textarea")
            if inner:
                return inner[0]
        return False
    try:
        return WebDriverWait(scope, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,)).until(find)
    except TimeoutException:
        raise AssertionError(f"no field labelled '{label_text}'") from None


def fill(scope, label_text, value):
    el = field(scope, label_text)
    tag = el.tag_name.lower()
    if tag == "select":
        from selenium.webdriver.support.ui import Select
        sel = Select(el)
        try:
            sel.select_by_value(value)
        except NoSuchElementException:
            sel.select_by_visible_text(value)
    else:
        el.clear()
        el.send_keys(value)
    return el


# A page is ready when it has its one <h1> and nothing in <main> says it is still loading.
READY_JS = """
const main = document.querySelector('main');
if (!main) return false;
const h1 = document.querySelectorAll('h1');
if (h1.length !== 1 || !h1[0].textContent.trim()) return false;
if (main.getAttribute('aria-busy') === 'true' || main.querySelector('[aria-busy="true"]')) return false;
return h1[0].textContent.trim();
"""


def wait_ready(d, timeout=WAIT_S):
    try:
        return WebDriverWait(d, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(READY_JS))
    except TimeoutException:
        h1s = d.execute_script("return [...document.querySelectorAll('h1')].map(h => h.textContent)")
        raise AssertionError(f"{d.current_url} never became ready (h1s: {h1s}); "
                             f"browser log: {browser_errors(d)}") from None


def browser_errors(d):
    try:
        return [e["message"] for e in d.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:  # the log is a diagnosis only
        return []


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def wait_text(d, text, scope_css="main", timeout=WAIT_S):
    """Waits until `text` shows in the element `scope_css` (main by default)."""
    def has(d):
        els = d.find_elements(By.CSS_SELECTOR, scope_css)
        return any(text in e.text for e in els)
    try:
        WebDriverWait(d, timeout, poll_frequency=0.05,
                      ignored_exceptions=(StaleElementReferenceException,)).until(has)
    except TimeoutException:
        shown = " | ".join(e.text[:400] for e in d.find_elements(By.CSS_SELECTOR, scope_css))
        raise AssertionError(f"'{text}' never showed in {scope_css} on {d.current_url}: {shown}") from None


# --------------------------------------------------------------------------- the checks


class Axe:
    """axe-core, injected into the page under test and run there."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.source = f.read()

    def run(self, d):
        if not d.execute_script("return typeof window.axe === 'object'"):
            d.execute_script(self.source)
        result = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                            summary: (n.failureSummary || '').slice(0, 300)}))}))))
              .catch(e => done({error: String(e)}));
        """)
        if isinstance(result, dict) and "error" in result:
            raise AssertionError(f"axe failed on {d.current_url}: {result['error']}")
        return result


def serious(violations):
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"      at {n['target']}: {n['summary']}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def horizontal_overflow(d, width=PHONE[0]):
    """(scrollWidth, innerWidth) when the page scrolls sideways at phone width, else None.

    Under phone emulation Chrome widens the layout viewport to fit what overflows (a
    600 px element makes innerWidth 608), and a page with no `<meta name=viewport>` is laid
    out 980 px wide: so `scrollWidth <= innerWidth` alone would always hold. Both are
    compared with the phone's own width instead."""
    sw, iw = d.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    return (sw, iw) if sw > width or iw != width else None


def widest_elements(d):
    """What sticks out past the viewport: for the failure message."""
    return d.execute_script("""
        const w = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > w + 1 && r.width > 0) {
            out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                     (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                     ' right=' + Math.round(r.right));
          }
          if (out.length >= 8) break;
        }
        return out;
    """)


def screenshot(d, directory, name):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{name}.png")
    # Page.captureScreenshot of the viewport as emulated: exactly 1280x800 or 375x812.
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return path


class PageChecks:
    """Every page, at desktop and phone width: screenshot, axe (no serious or critical
    violation), no sideways scroll at 375 px. Problems are collected, not raised at the
    first, so one run lists every page's faults."""

    def __init__(self, axe, artifacts):
        self.axe = axe
        self.artifacts = artifacts
        self.problems = []
        self.checked = []
        self.timings = {}

    def check(self, d, name, ready=wait_ready):
        started = time.monotonic()
        ready(d)
        screenshot(d, self.artifacts, f"{name}-desktop")
        found = serious(self.axe.run(d))
        if found:
            self.problems.append(f"{name} (desktop, {d.current_url}): axe\n{describe(found)}")
        phone(d)
        try:
            ready(d)
            over = horizontal_overflow(d)
            if over:
                self.problems.append(
                    f"{name} (375 px, {d.current_url}): scrollWidth {over[0]}, innerWidth {over[1]} "
                    f"(both must be {PHONE[0]}); "
                    f"past the edge: {widest_elements(d)}")
            screenshot(d, self.artifacts, f"{name}-phone")
            found = serious(self.axe.run(d))
            if found:
                self.problems.append(f"{name} (phone, {d.current_url}): axe\n{describe(found)}")
        finally:
            desktop(d)
        self.checked.append(name)
        self.timings[name] = time.monotonic() - started

    def assert_clean(self):
        assert not self.problems, (
            f"{len(self.problems)} problem(s) on {len(self.checked)} pages checked:\n\n"
            + "\n\n".join(self.problems))


# --------------------------------------------------------------------------- the console


def session_of(d):
    """GET /console/session from inside the page: (status, JSON or None)."""
    return d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/console/session', {credentials: 'same-origin'})
          .then(async r => done([r.status, r.ok ? await r.json() : null]))
          .catch(e => done([0, String(e)]));
    """)


def sign_in(d, base_url, key):
    """Signs in through the sign-in form, unless this browser already has a session."""
    d.get(base_url + "/console")
    status, _ = session_of(d)
    if status == 200:
        return
    fill(d, "API key", key)
    button(d, "Sign in").click()
    wait_until(lambda: session_of(d)[0] == 200, "a console session after signing in")
    button(d, "Sign out")  # the shell, signed in
    wait_ready(d)


def go(d, base_url, path):
    d.get(base_url + path)
    return wait_ready(d)


def nav_pages(d):
    """The console's pages, as its navigation lists them (the route list lives in app.js
    only: the suite follows it instead of keeping a copy)."""
    hrefs = d.execute_script("""
        return [...document.querySelectorAll('nav a[href]')]
          .map(a => new URL(a.href, location.href))
          .filter(u => u.origin === location.origin && u.pathname.startsWith('/console'))
          .map(u => u.pathname + u.search);
    """)
    seen, pages = set(), []
    for h in hrefs:
        if h not in seen:
            seen.add(h)
            pages.append(h)
    return pages
