"""The console's pages in the browser. Each test takes the runner's Context (vigil_browser.Context).

Conventions of the console these tests rely on: the sign-in form is form#login-form posting
`email` and `password` to /console/login, answered by a 303 to /console/; errors are shown in an
element with class "flash error" and role="alert"; the layout has nav#nav, main#main and a sign-out
form#logout-form; every state-changing form has a hidden input named "_csrf".

console_check.py runs the test_* functions of this module only: the tests kept in the other
tests_console_*.py files are imported at the end of this one, which registers them (in that order).
Shared helpers are in tests_console_helpers.py.
"""

from __future__ import annotations

import urllib.parse

from selenium.webdriver.common.by import By

import vigil_browser as vb
from tests_console_helpers import CASES, check_page, error_status, fill_sign_in, flash, path_of, session_cookie, sign_in, submit


def test_login_page_renders(ctx):
    d = ctx.driver()
    d.get(ctx.url("/console/login"))
    form = vb.wait_for(d, "form#login-form")
    assert form.find_elements(By.CSS_SELECTOR, 'input[name="email"]'), "no input named email in form#login-form"
    assert form.find_elements(By.CSS_SELECTOR, 'input[name="password"]'), "no input named password in form#login-form"
    vb.axe_check(d, "login")
    vb.screenshot(d, "login-1280")
    vb.phone(d)
    d.refresh()
    vb.wait_for(d, "form#login-form")
    assert d.execute_script("return window.innerWidth") == 360, "the login page does not lay out at 360 px (viewport meta?)"
    width = d.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360, f"the login page scrolls sideways at 360 px (content {width} px wide)"
    vb.screenshot(d, "login-360")


def _signed_out(d, ctx) -> None:
    """Asserts the browser has no session: /console sends it to the sign-in page."""
    d.get(ctx.url("/console"))
    vb.wait_for(d, "form#login-form")
    assert path_of(d) == "/console/login", f"/console without a session went to {d.current_url}, not /console/login"


