"""The console and the buyer's tracking page in a real browser (issue 20's "Done when").

Each flow acts as a person would (labels, button words, links: the stable names the pages
promise) and then checks the outcome through the public API, the source of truth: a page
that only *says* "done" does not pass. The last test walks every page at desktop and
phone width: a screenshot of each, axe-core with no serious or critical violation, and
no sideways scroll at 375 px.
"""

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from harness import (
    WAIT_S,
    button,
    buttons,
    delhivery_remittance_csv,
    field,
    fill,
    go,
    main_text,
    nav_pages,
    screenshot,
    session_of,
    sign_in,
    wait_ready,
    wait_text,
    wait_until,
    xpath_literal,
)

# The words of every button that changes something (the pages' stable names): a `read`
# key's session shows none of them. ("Print handover sheet" is not one: it opens a PDF,
# which a read key may.)
ACTION_WORDS = ["Re-attempt", "Change address", "Change phone", "Return to origin", "Book return",
                "Upload remittance file", "Replay", "Validate", "Upload",
                "Cancel shipment", "Reschedule", "Create manifest", "Schedule pickup", "Save"]


# --------------------------------------------------------------------------- helpers


def absolute(base_url, url):
    return url if url.startswith("http") else base_url + url


def page_fetch(d, method, path, body=None, csrf=True, content_type="application/json"):
    """A request from the page itself, with the session cookie and (when `csrf`) the
    session's CSRF header: what a script on the console could do."""
    return d.execute_async_script("""
        const [method, path, body, csrf, contentType, done] = arguments;
        (async () => {
          const headers = {'Idempotency-Key': crypto.randomUUID()};
          if (body !== null) headers['Content-Type'] = contentType;
          if (csrf) {
            const s = await (await fetch('/console/session')).json();
            headers['X-CSRF-Token'] = s.csrf_token;
          }
          const r = await fetch(path, {method, headers, credentials: 'same-origin',
                                       body: body === null ? undefined : body});
          const buf = new Uint8Array(await r.arrayBuffer());
          let text = '';
          for (const b of buf.slice(0, 4096)) text += String.fromCharCode(b);
          done({status: r.status, type: r.headers.get('content-type'), size: buf.length, head: text});
        })().catch(e => done({status: 0, error: String(e)}));
    """, method, path, None if body is None else json.dumps(body), csrf, content_type)


def row_with(d, text):
    """The table row (or list item) in <main> that contains `text`, waited for."""
    lit = f"'{text}'"

    def find():
        rows = d.find_elements(By.XPATH, f"//main//tr[contains(normalize-space(.), {lit})]"
                                         f" | //main//li[contains(normalize-space(.), {lit})]"
                                         f" | //main//article[contains(normalize-space(.), {lit})]")
        rows = [r for r in rows if r.is_displayed()]
        return rows[-1] if rows else None
    return wait_until(find, f"a row showing {text} on {d.current_url}")


def page_name(path):
    name = path.strip("/").split("?")[0].replace("/", "-") or "root"
    return name if name != "console" else "console-overview"


def visible_action_buttons(d):
    found = []
    for word in ACTION_WORDS:
        for b in buttons(d, word):
            found.append(word)
            break
    return found


# --------------------------------------------------------------------------- flows


