"""The console's languages, preferences, keyboard shortcuts, and pages without JavaScript.
Registered by tests_console.py.
"""

from __future__ import annotations

import datetime
import zoneinfo

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import vigil_browser as vb
from tests_console_helpers import (
    CASES,
    CJK,
    NEW_CASE,
    PREFERENCES,
    api_case,
    api_case_get,
    case_status,
    check_page,
    choose,
    error_status,
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

DASHBOARD = "/console/incident-ops"


def _tour(ctx, lang: str, case_id: str) -> None:
    """Signs the coordinator in with a browser in `lang` and visits the console's pages: each in
    that language, none with a missing translation (and in Chinese, Chinese text)."""
    d = ctx.driver(lang)
    desk = texts("IncidentOps", lang)
    platform = texts("VigilConsole", lang)
    d.get(ctx.url("/console/login"))
    vb.wait_for(d, "form#login-form")
    check_page(d, lang)
    assert d.find_element(By.ID, "login-submit").text == platform["signin-submit"]
    sign_in(d, ctx, "coordinator")
    check_page(d, lang)
    pages = [
        (list_url(ctx), desk["cases-title"]),
        (list_url(ctx, status="all", severity="S3"), desk["cases-title"]),
        (ctx.url(NEW_CASE), desk["new-case-title"]),
        (ctx.url(f"{CASES}/{case_id}"), desk["case-title"]),
        (ctx.url(DASHBOARD), None),
        (ctx.url(PREFERENCES), platform["preferences-title"]),
        (ctx.url(f"{CASES}/00000000-0000-7000-8000-000000000000"), platform["error-404"]),
    ]
    for url, title in pages:
        d.get(url)
        h1 = vb.wait_for(d, "main h1")
        check_page(d, lang)
        if title is not None:
            assert h1.text.startswith(title), f"{url} in {lang}: heading {h1.text!r}, expected {title!r}"
        if url == pages[0][0]:
            vb.screenshot(d, f"cases-{lang}")
        body = d.find_element(By.TAG_NAME, "body").text
        if lang == "zh-CN":
            assert CJK.search(body), f"{url} in zh-CN shows no Chinese text"
            assert CJK.search(d.title), f"{url} in zh-CN: the title {d.title!r} is not in Chinese"
    # A form sent back with its issues, in the same language.
    d.get(ctx.url(NEW_CASE))
    form = vb.wait_for(d, "form#case-form")
    d.execute_script("arguments[0].noValidate = true", form)  # past the browser's own check of required fields
    submit(d, form)
    problem = flash(d, "error")
    assert problem is not None and problem.text == desk["form-has-issues"], f"the new-case form's issues in {lang}: {problem and problem.text!r}"
    assert d.find_elements(By.CSS_SELECTOR, ".field.invalid .field-error"), "no field is marked invalid"
    check_page(d, lang)


def test_zh_cn_pages(ctx):
    case_id = api_case(ctx, uniq("多语言 tour"))["id"]
    for lang in ("zh-CN", "pt-BR", "en"):
        _tour(ctx, lang, case_id)


def _created_at(d) -> str:
    return d.find_element(By.XPATH, "//dl[@class='facts']/dd[count(preceding-sibling::dt) = 6]").text


def _set_preferences(d, ctx, language: str, zone: str, shortcuts: bool) -> None:
    d.get(ctx.url(PREFERENCES))
    vb.wait_for(d, "#preferences-form")
    choose(d, "language", language)
    tz = d.find_element(By.ID, "timeZone")
    tz.clear()
    if zone:
        tz.send_keys(zone)
    box = d.find_element(By.ID, "keyboardShortcuts")
    if box.is_selected() != shortcuts:
        box.click()
    submit(d, d.find_element(By.CSS_SELECTOR, "#preferences-form button[type=submit]"))


def test_preferences(ctx):
    """The admin's preferences (the only test that changes them; they are put back to the
    browser's language at the end, so that other tests see the Accept-Language choice)."""
    pt, en = texts("VigilConsole", "pt-BR"), texts("VigilConsole", "en")
    case = api_case(ctx, uniq("Fuso horário"))
    d = ctx.driver("pt-BR")
    sign_in(d, ctx, "admin")
    try:
        d.get(ctx.url(PREFERENCES))
        vb.wait_for(d, "#preferences-form")
        check_page(d, "pt-BR")
        assert d.find_element(By.CSS_SELECTOR, "main h1").text == pt["preferences-title"]
        vb.axe_check(d, "preferences")

        # English and India's time zone (half an hour off every region's).
        _set_preferences(d, ctx, "en", "Asia/Kolkata", True)
        saved = flash(d, "success")
        assert saved is not None and saved.text == en["preferences-saved"], f"after choosing English: {saved and saved.text!r}"
        check_page(d, "en")
        assert d.find_element(By.CSS_SELECTOR, "main h1").text == en["preferences-title"]
        assert d.find_element(By.CSS_SELECTOR, "#language option:checked").get_attribute("value") == "en"
        assert d.find_element(By.ID, "timeZone").get_attribute("value") == "Asia/Kolkata"
        d.get(list_url(ctx))
        vb.wait_for(d, "#case-results")
        check_page(d, "en")
        assert d.find_element(By.CSS_SELECTOR, "main h1").text == texts("IncidentOps", "en")["cases-title"]
        d.get(ctx.url(f"{CASES}/{case['id']}"))
        vb.wait_for(d, "#case-facts")
        created = datetime.datetime.fromisoformat(case["createdAt"].replace("Z", "+00:00")).astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
        shown = _created_at(d)
        hhmm = f"{(created.hour % 12) or 12}:{created.minute:02d}"
        assert hhmm in shown, f"createdAt {case['createdAt']} shown as {shown!r}, not in Asia/Kolkata ({hhmm})"

        # A time zone that does not exist: refused by name, nothing saved.
        _set_preferences(d, ctx, "en", "Mars/Olympus_Mons", True)
        issue = d.find_elements(By.CSS_SELECTOR, "#preferences-form .field-error[role=alert]")
        assert issue and "timeZone" in issue[0].text, "an unknown time zone was not refused by name"
        assert flash(d, "success") is None
        d.get(ctx.url(PREFERENCES))
        assert d.find_element(By.ID, "timeZone").get_attribute("value") == "Asia/Kolkata", "a refused time zone replaced the saved one"

        # Shortcuts off (WCAG 2.1.4): single keys do nothing.
        _set_preferences(d, ctx, "en", "Asia/Kolkata", False)
        d.get(list_url(ctx))
        vb.wait_for(d, "#case-results")
        assert d.find_element(By.TAG_NAME, "body").get_attribute("data-shortcuts") == "off"
        ActionChains(d).send_keys("?").perform()
        ActionChains(d).send_keys("/").perform()
        assert d.find_element(By.ID, "shortcut-help").get_attribute("hidden") is not None, "? opened the help with shortcuts off"
        assert d.switch_to.active_element.get_attribute("id") != "filter-q", "/ focused the search with shortcuts off"

        # Back to Portuguese.
        _set_preferences(d, ctx, "pt-BR", "", True)
        saved = flash(d, "success")
        assert saved is not None and saved.text == pt["preferences-saved"]
        check_page(d, "pt-BR")
        assert d.find_element(By.CSS_SELECTOR, "main h1").text == pt["preferences-title"]
        assert d.find_element(By.ID, "timeZone").get_attribute("value") == ""
    finally:
        try:
            _set_preferences(d, ctx, "", "", True)
        except Exception as e:  # keep the test's own failure
            print(f"    (could not put the admin's preferences back: {e})")


def _active(d) -> str:
    el = d.switch_to.active_element
    return el.get_attribute("id") or el.get_attribute("href") or el.tag_name


def _key(d, key: str) -> None:
    ActionChains(d).send_keys(key).perform()


def test_keyboard_shortcuts(ctx):
    tag = uniq("atalhos")
    for n in range(3):
        api_case(ctx, f"{tag} {n}")
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    d.get(list_url(ctx, q=word(tag)))
    ids = listed_ids(d)
    assert len(ids) == 3, f"the list shows {ids}"
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#cases a[data-row-link]")]
    assert d.find_element(By.TAG_NAME, "body").get_attribute("data-shortcuts") == "on"
    help_box = d.find_element(By.ID, "shortcut-help")

    # ? opens the help, focus inside it; Escape closes it.
    assert not help_box.is_displayed()
    _key(d, "?")
    assert help_box.is_displayed(), "? did not open the shortcut help"
    assert d.switch_to.active_element.get_attribute("data-close-dialog") is not None, "the help did not take the focus"
    vb.axe_check(d, "shortcut-help")
    _key(d, Keys.ESCAPE)
    assert not help_box.is_displayed(), "Escape did not close the help"
    _key(d, "?")
    d.switch_to.active_element.click()
    assert not help_box.is_displayed(), "the help's close button did not close it"

    # j / k move along the rows' links, stopping at the ends.
    d.execute_script("document.activeElement.blur()")
    seen = []
    for key in "jjjjkkkk":
        _key(d, key)
        seen.append(links.index(_active(d)) if _active(d) in links else _active(d))
    assert seen == [0, 1, 2, 2, 1, 0, 0, 0], f"j/k focus went {seen}"

    # / focuses the search; typed letters then go to the field, not to the shortcuts.
    _key(d, "/")
    assert _active(d) == "filter-q", f"/ focused {_active(d)!r}"
    d.switch_to.active_element.send_keys(Keys.END, "j?")
    assert _active(d) == "filter-q" and not help_box.is_displayed(), "keys typed in the search field ran shortcuts"
    assert d.find_element(By.ID, "filter-q").get_attribute("value").endswith("j?")

    # Enter opens the focused row; on the case page a, e, n go to the assign, move and note forms.
    d.execute_script("document.activeElement.blur()")
    _key(d, "j")
    _key(d, "j")
    navigate(d, lambda: _key(d, Keys.ENTER))
    assert ctx.url(path_of(d)) == links[1], f"Enter on the second row opened {d.current_url}"
    vb.wait_for(d, "#case-status")
    for key, target in (("a", "assignee"), ("e", "to"), ("n", "note-text")):
        d.execute_script("document.activeElement.blur()")
        _key(d, key)
        assert _active(d) == target, f"{key} focused {_active(d)!r}, not #{target}"
    assert d.find_element(By.ID, "note-text").get_attribute("value") == "", "the shortcut key was typed into the note"


def test_no_javascript_still_works(ctx):
    """With the page's scripts off (CDP Emulation.setScriptExecutionDisabled on the shared
    browser: the harness has no option for it; WebDriver's own scripts still run) the console
    still signs in, opens a case, adds a note and moves it."""
    d = ctx.driver()
    d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        sign_in(d, ctx, "coordinator")
        d.get(list_url(ctx))
        vb.wait_for(d, "#case-results")
        assert d.find_element(By.ID, "live-status").get_attribute("hidden") is not None, "the page's scripts ran (live indicator shown)"
        text = uniq("Sem JavaScript")
        case_id = open_case_form(d, ctx, text, region="MX-CMX", severity="S4", category="lost-item")
        assert flash(d, "success") is not None, "no success flash after opening a case without JavaScript"
        assert text_content(d, "#case-description") == text
        note = uniq("nota sem JavaScript")
        d.find_element(By.ID, "note-text").send_keys(note)
        submit(d, d.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]"))
        assert flash(d, "success") is not None and note in d.find_element(By.ID, "timeline").text
        choose(d, "to", "in-progress")
        submit(d, d.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]"))
        assert case_status(d) == "in-progress" and api_case_get(ctx, case_id)["status"] == "in-progress"
        d.get(list_url(ctx, q=word(text)))
        assert listed_ids(d) == [case_id]
        assert error_status(d) is None
        check_page(d)
        submit(d, d.find_element(By.CSS_SELECTOR, "#logout-form button[type=submit]"))
        assert path_of(d) == "/console/login"
    finally:
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_live_updates(ctx):
    """An open case page follows changes made elsewhere (live.js over /console/live) without a
    reload, leaving what is being typed alone."""
    case = api_case(ctx, uniq("Ao vivo"))
    d = ctx.driver()
    sign_in(d, ctx, "coordinator")
    d.get(ctx.url(f"{CASES}/{case['id']}"))
    vb.wait_for(d, "#case-status")
    WebDriverWait(d, 5).until(lambda drv: drv.find_element(By.ID, "live-status").get_attribute("data-state") == "on",
                              "the live indicator does not say live")
    d.execute_script("window.__vxSamePage = true")
    draft = uniq("rascunho")
    d.find_element(By.ID, "note-text").send_keys(draft)

    ctx.api.post(f"/api/incident-ops/cases/{case['id']}/transitions", {"to": "triaged"}, headers={"If-Match": f'"{case["version"]}"'})
    WebDriverWait(d, 8, ignored_exceptions=(StaleElementReferenceException,)).until(lambda drv: case_status(drv) == "triaged", "a move made elsewhere did not show on the open page within 8 s")
    assert d.execute_script("return window.__vxSamePage === true"), "the page was reloaded, not updated in place"
    assert d.find_element(By.ID, "note-text").get_attribute("value") == draft, "the live update lost the note being typed"

    note = uniq("nota de outra pessoa")
    ctx.api.post(f"/api/incident-ops/cases/{case['id']}/notes", {"text": note})
    try:
        WebDriverWait(d, 8, ignored_exceptions=(StaleElementReferenceException,)).until(lambda drv: note in drv.find_element(By.ID, "timeline").text)
    except TimeoutException:
        raise AssertionError("a note added elsewhere did not show on the open case page's timeline within 8 s "
                             "(a move did: adding a note sends nothing to /console/live)") from None
    assert d.execute_script("return window.__vxSamePage === true")
