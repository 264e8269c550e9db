"""Helpers shared by the console tests (tests_console*.py): signing in, opening cases through the
form or the JSON API, reading flashes and the list, and the checks every page gets (its language,
no missing-translation marker). No tests here.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import uuid

from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import vigil_browser as vb

CASES = "/console/incident-ops/cases"
NEW_CASE = CASES + "/new"
PREFERENCES = "/console/preferences"
MISSING = "\u27e6"  # ⟦key⟧: a text no catalog has
CJK = re.compile(r"[\u4e00-\u9fff]")
ANALYST_REGION = "BR-SP"

_I18N = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Modules")


def texts(owner: str, lang: str) -> dict:
    """The texts a page of `owner` ("VigilConsole", the platform, or a domain such as "IncidentOps")
    has in `lang`: the domain's catalog over the platform's, as the console looks them up."""
    def load(module: str) -> dict:
        path = os.path.join(_I18N, module, "Resources", "i18n", f"{lang}.json")
        if not os.path.exists(path):
            return {}
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    found = load("VigilConsole")
    if owner != "VigilConsole":
        found.update(load(owner))
    return found


def uniq(label: str) -> str:
    """Text no earlier run on the same database used: `label` and a word of its own (search for
    that word with q=)."""
    return f"{label} vx{uuid.uuid4().hex[:12]}"


def word(text: str) -> str:
    """The unique word of a uniq() text."""
    return text.rsplit(" ", 1)[-1]


def path_of(d) -> str:
    return urllib.parse.urlsplit(d.current_url).path


def html_lang(d) -> str:
    return d.find_element(By.TAG_NAME, "html").get_attribute("lang")


def check_page(d, lang: str | None = None) -> str:
    """Every page: the expected html lang (when given), no missing-translation marker; returns the lang."""
    src = d.page_source
    assert MISSING not in src, f"{d.current_url}: a missing translation ({src[src.index(MISSING):][:60]!r})"
    got = html_lang(d)
    assert got in ("pt-BR", "en", "zh-CN"), f"{d.current_url}: html lang is {got!r}"
    if lang is not None:
        assert got == lang, f"{d.current_url}: html lang is {got!r}, expected {lang!r}"
    return got


def navigate(d, action) -> None:
    """Runs `action()` (a click, a key) and waits for the next page to load. The old page is
    recognised by a mark WebDriver leaves on its window object, so this works with the page's own
    scripts off too."""
    d.execute_script("window.__vxOld = true")
    action()

    def loaded(drv):
        try:
            return drv.execute_script("return !window.__vxOld && document.readyState === 'complete'")
        except WebDriverException:  # between the pages
            return False

    WebDriverWait(d, 10).until(loaded, f"no new page after an action on {d.current_url}")


def submit(d, element) -> None:
    """Clicks a submit button (or submits a form) and waits for the next page."""
    if element.tag_name == "form":
        navigate(d, lambda: d.execute_script("arguments[0].requestSubmit()", element))
    else:
        navigate(d, element.click)


def fill_sign_in(d, ctx, who: str, password: str | None = None) -> None:
    u = ctx.users[who]
    vb.wait_for(d, "form#login-form")
    d.find_element(By.ID, "email").clear()
    d.find_element(By.ID, "email").send_keys(u["email"])
    d.find_element(By.ID, "password").clear()
    d.find_element(By.ID, "password").send_keys(password if password is not None else u["password"])
    submit(d, d.find_element(By.ID, "login-submit"))


def sign_in(d, ctx, who: str, next_path: str | None = None) -> None:
    """Signs `who` in through the form; on return the console page (nav#nav) is shown."""
    q = "" if next_path is None else "?next=" + urllib.parse.quote(next_path, safe="")
    d.get(ctx.url("/console/login" + q))
    fill_sign_in(d, ctx, who)
    vb.wait_for(d, "nav#nav")


def session_cookie(d):
    return d.get_cookie("vigil_session")


def flash(d, kind: str):
    """The flash of `kind` ("success": role=status, "error": role=alert), or None."""
    role = "status" if kind == "success" else "alert"
    found = d.find_elements(By.CSS_SELECTOR, f".flash.{kind}[role={role}]")
    return found[0] if found else None


def error_status(d) -> str | None:
    """The status an error page shows (".error-page .status"), or None on another page."""
    found = d.find_elements(By.CSS_SELECTOR, ".error-page .status")
    return found[0].text.strip() if found else None


def choose(d, element_id: str, value: str) -> None:
    Select(d.find_element(By.ID, element_id)).select_by_value(value)


def fill_new_case(d, ctx, description: str, region: str = ANALYST_REGION, severity: str = "S3", category: str = "other",
                  business_line: str = "drivers", sensitive: bool = False, reporter: str | None = None) -> None:
    """On the new-case form (loading it if needed), fills the required fields."""
    if path_of(d) != NEW_CASE:
        d.get(ctx.url(NEW_CASE))
    vb.wait_for(d, "form#case-form")
    choose(d, "field-region", region)
    choose(d, "field-businessLine", business_line)
    choose(d, "field-category", category)
    choose(d, "field-severity", severity)
    area = d.find_element(By.ID, "field-description")
    area.clear()
    # send_keys cannot type every character (a lone combining mark, astral ones): set the value.
    d.execute_script("arguments[0].value = arguments[1]", area, description)
    if reporter is not None:
        d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "field-reporterName"), reporter)
    box = d.find_element(By.ID, "field-sensitive")
    if box.is_selected() != sensitive:
        box.click()