def test_sign_in(admin, base_url, admin_key, checks):
    admin.get(base_url + "/console/sign-in")
    admin.delete_all_cookies()
    admin.get(base_url + "/console")
    field(admin, "API key")
    checks.check(admin, "console-sign-in")

    # A wrong key is refused on the page, and no session is made.
    fill(admin, "API key", "sg_not_a_key_at_all_0000000000")
    button(admin, "Sign in").click()
    wait_until(lambda: admin.find_elements(By.CSS_SELECTOR, "[role=alert], [aria-live]")
               and any(e.text.strip() for e in admin.find_elements(By.CSS_SELECTOR, "[role=alert], [aria-live]")),
               "the refusal shown on the sign-in page")
    assert session_of(admin)[0] == 401

    fill(admin, "API key", admin_key)
    button(admin, "Sign in").click()
    wait_until(lambda: session_of(admin)[0] == 200, "a session after signing in")
    button(admin, "Sign out")
    title = wait_ready(admin)
    status, session = session_of(admin)
    assert session["role"] == "admin" and session["mode"] == "sandbox" and session["csrf_token"], session
    cookie = admin.get_cookie("sg_session")
    assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie
    assert "sg_session" not in admin.execute_script("return document.cookie")
    assert title, "the overview has its heading"
    screenshot(admin, checks.artifacts, "flow-signed-in")

    # A change without the session's CSRF header is refused, whatever the cookie.
    forced = page_fetch(admin, "POST", "/v1/pickup-locations",
                        {"name": "no csrf", "address": {"postal_code": "110020"}}, csrf=False)
    assert forced["status"] == 403, forced
    assert "problem+json" in (forced["type"] or ""), forced
    assert "csrf_token_invalid" in forced["head"], forced


def open_and_submit(d, scope, words):
    """Clicks the action button `words` in `scope`; where it opens a form of its own (named
    by the same words: the console's inline action forms), submits that form."""
    button(scope, words).click()
    # The click handler builds the form before click() returns: no wait needed.
    forms = [f for f in d.find_elements(By.XPATH, f"//main//form[@aria-label={xpath_literal(words)}]")
             if f.is_displayed()]
    if forms:
        forms[0].find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    return forms[0] if forms else None


def test_ndr_queue_to_reattempt(admin, base_url, admin_key, api, data, checks):
    sign_in(admin, base_url, admin_key)
    s = data["ndr_console"]
    go(admin, base_url, "/console/ndr")
    row = row_with(admin, s["awb"])
    open_and_submit(admin, row, "Re-attempt")
    action = wait_until(
        lambda: next((a for a in api.get(f"/v1/shipments/{s['id']}/ndr-actions")["data"]
                      if a["action"] == "reattempt"), None),
        "the re-attempt recorded through the API")
    assert action["state"] in ("requested", "accepted", "effective"), action
    assert action["source"] == "api", action  # the console is a client of the API
    # The page says what happened, in a status message.
    wait_text(admin, "Re-attempt", scope_css="main [role=status]")
    screenshot(admin, checks.artifacts, "flow-ndr-reattempt")
    # The trail names the console session's key, as for any API call.
    trail = api.get("/v1/audit-events?action=ndr_action.requested")["data"]
    assert any(e["target"]["id"] == s["id"] for e in trail), trail


def test_book_a_return_from_the_shipment_page(admin, base_url, admin_key, api, data, checks):
    sign_in(admin, base_url, admin_key)
    s = data["return_from"]
    go(admin, base_url, f"/console/shipments/{s['id']}")
    wait_text(admin, s["awb"])
    form = button(admin, "Book return").find_element(By.XPATH, "ancestor::form")
    fill(form, "Reason", "size_issue")
    fill(form, "Buyer's words", "too small")
    button(form, "Book return").click()
    # Listed from the moment it is stored; booked once the carrier gave its AWB.
    ret = wait_until(lambda: next((r for r in api.get(f"/v1/shipments/{s['id']}/returns")["data"]
                                   if r.get("awb")), None),
                     "the return booked through the API")
    assert ret.get("awb") and ret["kind"] == "reverse", ret
    assert "size_issue" in json.dumps(ret), ret
    wait_text(admin, ret["awb"], scope_css="main [role=status]")
    screenshot(admin, checks.artifacts, "flow-return-booked")


