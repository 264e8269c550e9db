"""The incident desk's case pages in the browser: opening, assigning and resolving a case, and what
must not happen on them (a forged form, script in a case's text, a case outside the analyst's
access, an overwrite from a stale form, a case opened twice). Registered by tests_console.py.
"""

from __future__ import annotations

import json
import re

from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import vigil_browser as vb
from tests_console_helpers import (
    CASES,
    NEW_CASE,
    api_case,
    api_case_get,
    api_cases_matching,
    api_timeline,
    case_status,
    check_page,
    choose,
    ensure_analyst_profile,
    error_status,
    exists,
    fill_new_case,
    flash,
    list_url,
    listed_ids,
    navigate,
    open_case_form,
    path_of,
    sign_in,
    submit,
    text_content,
    texts,
    uniq,
    word,
)


def _sideways_scroll(d, page: str) -> list[str]:
    """[] if the page fits 360 px; else a message naming the elements that stick out."""
    width = d.execute_script("return document.documentElement.scrollWidth")
    if width <= 360:
        return []
    wide = d.execute_script("""
        const out = [];
        for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (r.right > 361 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > 361)) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' in ' + (el.closest('[id]') || {}).id);
            }
        }
        return out.slice(0, 5);""")
    return [f"the {page} page scrolls sideways at 360 px (content {width} px wide; sticking out: {wide})"]


def _current_nav(d) -> list[str]:
    return [a.get_attribute("id") for a in d.find_elements(By.CSS_SELECTOR, '#nav a[aria-current="page"]')]


def _nav_problem(d, page: str, expected: list[str]) -> list[str]:
    """The menu marks the page's own entry, and only that one, with aria-current="page"."""
    got = _current_nav(d)
    return [] if got == expected else [f"on the {page} page the menu marks {got} with aria-current=page, expected {expected}"]


def test_open_case_assign_resolve(ctx):
    ensure_analyst_profile(ctx)
    analyst = ctx.users["analyst"]["email"]
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")

    d.get(list_url(ctx))
    vb.wait_for(d, "#case-results")
    check_page(d)
    vb.axe_check(d, "cases")
    problems = _nav_problem(d, "case list", ["nav-incident-ops-cases"])
    submit(d, d.find_element(By.ID, "new-case-link"))
    assert path_of(d) == NEW_CASE, f"the new-case link went to {d.current_url}"
    vb.wait_for(d, "form#case-form")
    check_page(d)
    vb.axe_check(d, "case-new")
    problems += _nav_problem(d, "new-case", ["nav-incident-ops-cases-new"])

    text = uniq("Motorista relata pneu furado na marginal")
    case_id = open_case_form(d, ctx, text, severity="S2", category="traffic-accident")
    opened = api_case_get(ctx, case_id)
    ref = opened["reference"]
    ok = flash(d, "success")
    assert ok is not None, "no success flash (.flash.success[role=status]) after opening a case"
    assert ref in ok.text, f"the success flash {ok.text!r} does not name the case {ref}"
    assert ref in d.find_element(By.CSS_SELECTOR, "main h1").text, "the case page's heading does not name the case"
    assert ref in d.title
    assert text_content(d, "#case-description") == text
    assert case_status(d) == "new"
    assert (opened["severity"], opened["category"], opened["region"], opened["businessLine"]) == ("S2", "traffic-accident", "BR-SP", "drivers")
    assert opened["createdBy"] == "user:" + ctx.users["coordinator"]["email"]
    check_page(d)
    vb.axe_check(d, "case")
    vb.screenshot(d, "case-1280")
    vb.phone(d)
    d.refresh()
    vb.wait_for(d, "#case-status")
    problems += _nav_problem(d, "case", ["nav-incident-ops-cases"])
    problems += _sideways_scroll(d, "case")
    vb.screenshot(d, "case-360")
    vb.desktop(d)
    d.refresh()
    # The flash is shown once: not again on a reload.
    assert flash(d, "success") is None, "the success flash is shown again after a reload"

    # Assign to the analyst (offered because they have an analyst profile in BR-SP).
    offered = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#assignee option") if o.get_attribute("value")]
    assert analyst in offered, f"the assign form does not offer the analyst {analyst} for a BR-SP case (offered: {offered})"
    choose(d, "assignee", analyst)
    submit(d, d.find_element(By.CSS_SELECTOR, "#assign-form button[type=submit]"))
    assert flash(d, "error") is None, f"assigning failed: {flash(d, 'error').text}"
    assert flash(d, "success") is not None, "no success flash after assigning"
    after = api_case_get(ctx, case_id)
    assert after.get("assignee"), f"the case has no assignee after the assign form: {after}"
    selected = d.find_element(By.CSS_SELECTOR, "#assignee option:checked").get_attribute("value")
    assert selected == analyst, f"the assign form shows {selected!r} selected, not the assignee {analyst}"

    # Triaged, then resolved: without a resolution code it is refused, with one it is resolved.
    choose(d, "to", "triaged")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    assert flash(d, "error") is None, f"moving to triaged failed: {flash(d, 'error').text}"
    assert case_status(d) == "triaged"
    choose(d, "to", "resolved")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    refused = flash(d, "error")
    assert refused is not None and "resolutionCode" in refused.text, "resolving without a resolution code was not refused by name"
    assert case_status(d) == "triaged"
    choose(d, "to", "resolved")
    choose(d, "resolutionCode", "resolved")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    assert flash(d, "error") is None, f"resolving failed: {flash(d, 'error').text}"
    assert case_status(d) == "resolved"
    done = api_case_get(ctx, case_id)
    assert (done["status"], done.get("resolutionCode")) == ("resolved", "resolved")
    kinds = [e.get_attribute("data-kind") for e in d.find_elements(By.CSS_SELECTOR, "#timeline li")]
    assert len(kinds) >= 3, f"the timeline shows {kinds} after open, assign and two moves"
    vb.axe_check(d, "case-resolved")

    # It left the open queue (the list's default) and is found among the resolved.
    d.get(list_url(ctx, q=word(text)))
    assert case_id not in listed_ids(d), "a resolved case is still in the open queue"
    assert exists(d, "#no-cases")
    check_page(d)
    d.get(list_url(ctx, q=word(text), status="resolved"))
    assert listed_ids(d) == [case_id], "the resolved case is not listed with status=resolved"
    row = d.find_element(By.CSS_SELECTOR, f'tr[data-case-id="{case_id}"]')
    assert row.find_element(By.CSS_SELECTOR, "td[data-status]").get_attribute("data-status") == "resolved"
    assert row.find_element(By.CSS_SELECTOR, "a[data-row-link]").text == ref
    vb.axe_check(d, "cases-resolved")
    vb.phone(d)
    d.refresh()
    vb.wait_for(d, "#cases")
    problems += _sideways_scroll(d, "case list")
    vb.screenshot(d, "cases-360")
    assert not problems, "\n".join(problems)


