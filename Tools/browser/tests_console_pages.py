"""Every page of the console, one after the other: axe-core (no serious or critical violation), a
screenshot at 1280 px, and at 360 px a screenshot and no sideways scrolling. Also the pictures of
docs/CONSOLE.md that the flows do not take (VIGIL_DOC_SCREENSHOTS=1, see tests_console_fixtures.py).
Registered by tests_console.py, last: the pages then show what the other tests left.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

import vigil_browser as vb
from tests_console_fixtures import (
    ASSETS,
    AUDIT,
    DASHBOARD,
    NEW_TICKET,
    SYSTEM,
    TICKETS,
    USERS,
    api_ticket,
    axe_problems,
    it_desk,
    shot,
    sideways,
)
from tests_console_helpers import CASES, NEW_CASE, PREFERENCES, check_page, error_status, list_url, sign_in

DOC_REGION = "CO-DC"  # no other test opens cases there: the documentation's list shows only these
DOC_CASES = [
    ("S2", "traffic-accident", "drivers", "Rider hit by a car at Carrera 7 with Calle 45; conscious, knee injury, "
     "ambulance on its way. The order was delivered by another rider."),
    ("S3", "harassment", "clients", "Client reports that the rider was rude at the door and refused to go up to the apartment."),
    ("S4", "lost-item", "clients", "Client left a phone in the rider's bag at the last delivery; rider is bringing it back."),
    ("S1", "robbery", "drivers", "Rider robbed at gunpoint near Parque Simón Bolívar; motorbike and phone taken. Rider unhurt, police called."),
]


def _doc_cases(ctx) -> str:
    """Opens the documentation's cases in DOC_REGION (through the admin's API); returns the id of
    the one shown on the case page, moved to triaged with a note."""
    shown = None
    for severity, category, line, description in DOC_CASES:
        r = ctx.api.request("POST", "/api/incident-ops/cases", {
            "region": DOC_REGION, "businessLine": line, "category": category, "severity": severity,
            "description": description, "sensitive": False, "reporterName": "Andrés Gómez"})
        if r.status == 422:  # an unknown category or field in this build: the plainest case instead
            r = ctx.api.request("POST", "/api/incident-ops/cases", {
                "region": DOC_REGION, "businessLine": line, "category": "other", "severity": severity, "description": description, "sensitive": False})
        assert r.status == 201, f"POST /api/incident-ops/cases -> {r.status}: {r.body}"
        shown = shown or r.body
    ctx.api.post(f"/api/incident-ops/cases/{shown['id']}/transitions",
                 {"to": "triaged", "note": "Called the rider: ambulance arrived, taken to Clínica del Country."},
                 headers={"If-Match": f'"{shown["version"]}"'})
    ctx.api.post(f"/api/incident-ops/cases/{shown['id']}/notes", {"text": "Rider's insurance notified; claim number to follow."})
    return shown["id"]


def test_every_page_axe_and_phone(ctx):
    it = it_desk(ctx)
    case_id = _doc_cases(ctx)
    ticket = api_ticket(ctx, it["site"], "Printer on the 3rd floor jams on every page",
                        "The HP printer by the meeting rooms jams on every page since this morning; "
                        "paper tray checked.", impact=2, urgency=2, category="printing")
    d = ctx.driver()
    problems: list[str] = []

    def visit(name: str, path: str, wait: str = "main h1", doc: str | None = None, phone_doc: str | None = None,
              status: str | None = None) -> None:
        d.get(ctx.url(path))
        vb.wait_for(d, wait)
        if error_status(d) != status:
            problems.append(f"{path}: the {name} page shows the error page {error_status(d)!r}")
        check_page(d)
        problems.extend(axe_problems(d, f"every-{name}"))
        shot(d, f"every-{name}-1280", doc=doc)
        vb.phone(d)
        try:
            d.refresh()
            vb.wait_for(d, wait)
            problems.extend(sideways(d, name))
            shot(d, f"every-{name}-360", doc=phone_doc)
        finally:
            vb.desktop(d)

    visit("login", "/console/login", wait="form#login-form", doc="login")
    sign_in(d, ctx, "admin")
    visit("dashboard", f"{DASHBOARD}?region=BR-SP", wait="#dash-queues")
    visit("cases", list_url(ctx, region=DOC_REGION)[len(ctx.base):], wait="#case-results", doc="cases")
    visit("case-new", NEW_CASE, wait="form#case-form", phone_doc="new-case-phone")
    visit("case", f"{CASES}/{case_id}", wait="#case-status", doc="case", phone_doc="case-phone")
    visit("tickets", TICKETS, wait="#ticket-results")
    visit("ticket-new", NEW_TICKET, wait="form#ticket-form")
    visit("ticket", f"{TICKETS}/{ticket['id']}", wait="#ticket-status")
    visit("assets", f"{ASSETS}?site={it['site']}", wait="#assets")
    visit("asset", f"{ASSETS}/{it['asset']}", wait="#schedule")
    visit("asset-import", f"{ASSETS}/import", wait="form#import-form")
    visit("my-tickets", "/console/it-service-desk/my-tickets", wait="#my-ticket-results")
    visit("contracts", "/console/it-service-desk/contracts?within=all", wait="form#contract-form")
    visit("budget", "/console/it-service-desk/budget", wait="#budget-lines-title")
    visit("reports", f"/console/incident-ops/reports?region={DOC_REGION}&period=week", wait="#report-summary", doc="reports")
    visit("roster", "/console/incident-ops/roster?region=BR-SP", wait="form#shift-form")
    visit("sops", "/console/incident-ops/sops", wait="#sop-list")
    visit("sop", "/console/incident-ops/sops/assault", wait="form#sop-form")
    visit("qa", "/console/incident-ops/qa?region=BR-SP", wait="#qa-sample-form")
    visit("users", USERS, wait="#users")
    links = {a.text: a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#users a[data-row-link]")}
    coordinator = links.get(ctx.users["coordinator"]["email"])
    assert coordinator, f"the users page has no link to {ctx.users['coordinator']['email']}"
    visit("user", coordinator[len(ctx.base):], wait="#tokens")
    visit("audit", AUDIT, wait="#verify-form")
    visit("system", SYSTEM, wait="#domain-list")
    visit("preferences", PREFERENCES, wait="#preferences-form")
    visit("error-404", f"{CASES}/00000000-0000-7000-8000-000000000000", wait=".error-page", status="404")

    assert not problems, "\n".join(problems)


def test_unknown_console_path_404(ctx):
    """A path under /console that no page has (a mistyped or stale link) shows the console's own
    404 page, in its layout and language, as a record that does not exist does."""
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    d.get(ctx.url("/console/incident-ops/no-such-page"))
    vb.wait_for(d, "body")
    shown = d.find_element(By.TAG_NAME, "body").text[:160]
    assert error_status(d) == "404" and d.find_elements(By.CSS_SELECTOR, "nav#nav"), \
        f"/console/incident-ops/no-such-page (signed in) does not show the console's 404 page but {shown!r}"
    check_page(d)
