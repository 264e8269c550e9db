"""The admin's pages in the browser: people (adding one, changing their regions, an API token shown
once and revoked), the audit log (an entity's timeline, verifying the chain) and the system page;
and an analyst kept out of them. Registered by tests_console.py.
"""

from __future__ import annotations

import re
import urllib.parse

from selenium.webdriver.common.by import By

import vigil_browser as vb
from tests_console_fixtures import AUDIT, SYSTEM, USERS, axe_problems, hexword, shot, template_re
from tests_console_helpers import check_page, error_status, flash, path_of, sign_in, submit, texts

USER_PAGE = re.compile(re.escape(USERS) + r"/([0-9a-f-]{36})")


def _tick(d, element_id: str, on: bool) -> None:
    box = d.find_element(By.ID, element_id)
    if box.is_selected() != on:
        box.click()


def _me(ctx, secret: str) -> int:
    """The status GET /api/me answers with `secret` as the bearer token."""
    return vb.Api(ctx.base, secret).request("GET", "/api/me").status


def _token_row(d, name: str):
    rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#tokens tbody tr") if r.find_element(By.TAG_NAME, "td").text == name]
    return rows[0] if rows else None


def test_users_and_tokens(ctx):
    """The admin adds an analyst of BR-SP through the form, moves them to BR-RJ, issues them an API
    token (its secret shown once, working) and revokes it (no longer working)."""
    d = ctx.driver()
    sign_in(d, ctx, "admin")
    d.get(ctx.url(USERS))
    vb.wait_for(d, "#users")
    lang = check_page(d)
    platform = texts("VigilConsole", lang)
    assert d.find_element(By.CSS_SELECTOR, "main h1").text == platform["users-title"]
    listed = [a.text for a in d.find_elements(By.CSS_SELECTOR, "#users a[data-row-link]")]
    assert {u["email"] for u in ctx.users.values()} <= set(listed), f"the users page lists {listed}"
    current = [a.get_attribute("id") for a in d.find_elements(By.CSS_SELECTOR, '#nav a[aria-current="page"]')]
    assert current == ["nav-users"], f"on the users page the menu marks {current}"

    word = hexword()
    email, name = f"bruna.lima.{word}@vigil.local", "Bruna Lima"
    form = d.find_element(By.ID, "user-form")
    d.find_element(By.ID, "user-email").send_keys(email)
    d.find_element(By.ID, "user-name").send_keys(name)
    d.find_element(By.ID, "user-password").send_keys(f"console-user-pw-{word}")
    roles = [b.get_attribute("value") for b in form.find_elements(By.CSS_SELECTOR, "input[name=roles]")]
    assert "analyst" in roles, f"the user form offers the roles {roles}"
    _tick(d, "role-analyst", True)
    _tick(d, "all-regions", False)
    _tick(d, "region-BR-SP", True)
    submit(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    m = USER_PAGE.fullmatch(path_of(d))
    assert m, f"adding a user landed on {d.current_url} ({error_status(d)}; {[e.text for e in d.find_elements(By.CSS_SELECTOR, '.field-error, .flash')]})"
    user_id = m.group(1)
    ok = flash(d, "success")
    assert ok is not None and email in ok.text and template_re(platform["user-created-message"]).fullmatch(ok.text), f"after adding a user: {ok and ok.text!r}"
    assert email in d.find_element(By.CSS_SELECTOR, "main h1").text
    facts = d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=user-facts-title]").text
    assert name in facts and "BR-SP" in facts, f"the new user's facts: {facts!r}"
    assert d.find_element(By.ID, "role-analyst").is_selected(), "the access form does not show the analyst role ticked"
    assert d.find_element(By.ID, "region-BR-SP").is_selected() and not d.find_element(By.ID, "all-regions").is_selected()
    check_page(d)
    vb.axe_check(d, "user")

    # Another region: BR-RJ instead of BR-SP.
    _tick(d, "region-BR-SP", False)
    _tick(d, "region-BR-RJ", True)
    submit(d, d.find_element(By.CSS_SELECTOR, "#access-form button[type=submit]"))
    assert flash(d, "error") is None, f"changing the regions failed: {flash(d, 'error').text}"
    assert flash(d, "success") is not None and flash(d, "success").text == platform["user-access-saved"]
    regions = d.find_element(By.XPATH, "//section[@aria-labelledby='user-facts-title']//dd[2]").text
    assert regions == "BR-RJ", f"after choosing BR-RJ only the user's regions read {regions!r}"
    assert d.find_element(By.ID, "region-BR-RJ").is_selected() and not d.find_element(By.ID, "region-BR-SP").is_selected()
    assert d.find_element(By.ID, "role-analyst").is_selected(), "changing the regions lost the role"

    # A token: its secret once, working; not on the page again; revoked, refused.
    token_name = f"laptop {word}"
    d.find_element(By.ID, "token-name").send_keys(token_name)
    d.find_element(By.ID, "token-days").send_keys("7")
    submit(d, d.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]"))
    secret_el = d.find_elements(By.ID, "token-secret")
    assert secret_el, f"no #token-secret after creating a token ({error_status(d)}; {[e.text for e in d.find_elements(By.CSS_SELECTOR, '.field-error')]})"
    secret = secret_el[0].text.strip()
    assert secret.startswith("vgl_") and len(secret) > 20, f"the token's secret reads {secret!r}"
    assert d.find_element(By.ID, "issued-token").get_attribute("role") == "alert"
    assert _me(ctx, secret) == 200, "the new token is refused by GET /api/me"
    vb.axe_check(d, "user-token")
    d.get(ctx.url(f"{USERS}/{user_id}"))
    vb.wait_for(d, "#tokens")
    assert not d.find_elements(By.ID, "token-secret") and secret not in d.page_source, "the token's secret is shown again"
    row = _token_row(d, token_name)
    assert row is not None, f"the token {token_name!r} is not listed"
    assert platform["token-usable"] in row.text
    submit(d, row.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    revoked = flash(d, "success")
    assert revoked is not None and token_name in revoked.text, f"after revoking: {revoked and revoked.text!r}"
    row = _token_row(d, token_name)
    assert row is not None and platform["token-unusable"] in row.text and not row.find_elements(By.TAG_NAME, "form"), \
        f"the revoked token's row reads {row and row.text!r}"
    assert _me(ctx, secret) == 401, "the revoked token still works"
    check_page(d)

    d.get(ctx.url(USERS))
    vb.wait_for(d, "#users")
    assert email in [a.text for a in d.find_elements(By.CSS_SELECTOR, "#users a[data-row-link]")]
    vb.axe_check(d, "users")
    shot(d, "users-1280", doc="users")


def test_audit_and_system(ctx):
    """The audit log: an entity's link shows its timeline; verifying the chain says it holds. The
    system page lists the domains of the build."""
    d = ctx.driver()
    sign_in(d, ctx, "admin")
    d.get(ctx.url(AUDIT))
    vb.wait_for(d, "#verify-form")
    lang = check_page(d)
    platform = texts("VigilConsole", lang)
    assert d.find_element(By.CSS_SELECTOR, "main h1").text == platform["audit-title"]
    links = d.find_elements(By.CSS_SELECTOR, "#audit-records tbody td a")
    assert links, "the audit page lists no record (the earlier tests changed things)"
    entity = links[0].text
    href = links[0].get_attribute("href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query).get("entity") == [entity], f"the link of {entity} is {href}"
    vb.axe_check(d, "audit")

    submit(d, links[0])
    assert path_of(d) == AUDIT and d.find_element(By.ID, "audit-entity").get_attribute("value") == entity
    shown = {a.text for a in d.find_elements(By.CSS_SELECTOR, "#audit-records tbody td a")}
    assert shown == {entity}, f"the timeline of {entity} shows records of {shown}"
    check_page(d)

    submit(d, d.find_element(By.CSS_SELECTOR, "#verify-form button[type=submit]"))
    result = vb.wait_for(d, "#verification")
    assert "success" in result.get_attribute("class").split(), f"verifying the chain: {result.text!r}"
    assert template_re(platform["audit-intact"]).fullmatch(result.text.strip()), f"verifying the chain says {result.text!r}"
    counts = [int(n) for n in re.findall(r"\d+", result.text)]
    assert counts and counts[0] > 0, f"the verification checked no record: {result.text!r}"
    check_page(d)
    vb.axe_check(d, "audit-verified")
    shot(d, "audit-1280", doc="audit")

    d.get(ctx.url(SYSTEM))
    vb.wait_for(d, "#domain-list")
    check_page(d)
    assert d.find_element(By.CSS_SELECTOR, "main h1").text == platform["system-title"]
    domains = {li.get_attribute("data-domain"): li.text for li in d.find_elements(By.CSS_SELECTOR, "#domain-list li")}
    built = {domain["id"] for domain in ctx.api.get("/api/domains")}
    assert {"incident-ops", "it-service-desk"} <= set(domains) and set(domains) == built, \
        f"the system page lists the domains {sorted(domains)}; the build has {sorted(built)} (GET /api/domains)"
    assert all(text.strip() for text in domains.values())
    health = d.find_element(By.ID, "database-health").text
    assert re.search(r"\d+(\.\d+)? ms$", health), f"the database health reads {health!r}"
    vb.axe_check(d, "system")


def test_analyst_kept_out_of_admin_pages(ctx):
    """An analyst gets the 403 page for the users and system pages, no menu entries for them, and a
    user form posted anyway (with the analyst's own token) is refused."""
    d = ctx.driver()
    sign_in(d, ctx, "analyst")
    nav = {a.get_attribute("id") for a in d.find_elements(By.CSS_SELECTOR, "#nav a")}
    assert not nav & {"nav-users", "nav-system"}, f"the analyst's menu offers {sorted(nav & {'nav-users', 'nav-system'})}"
    problems = []
    for path in (USERS, SYSTEM):
        d.get(ctx.url(path))
        vb.wait_for(d, "main h1")
        if error_status(d) != "403":
            problems.append(f"the analyst's {path} shows {error_status(d)!r}, not the 403 page")
            continue
        lang = check_page(d)
        assert d.find_element(By.CSS_SELECTOR, "main h1").text == texts("VigilConsole", lang)["error-403"]
        assert "admin@vigil.local" not in d.page_source, f"the 403 page of {path} lists users"
    problems += axe_problems(d, "error-403")

    email = f"intruder.{hexword()}@vigil.local"
    status = d.execute_script("""
        const body = new URLSearchParams({_csrf: document.querySelector('#logout-form input[name=_csrf]').value,
                                          email: arguments[0], name: 'Intruder', roles: 'admin', allRegions: 'true'});
        return fetch('/console/users/new', {method: 'POST', body, credentials: 'same-origin', redirect: 'manual'}).then(r => r.status);
    """, email)
    assert status == 403, f"the analyst's post of a user form was answered {status}"
    admin = ctx.driver("pt-BR")  # the API has no list of users: the admin's page is it
    sign_in(admin, ctx, "admin")
    admin.get(ctx.url(USERS))
    vb.wait_for(admin, "#users")
    assert email not in admin.find_element(By.ID, "users").text, f"the analyst's post created the user {email}"
    assert not problems, "\n".join(problems)
