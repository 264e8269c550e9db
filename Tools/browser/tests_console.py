"""The console's pages in the browser. Each test takes the runner's Context (vigil_browser.Context).

Conventions of the console these tests rely on: the sign-in form is form#login-form posting
`email` and `password` to /console/login, answered by a 303 to /console/; errors are shown in an
element with class "flash error" and role="alert"; the layout has nav#nav, main#main and a sign-out
form#logout-form; every state-changing form has a hidden input named "_csrf".
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

import vigil_browser as vb


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