def test_csrf_refused(ctx):
    case_id = api_case(ctx, uniq("CSRF target"))["id"]
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    d.get(ctx.url(f"{CASES}/{case_id}"))
    vb.wait_for(d, "#note-form")
    note = uniq("forged note")
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "note-text"), note)
    d.execute_script("document.querySelector('#note-form input[name=_csrf]').value = 'f' + 'e'.repeat(39)")
    submit(d, d.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]"))
    assert error_status(d) == "403", f"a note with a forged _csrf got {error_status(d)!r} on {d.current_url}, not a 403 page"
    lang = check_page(d)
    expected = texts("VigilConsole", lang)["refused-expired-form"]
    assert d.find_element(By.ID, "error-message").text == expected
    assert note not in json.dumps(api_timeline(ctx, case_id), ensure_ascii=False), "the note with a forged _csrf was added"

    # No _csrf at all, on the transition form: refused, the status unchanged.
    d.get(ctx.url(f"{CASES}/{case_id}"))
    vb.wait_for(d, "#transition-form")
    choose(d, "to", "triaged")
    d.execute_script("document.querySelector('#transition-form input[name=_csrf]').remove()")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    assert error_status(d) == "403", f"a move without _csrf got {error_status(d)!r}"
    assert api_case_get(ctx, case_id)["status"] == "new", "a move without _csrf changed the case"

    # A forged sign-out is refused too: still signed in.
    d.get(ctx.url(f"{CASES}/{case_id}"))
    vb.wait_for(d, "#logout-form")
    d.execute_script("document.querySelector('#logout-form input[name=_csrf]').value = 'x'")
    submit(d, d.find_element(By.CSS_SELECTOR, "#logout-form button[type=submit]"))
    assert error_status(d) == "403", f"a sign-out with a forged _csrf got {error_status(d)!r} on {d.current_url}"
    d.get(ctx.url(f"{CASES}/{case_id}"))
    vb.wait_for(d, "nav#nav")

    # The same note with the page's own token is added: the refusals were the token's doing.
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "note-text"), note)
    submit(d, d.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]"))
    assert flash(d, "success") is not None, f"the genuine note was not added ({error_status(d)!r})"
    assert note in d.find_element(By.ID, "timeline").text
    assert json.dumps(api_timeline(ctx, case_id), ensure_ascii=False).count(note) == 1


XSS = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">'
XSS_ATTR = '"\u0301 onmouseover=alert(1)'