def test_sign_in_and_out(ctx):
    d = ctx.driver()
    host = urllib.parse.urlsplit(ctx.base).netloc
    wanted = CASES + "?status=all"

    # A wrong password: the error flash, the form again, no session. (One wrong password per run:
    # the sign-in throttle counts them per address too, and a success does not clear that count.)
    d.get(ctx.url("/console/login?next=" + urllib.parse.quote(wanted, safe="")))
    check_page(d)
    fill_sign_in(d, ctx, "analyst", password="not-the-password-1")
    alert = flash(d, "error")
    assert alert is not None and alert.text.strip(), "a wrong password shows no error flash (.flash.error[role=alert])"
    assert d.find_elements(By.CSS_SELECTOR, "form#login-form"), "after a wrong password the sign-in form is not shown again"
    assert not d.find_elements(By.CSS_SELECTOR, "nav#nav"), "a wrong password shows the console's navigation"
    assert session_cookie(d) is None, "a wrong password set a session cookie"
    check_page(d)

    # The right one, on the same form: the console with its navigation, at the page asked for.
    fill_sign_in(d, ctx, "analyst")
    vb.wait_for(d, "nav#nav")
    assert (path_of(d), urllib.parse.urlsplit(d.current_url).query) == (CASES, "status=all"), \
        f"after a wrong then a right password, ?next={wanted} landed on {d.current_url}"
    assert flash(d, "error") is None, f"an error flash after a good sign-in: {flash(d, 'error').text}"
    assert ctx.users["analyst"]["name"] in d.find_element(By.CSS_SELECTOR, ".who .user-name").text
    check_page(d)
    d.get(ctx.url("/console/login"))  # signed in already: the sign-in page sends to the console
    vb.wait_for(d, "nav#nav")
    assert path_of(d).startswith("/console/"), d.current_url
    old_session = session_cookie(d)
    assert old_session is not None, "no vigil_session cookie after signing in"
    assert old_session.get("httpOnly") is True, f"the session cookie is readable by scripts: {old_session}"
    assert old_session.get("sameSite") in ("Strict", "Lax"), f"the session cookie has no SameSite: {old_session}"

    # Sign out: the form posts, the session ends, the console asks for a sign-in again.
    form = d.find_element(By.ID, "logout-form")
    assert form.get_attribute("method").lower() == "post"
    submit(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert path_of(d) == "/console/login", f"signing out landed on {d.current_url}"
    _signed_out(d, ctx)
    # The old session's cookie, put back, no longer signs anyone in (the session ended on the server).
    d.add_cookie({"name": "vigil_session", "value": old_session["value"], "path": old_session.get("path", "/")})
    _signed_out(d, ctx)
    d.delete_all_cookies()

    # A sign-in form whose token does not match its cookie (as from another site): refused, renewed.
    d.get(ctx.url("/console/login"))
    vb.wait_for(d, "form#login-form")
    d.execute_script("document.querySelector('#login-form input[name=_csrf]').value = 'forged'")
    fill_sign_in(d, ctx, "analyst")
    assert flash(d, "error") is not None, "a sign-in with a forged _csrf shows no error flash"
    assert session_cookie(d) is None, "a sign-in with a forged _csrf was let in"
    check_page(d)
    d.delete_all_cookies()

    # A page asked for while signed out comes back after the sign-in.
    d.get(ctx.url(CASES))
    vb.wait_for(d, "form#login-form")
    assert path_of(d) == "/console/login", f"a console page without a session went to {d.current_url}"
    fill_sign_in(d, ctx, "analyst")
    vb.wait_for(d, "nav#nav")
    assert path_of(d) == CASES, f"after sign-in from {CASES} landed on {d.current_url}"
    d.delete_all_cookies()

    # ?next= on the sign-in page; never off the site, nor out of the console.
    sign_in(d, ctx, "analyst", next_path=CASES)
    assert path_of(d) == CASES, f"?next={CASES} landed on {d.current_url}"
    assert error_status(d) is None
    d.delete_all_cookies()
    wrong = []
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)",
                 "/console/../../evil", "/console/%2e%2e/%2e%2e/evil"):
        d.get(ctx.url("/console/login?next=" + urllib.parse.quote(evil, safe="")))
        fill_sign_in(d, ctx, "analyst")
        got = urllib.parse.urlsplit(d.current_url)
        assert got.netloc == host, f"?next={evil} left the site for {d.current_url}"
        if not (got.path.startswith("/console/") and d.find_elements(By.CSS_SELECTOR, "nav#nav")):
            wrong.append(f"?next={evil} led out of the console, to {d.current_url}")
        d.delete_all_cookies()
    assert not wrong, "\n".join(wrong)


# The tests kept in the other files, registered here (console_check.py loads this module only).
from tests_console_cases import (  # noqa: E402
    test_open_case_assign_resolve,
    test_csrf_refused,
    test_xss_inert,
    test_analyst_no_sensitive,
    test_stale_form,
    test_double_submit,
)
from tests_console_ui import (  # noqa: E402
    test_zh_cn_pages,
    test_preferences,
    test_keyboard_shortcuts,
    test_no_javascript_still_works,
    test_live_updates,
)
from tests_console_desk import (  # noqa: E402
    test_dashboard_live,
    test_dashboard_wall_legible,
    test_dashboard_queue_names_translated,
    test_it_ticket_flow,
    test_it_ticket_deadlines_in_region_time,
    test_it_asset_flow,
    test_it_asset_history_details,
)
from tests_console_admin import (  # noqa: E402
    test_users_and_tokens,
    test_audit_and_system,
    test_analyst_kept_out_of_admin_pages,
)
from tests_console_pages import (  # noqa: E402  (last: the pages show what the other tests left)
    test_unknown_console_path_404,
    test_every_page_axe_and_phone,
)