def test_close_the_day_and_print_the_handover_sheet(admin, base_url, admin_key, api, data, checks):
    sign_in(admin, base_url, admin_key)
    pages = [p for p in nav_pages(admin) if "pickup" in p or "manifest" in p]
    assert pages, f"no pickups or manifests page in the navigation: {nav_pages(admin)}"
    go(admin, base_url, pages[0])
    # Close the day for one booked parcel, in the page's own form.
    form = button(admin, "Create manifest").find_element(By.XPATH, "ancestor::form")
    fill(form, "Pickup location", data["location"]["id"])
    fill(form, "Carrier account", "shiprocket")
    fill(form, "Shipments", data["booked_b"]["id"])
    button(form, "Create manifest").click()
    manifest = wait_until(
        lambda: next((m for m in api.get("/v1/manifests")["data"]
                      if m["id"] != data["manifest"]["id"]), None),
        "the manifest created through the API")
    assert manifest["shipment_count"] == 1, manifest
    screenshot(admin, checks.artifacts, "flow-manifest-created")

    # Its handover sheet: the button opens it in a new window, which is fetched and read.
    before = set(admin.window_handles)
    home = admin.current_window_handle
    row = row_with(admin, manifest["id"])
    button(row, "Print handover sheet").click()
    opened = wait_until(lambda: set(admin.window_handles) - before, "the handover sheet's window")
    admin.switch_to.window(opened.pop())
    try:
        href = wait_until(lambda: admin.current_url if "/document" in admin.current_url else None,
                          "the handover sheet's address in the new window")
    finally:
        admin.close()
        admin.switch_to.window(home)
    assert href.endswith(f"/v1/manifests/{manifest['id']}/document"), href
    got = page_fetch(admin, "GET", href)
    assert got["status"] == 200, got
    assert got["type"].startswith("application/pdf"), got
    assert got["head"].startswith("%PDF-"), got["head"][:20]
    assert data["booked_b"]["awb"] in api.get(f"/v1/manifests/{manifest['id']}").__repr__()


def test_upload_a_cod_remittance_file_and_see_the_report(admin, base_url, admin_key, api, data, checks, tmp_path):
    sign_in(admin, base_url, admin_key)
    paid, short = data["cod_paid"], data["cod_short"]
    csv = delhivery_remittance_csv([(paid["awb"], "1499.00"), (short["awb"], "500")])
    path = tmp_path / "remittance-browser.csv"
    path.write_text(csv)
    pages = [p for p in nav_pages(admin) if "cod" in p]
    assert pages, f"no COD page in the navigation: {nav_pages(admin)}"
    go(admin, base_url, pages[0])
    upload = admin.find_element(By.CSS_SELECTOR, "main input[type=file]")
    upload.send_keys(str(path))
    button(admin, "Upload remittance file").click()
    remittance = wait_until(
        lambda: next((r for r in api.get("/v1/cod-remittances")["data"]
                      if r.get("file_name") == "remittance-browser.csv"), None),
        "the remittance stored through the API")
    assert remittance["counts"]["matched"] == 1, remittance
    assert remittance["counts"]["amount_mismatch"] == 1, remittance
    # The report of that file: its lines, the short one among them.
    wait_text(admin, short["awb"])
    screenshot(admin, checks.artifacts, "flow-cod-report")


def test_buyer_changes_the_address_on_the_tracking_page(buyer, base_url, api, data, checks):
    s = api.get(f"/v1/shipments/{data['ndr_buyer']['id']}")
    url = s.get("tracking_url")
    assert url and "/t/" in url, f"the shipment carries no tracking_url: {sorted(s)}"
    buyer.get(absolute(base_url, url))
    wait_ready(buyer)
    assert s["awb"] in main_text(buyer)
    # The tenant's branding: its name, and its logo named for screen readers.
    assert "Kurta Company" in buyer.find_element(By.TAG_NAME, "header").text
    assert buyer.find_elements(By.CSS_SELECTOR, "header img[alt*='Kurta Company']")
    # Nothing a buyer should not see: the declared value, the shipment's id, the seller's
    # warehouse, the buyer's full phone number.
    html = buyer.page_source
    for secret in ("49900", "499.00", s["id"], "Plot 4", "9876543210"):
        assert secret not in html, f"the tracking page shows {secret!r}"
    checks.check(buyer, "tracking-page-ndr")

    form = field(buyer, "Address line 1").find_element(By.XPATH, "ancestor::form")
    fill(form, "Address line 1", "44 Residency Road")
    fill(form, "City", "Bengaluru")
    fill(form, "PIN code", "560025")
    # The contract's words are "Change address"; the page may say "Update address".
    submit = buttons(form, "Change address") or buttons(form, "Update address")
    assert submit, "no submit button in the address form"
    submit[0].click()
    # A plain form post: the browser loads the answer page (303 back to the link).
    WebDriverWait(buyer, WAIT_S).until(staleness_of(submit[0]))
    wait_ready(buyer)
    notice = [n.text for n in buyer.find_elements(By.CSS_SELECTOR, "main [role=status]")]
    assert notice and "address" in " ".join(notice).lower(), (
        f"the tracking page answered: {main_text(buyer)[:300]!r}")
    action = wait_until(
        lambda: next((a for a in api.get(f"/v1/shipments/{s['id']}/ndr-actions")["data"]
                      if a["action"] == "change_address"), None),
        "the buyer's address change recorded as an NDR action")
    assert "44 Residency Road" in json.dumps(action), action
    assert action.get("source") in ("buyer", "tracking_page"), action
    wait_ready(buyer)
    # The page now says the request went to the courier, and offers no second form.
    assert not buyer.find_elements(By.XPATH, "//label[starts-with(normalize-space(.), 'Address line 1')]")
    screenshot(buyer, checks.artifacts, "flow-tracking-address-changed")