def open_case_form(d, ctx, description: str, **fields) -> str:
    """Opens a case through the new-case form; returns its id (from the case page's URL)."""
    fill_new_case(d, ctx, description, **fields)
    submit(d, d.find_element(By.ID, "case-submit"))
    m = re.fullmatch(re.escape(CASES) + r"/([0-9a-f-]{36})", path_of(d))
    assert m, f"opening a case did not land on a case page but on {d.current_url} (status {error_status(d)})"
    return m.group(1)


def api_case(ctx, description: str, region: str = ANALYST_REGION, sensitive: bool = False, severity: str = "S3") -> dict:
    """A case opened by the admin through the JSON API."""
    return ctx.api.post("/api/incident-ops/cases", {
        "region": region, "businessLine": "clients", "category": "other", "severity": severity,
        "description": description, "sensitive": sensitive,
    })


def api_case_get(ctx, case_id: str) -> dict:
    return ctx.api.get(f"/api/incident-ops/cases/{case_id}")


def api_timeline(ctx, case_id: str) -> list:
    return ctx.api.get(f"/api/incident-ops/cases/{case_id}/timeline?limit=200")["items"]


def api_cases_matching(ctx, q: str) -> list:
    """Every case (open or not) whose text matches `q`, as the admin sees them."""
    return ctx.api.get("/api/incident-ops/cases?limit=100&q=" + urllib.parse.quote(q))["items"]


def ensure_analyst_profile(ctx) -> None:
    """The analyst user is a person with the analyst role; to be offered for assignment in their
    region they also need an analyst profile (PUT /api/incident-ops/analysts), which the fresh
    database of console-check.sh does not have."""
    r = ctx.api.request("PUT", "/api/incident-ops/analysts", {
        "email": ctx.users["analyst"]["email"], "region": ANALYST_REGION, "skills": [], "languages": ["pt-BR", "en"], "capacity": 50,
    })
    assert r.status < 300, f"PUT /api/incident-ops/analysts -> {r.status}: {r.body}"


def list_url(ctx, **query) -> str:
    q = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
    return ctx.url(CASES + ("?" + q if q else ""))


def listed_ids(d) -> list[str]:
    """The case ids of the rows of the list page shown (none: an empty list)."""
    vb.wait_for(d, "#case-results")
    return [r.get_attribute("data-case-id") for r in d.find_elements(By.CSS_SELECTOR, "#cases tr[data-row]")]


def case_status(d) -> str:
    return vb.wait_for(d, "#case-status").get_attribute("data-status")


def text_content(d, css: str) -> str:
    return d.execute_script("return document.querySelector(arguments[0]).textContent", css)


def exists(d, css: str) -> bool:
    try:
        d.find_element(By.CSS_SELECTOR, css)
        return True
    except NoSuchElementException:
        return False