def _inert(d) -> None:
    assert d.execute_script("return typeof window.__xss") == "undefined", f"injected script ran on {d.current_url}"
    injected = d.execute_script("return document.querySelectorAll('[onerror], [onmouseover], img[src=x]').length")
    assert injected == 0, f"{injected} injected element(s) or attribute(s) on {d.current_url}"
    try:
        alert = d.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"an alert opened on {d.current_url}: {text!r}")
    except NoAlertPresentException:
        pass


def test_xss_inert(ctx):
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    text = uniq(f"{XSS} {XSS_ATTR}")
    reporter = '"><img src=x onerror="window.__xss=3"> ' + XSS_ATTR

    # Sent back with a field missing, the form shows the text as text.
    fill_new_case(d, ctx, text, reporter=reporter)
    d.execute_script("document.getElementById('field-severity').removeAttribute('required');"
                     "document.getElementById('field-severity').value = ''")
    submit(d, d.find_element(By.ID, "case-submit"))
    assert path_of(d) == NEW_CASE and flash(d, "error") is not None, "a case without severity was not sent back with an error"
    _inert(d)
    assert d.find_element(By.ID, "field-description").get_attribute("value") == text
    assert d.find_element(By.ID, "field-reporterName").get_attribute("value") == reporter

    choose(d, "field-severity", "S4")
    submit(d, d.find_element(By.ID, "case-submit"))
    case_id = path_of(d).rsplit("/", 1)[-1]
    assert path_of(d) == f"{CASES}/{case_id}", f"the case was not opened: {d.current_url} ({error_status(d)})"
    _inert(d)
    assert text_content(d, "#case-description") == text, "the description is not shown as the literal text"
    assert XSS in d.find_element(By.ID, "case-description").text
    assert reporter in d.find_element(By.ID, "case-facts").text
    ActionChains(d).move_to_element(d.find_element(By.ID, "case-description")).perform()
    _inert(d)
    assert api_case_get(ctx, case_id)["description"] == text

    # A move made elsewhere (the API), with a note, reaches the open page through its live update
    # (live.js parses the fresh page and swaps its regions in): still text.
    ctx.api.post(f"/api/incident-ops/cases/{case_id}/transitions", {"to": "triaged", "note": "live " + XSS},
                 headers={"If-Match": f'"{api_case_get(ctx, case_id)["version"]}"'})
    try:
        WebDriverWait(d, 8, ignored_exceptions=(StaleElementReferenceException,)).until(lambda drv: "live " + XSS in drv.find_element(By.ID, "timeline").text)
    except TimeoutException:
        raise AssertionError("a move made through the API did not reach the open case page's timeline within 8 s (live update)")
    _inert(d)

    # In the list's search field (an attribute value) and a note (the timeline).
    d.get(list_url(ctx, q='"><script>window.__xss=4</script>'))
    vb.wait_for(d, "#filter-q")
    _inert(d)
    assert d.find_element(By.ID, "filter-q").get_attribute("value") == '"><script>window.__xss=4</script>'
    d.get(ctx.url(f"{CASES}/{case_id}"))
    d.execute_script("arguments[0].value = arguments[1]", vb.wait_for(d, "#note-text"), XSS + " " + XSS_ATTR)
    submit(d, d.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]"))
    _inert(d)
    assert XSS in d.find_element(By.ID, "timeline").text
    # (The runner fails the test on any Content-Security-Policy violation in the browser log.)


def test_analyst_no_sensitive(ctx):
    tag = uniq("visibility")
    sensitive = api_case(ctx, f"sensitive {tag}", region="BR-SP", sensitive=True)
    elsewhere = api_case(ctx, f"rio {tag}", region="BR-RJ")
    plain = api_case(ctx, f"plain {tag}", region="BR-SP")
    assert {c["id"] for c in api_cases_matching(ctx, word(tag))} == {sensitive["id"], elsewhere["id"], plain["id"]}

    d = ctx.driver()
    sign_in(d, ctx, "analyst")
    for status in (None, "all"):
        d.get(list_url(ctx, q=word(tag), status=status))
        assert listed_ids(d) == [plain["id"]], f"the analyst's list (status={status}) shows {listed_ids(d)}, not only the plain BR-SP case"
        check_page(d)
    d.get(list_url(ctx, q=sensitive["reference"], status="all"))
    assert listed_ids(d) == [], "the analyst finds the sensitive case by its reference"
    regions = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#filter-region option") if o.get_attribute("value")]
    assert regions == ["BR-SP"], f"the analyst's region filter offers {regions}"
    d.get(list_url(ctx, q=word(tag), status="all", region="BR-RJ"))
    vb.wait_for(d, "main h1")
    assert elsewhere["id"] not in d.page_source, "the BR-RJ case shows on the analyst's list with region=BR-RJ"

    for hidden in (sensitive, elsewhere):
        d.get(ctx.url(f"{CASES}/{hidden['id']}"))
        vb.wait_for(d, "main h1")
        assert error_status(d) == "404", f"the analyst's page of {hidden['region']} case (sensitive={hidden['sensitive']}) shows {error_status(d)!r}, not 404"
        check_page(d)
        assert hidden["reference"] not in d.page_source and tag not in d.page_source, "the hidden case's details are on the 404 page"
        if hidden is sensitive:
            vb.axe_check(d, "error-404")
        # Nor can they act on it.
        d.get(ctx.url(f"{CASES}/{plain['id']}"))
        vb.wait_for(d, "#note-form")
        d.execute_script("document.getElementById('note-form').action = arguments[0]", f"{CASES}/{hidden['id']}/note")
        d.execute_script("arguments[0].value = 'probe from the analyst'", d.find_element(By.ID, "note-text"))
        submit(d, d.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]"))
        assert error_status(d) in ("403", "404"), f"a note on a hidden case got {error_status(d)!r} on {d.current_url}"
        assert "probe from the analyst" not in json.dumps(api_timeline(ctx, hidden["id"]))

    d.get(ctx.url(f"{CASES}/{plain['id']}"))
    assert text_content(d, "#case-description") == f"plain {tag}"
    vb.axe_check(d, "case-analyst")