def test_a_read_key_sees_every_page_and_cannot_act(reader, base_url, read_key, api, data, checks):
    sign_in(reader, base_url, read_key)
    status, session = session_of(reader)
    assert session["role"] == "read", session
    s = data["ndr_read"]
    pages = nav_pages(reader) + [f"/console/shipments/{s['id']}"]
    assert len(pages) >= 5, pages
    acting = {}
    for path in pages:
        go(reader, base_url, path)
        shown = visible_action_buttons(reader)
        files = [f for f in reader.find_elements(By.CSS_SELECTOR, "main input[type=file]") if f.is_displayed()]
        if shown or files:
            acting[path] = shown + (["file input"] if files else [])
        screenshot(reader, checks.artifacts, f"read-{page_name(path)}")
    assert not acting, f"a read key's session is offered actions: {acting}"

    # The NDR queue shows the shipment all the same.
    go(reader, base_url, "/console/ndr")
    row_with(reader, s["awb"])

    # Forcing the action from the page, with the session's own CSRF token: refused.
    forced = page_fetch(reader, "POST", f"/v1/shipments/{s['id']}/ndr-actions", {"action": "reattempt"})
    assert forced["status"] == 403, forced
    assert "problem+json" in (forced["type"] or ""), forced
    # Refused for the role, past the CSRF check (the token was right).
    assert "csrf_token_invalid" not in forced["head"], forced
    assert api.get(f"/v1/shipments/{s['id']}/ndr-actions")["data"] == []

    # Signing out ends the session: the console asks for a key again.
    button(reader, "Sign out").click()
    wait_until(lambda: session_of(reader)[0] == 401, "the session ended by signing out")
    reader.get(base_url + "/console/ndr")
    field(reader, "API key")


# --------------------------------------------------------------------------- every page


def test_every_page_is_accessible_and_fits_a_phone(admin, buyer, base_url, admin_key, api, data, checks):
    sign_in(admin, base_url, admin_key)
    pages = nav_pages(admin)
    assert len(pages) >= 5, f"the navigation lists too few pages: {pages}"
    for path in pages:
        admin.get(base_url + path)
        checks.check(admin, page_name(path))
    for name, key in (("console-shipment", "ndr_console"), ("console-shipment-delivered", "return_from")):
        admin.get(f"{base_url}/console/shipments/{data[key]['id']}")
        checks.check(admin, name)
    search = next((p for p in pages if "search" in p), None)
    if search:
        admin.get(f"{base_url}{search.split('?')[0]}?q={data['ndr_console']['awb']}")
        checks.check(admin, "console-search-results")
    tracking = api.get(f"/v1/shipments/{data['return_from']['id']}").get("tracking_url")
    assert tracking, "the shipment carries no tracking_url"
    buyer.get(absolute(base_url, tracking))
    checks.check(buyer, "tracking-page")
    print("\npages checked:", ", ".join(checks.checked))
    checks.assert_clean()