def test_stale_form(ctx):
    case = api_case(ctx, uniq("Stale form"))
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    d.get(ctx.url(f"{CASES}/{case['id']}"))
    vb.wait_for(d, "#transition-form")
    assert d.find_element(By.CSS_SELECTOR, "#transition-form input[name=_version]").get_attribute("value") == str(case["version"])

    # Someone else (the admin, through the API) moves it while the page is open.
    ctx.api.post(f"/api/incident-ops/cases/{case['id']}/transitions", {"to": "triaged", "note": "taken by the admin"},
                 headers={"If-Match": f'"{case["version"]}"'})
    changed = api_case_get(ctx, case["id"])
    assert changed["status"] == "triaged"

    choose(d, "to", "escalated")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    assert path_of(d) == f"{CASES}/{case['id']}", f"the stale form ended on {d.current_url}"
    stale = flash(d, "error")
    assert stale is not None, "a stale form shows no error flash"
    admin = ctx.users["admin"]
    assert admin["email"] in stale.text or admin["name"] in stale.text, f"the stale-form message does not name who changed the case: {stale.text!r}"
    assert re.search(r"\d{1,2}[:：]\d{2}", stale.text), f"the stale-form message gives no time: {stale.text!r}"
    assert case_status(d) == "triaged", f"the page shows {case_status(d)!r} after a refused stale move"
    now = api_case_get(ctx, case["id"])
    assert (now["status"], now["version"]) == ("triaged", changed["version"]), "the stale form overwrote the other change"
    check_page(d)
    # The time it names is the change's time as this page shows it on the timeline (the same zone).
    moved = d.find_elements(By.CSS_SELECTOR, '#timeline li[data-kind="status"] .when')
    assert moved, "the timeline does not show the other person's move"
    shown_at = moved[-1].text.split(" · ")[0]
    message = stale.text

    # The reloaded form carries the new version and works.
    choose(d, "to", "escalated")
    submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
    assert flash(d, "error") is None, f"the fresh form was refused: {flash(d, 'error').text}"
    assert case_status(d) == "escalated"
    assert shown_at in message, (f"the stale-form message gives the change's time in another zone than the page: "
                                 f"{message!r}, while the timeline shows that change at {shown_at!r}")


def test_double_submit(ctx):
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")

    # The same form (same _idem and _csrf) posted three times, two of them at once.
    text = uniq("Sent twice")
    fill_new_case(d, ctx, text)
    statuses = d.execute_script("""
        const form = document.getElementById('case-form');
        const send = () => fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form)),
                                               credentials: 'same-origin', redirect: 'manual'}).then(r => r.type + ' ' + r.status);
        return Promise.all([send(), send()]).then(first => send().then(last => first.concat([last])));
    """)
    assert all(s == "opaqueredirect 0" for s in statuses), f"the repeated posts were answered {statuses}, not each with a redirect"
    found = api_cases_matching(ctx, word(text))
    assert len(found) == 1, f"one form posted three times opened {len(found)} cases"
    d.get(list_url(ctx, q=word(text)))
    assert listed_ids(d) == [found[0]["id"]]

    # A double click on the button.
    text = uniq("Double click")
    fill_new_case(d, ctx, text)
    navigate(d, ActionChains(d).double_click(d.find_element(By.ID, "case-submit")).perform)
    vb.wait_for(d, "#case-status")
    found = api_cases_matching(ctx, word(text))
    assert len(found) == 1, f"a double click opened {len(found)} cases"
    assert path_of(d) == f"{CASES}/{found[0]['id']}"
