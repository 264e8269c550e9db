"""Browser checks of the Vigil console: Debian's chromium, headless, driven by Selenium.

A small library and a tiny runner, no pytest. A test module holds functions named test_*, each
taking a Context (`ctx`): ctx.driver() is a shared chromium (one per language, started on first
use and reused by the following tests), ctx.url(path), ctx.users, ctx.api. The runner runs the
tests in the order they are defined, prints PASS/FAIL with the traceback, goes on after a failure,
and saves a screenshot, the page source and the browser log of every driver the failed test used
into OUT/failures. After each test it also fails the test if the browser logged a Content
Security Policy violation that the test did not collect itself with csp_violations().

Everything runs offline: chromium and chromedriver are Debian's (/usr/bin), the driver path is
given so Selenium Manager never runs, and axe-core is the copy bundled by selenium-axe-python.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import time
import traceback
import urllib.error
import urllib.request
from typing import Any, Callable, Iterable

import selenium_axe_python
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from selenium_axe_python import Axe

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# axe-core 4.x; the 3.x of axe-selenium-python calls `new Function`, which the console's CSP forbids.
AXE_JS = os.path.join(os.path.dirname(selenium_axe_python.__file__), "axe-core", "axe.min.js")
# Spliced into `axe.run(...)` as JavaScript by selenium-axe-python: a JSON string, never a dict.
AXE_OPTIONS = json.dumps({"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
AXE_FAILING_IMPACTS = ("serious", "critical")
PHONE = {"width": 360, "height": 780, "deviceScaleFactor": 1, "mobile": True}

# Where screenshots, axe reports and failure artifacts go; set by the entry point (set_out).
OUT = os.path.abspath(os.environ.get("VIGIL_BROWSER_OUT", ".ci-output/console"))


def set_out(path: str) -> str:
    global OUT
    OUT = os.path.abspath(path)
    os.makedirs(OUT, exist_ok=True)
    return OUT


def _path(sub: str, name: str) -> str:
    d = os.path.join(OUT, sub)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name)


# ---------------------------------------------------------------------------------------------
# The browser


def make_driver(lang: str | None = None, width: int = 1280, height: int = 900) -> webdriver.Chrome:
    """A headless chromium. `lang` (e.g. "zh-CN") sets the UI language and Accept-Language.
    Widths under 500 px are clamped by headless chromium: use phone() for 360 px."""
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    o.add_argument("--headless=new")
    o.add_argument("--no-sandbox")  # chromium refuses to start as root without it
    o.add_argument("--disable-dev-shm-usage")  # /dev/shm is small in containers
    o.add_argument(f"--window-size={width},{height}")
    if lang:
        o.add_argument(f"--lang={lang}")
        o.add_experimental_option("prefs", {"intl.accept_languages": lang})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    os.makedirs(OUT, exist_ok=True)
    service = Service(executable_path=CHROMEDRIVER, log_output=os.path.join(OUT, "chromedriver.log"))
    return webdriver.Chrome(service=service, options=o)


def phone(driver) -> None:
    """Lays pages out at 360x780 as a phone (CDP device metrics; --window-size can't go under 500).
    A page without <meta name="viewport" content="width=device-width"> then lays out at 980 px."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)


def desktop(driver) -> None:
    """Back to the window's own size after phone()."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def screenshot(driver, name: str) -> str:
    """The viewport as OUT/screenshots/<name>.png; returns the path."""
    path = _path("screenshots", f"{name}.png")
    if not driver.save_screenshot(path):
        raise RuntimeError(f"screenshot {path} was not written")
    return path


def png_size(path: str) -> tuple[int, int]:
    """(width, height) of a PNG file, from its IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def wait_for(driver, css: str, timeout: float = 5, visible: bool = False):
    """The first element matching `css` once it is present (or visible); TimeoutException otherwise."""
    cond = EC.visibility_of_element_located if visible else EC.presence_of_element_located
    return WebDriverWait(driver, timeout).until(cond((By.CSS_SELECTOR, css)))


def browser_log(driver) -> list[dict]:
    """The browser console entries logged since the last call (reading them empties the log)."""
    return driver.get_log("browser")


def csp_violations(driver) -> list[dict]:
    """Browser-log entries about Content Security Policy since the last read of the log (which
    this empties: other entries read at the same time are dropped)."""
    return [e for e in browser_log(driver) if "Content Security Policy" in e.get("message", "")]


class AxeViolations(AssertionError):
    pass


def axe_check(driver, page_name: str, context: Any = None) -> dict:
    """Runs axe-core (WCAG 2.0/2.1 A and AA) on the current page, writes OUT/axe/<page_name>.json,
    and raises AxeViolations if any violation is serious or critical. `context` (a dict or a CSS
    selector string, as axe.run takes it) limits the run to part of the page."""
    axe = Axe(driver, script_url=AXE_JS)
    if not driver.execute_script("return typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        axe.inject()
    results = axe.run(context=None if context is None else json.dumps(context), options=AXE_OPTIONS)
    report = {
        "page": page_name,
        "url": results.get("url"),
        "axe": results.get("testEngine", {}).get("version"),
        "violations": results.get("violations", []),
        "incomplete": results.get("incomplete", []),
        "passes": [r["id"] for r in results.get("passes", [])],
    }
    with open(_path("axe", f"{page_name}.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
    bad = [v for v in results.get("violations", []) if v.get("impact") in AXE_FAILING_IMPACTS]
    if bad:
        lines = [f"axe: {len(bad)} serious or critical violation(s) on {page_name} ({results.get('url')}):"]
        for v in bad:
            targets = [", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]]
            more = f" (+{len(targets) - 3} more)" if len(targets) > 3 else ""
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} -> {'; '.join(targets[:3])}{more}")
        raise AxeViolations("\n".join(lines))
    return results


# ---------------------------------------------------------------------------------------------
# The JSON API, to create records for the pages to show


class ApiError(Exception):
    def __init__(self, method: str, url: str, status: int, body: Any):
        super().__init__(f"{method} {url} -> {status}: {body}")
        self.status, self.body = status, body


class Response:
    def __init__(self, status: int, headers: dict, body: Any):
        self.status, self.headers, self.body = status, headers, body

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")


class Api:
    """JSON over urllib with a bearer token: get/post/patch return the decoded body and raise
    ApiError on a 4xx/5xx; request() returns a Response whatever the status."""

    def __init__(self, base: str, token: str | None):
        self.base, self.token = base.rstrip("/"), token

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None) -> Response:
        h = {"Accept": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, hdrs, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, raw = e.code, e.headers, e.read()
        text = raw.decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return Response(status, {k.lower(): v for k, v in hdrs.items()}, parsed)

    def _ok(self, method: str, path: str, body: Any = None, headers: dict | None = None) -> Any:
        r = self.request(method, path, body, headers)
        if r.status >= 400:
            raise ApiError(method, self.base + path, r.status, r.body)
        return r.body

    def get(self, path: str, headers: dict | None = None) -> Any:
        return self._ok("GET", path, None, headers)

    def post(self, path: str, body: Any = None, headers: dict | None = None) -> Any:
        return self._ok("POST", path, {} if body is None else body, headers)

    def patch(self, path: str, body: Any, version: int | str | None = None, headers: dict | None = None) -> Any:
        """`version`: the record's version, sent as If-Match (updates need it)."""
        h = dict(headers or {})
        if version is not None:
            h["If-Match"] = f'"{version}"'
        return self._ok("PATCH", path, body, h)


def api(base: str, token: str | None) -> Api:
    return Api(base, token)


# ---------------------------------------------------------------------------------------------
# The runner


class Context:
    """What a test gets: the server's base URL, the users and token, shared browsers."""

    def __init__(self, base: str, users: dict | None = None, token: str | None = None, drivers: dict | None = None):
        self.base = base.rstrip("/")
        self.users = users or {}
        self.token = token
        self.api = Api(self.base, token)
        self._drivers: dict[str | None, Any] = {} if drivers is None else drivers
        self.used: set[str | None] = set()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def driver(self, lang: str | None = None):
        """The shared chromium for `lang` (None: the default language), started on first use.
        The runner gives each test a clean one: no cookies, desktop size, empty log."""
        d = self._drivers.get(lang)
        if d is None:
            d = make_driver(lang=lang)
            self._drivers[lang] = d
        self.used.add(lang)
        return d

    def reset(self) -> None:
        for lang, d in list(self._drivers.items()):
            try:
                desktop(d)
                d.execute_cdp_cmd("Network.clearBrowserCookies", {})
                d.get("about:blank")
                browser_log(d)
            except WebDriverException:
                self._drop(lang)
        self.used = set()

    def _drop(self, lang) -> None:
        d = self._drivers.pop(lang, None)
        if d is not None:
            try:
                d.quit()
            except Exception:
                pass

    def close(self) -> None:
        for lang in list(self._drivers):
            self._drop(lang)


def tests_of(modules: Iterable) -> list[tuple[str, Callable]]:
    """The test_* functions of the modules, in the order they are defined."""
    found = []
    for m in modules:
        for name, f in vars(m).items():
            if name.startswith("test_") and callable(f):
                found.append((name, f))
    return found


def _save_failure(ctx: Context, name: str) -> list[str]:
    saved = []
    for lang in sorted(ctx.used, key=str):
        d = ctx._drivers.get(lang)
        if d is None:
            continue
        stem = name if lang is None else f"{name}.{lang}"
        try:
            p = _path("failures", f"{stem}.png")
            d.save_screenshot(p)
            saved.append(p)
            p = _path("failures", f"{stem}.html")
            with open(p, "w", encoding="utf-8") as f:
                f.write(f"<!-- {d.current_url} -->\n{d.page_source}")
            saved.append(p)
            p = _path("failures", f"{stem}.log")
            with open(p, "w", encoding="utf-8") as f:
                for e in browser_log(d):
                    f.write(f"{e.get('level')} {e.get('source', '')} {e.get('message')}\n")
            saved.append(p)
        except WebDriverException as e:  # the browser died: start a new one for the next test
            print(f"    (no artifacts from the {lang or 'default'} browser: {e.msg})")
            ctx._drop(lang)
    return saved


def run(modules: Iterable, ctx: Context, only: str | None = None, check_csp: bool = True) -> int:
    """Runs the tests; returns 0 if all passed, 1 if any failed, 2 if none matched. Does not close
    the browsers (ctx.close())."""
    tests = [(n, f) for n, f in tests_of(modules) if not only or only in n]
    if not tests:
        print(f"no tests{' matching ' + repr(only) if only else ''}")
        return 2
    failed = []
    t_all = time.monotonic()
    for name, f in tests:
        ctx.reset()
        t0 = time.monotonic()
        error = None
        try:
            f(ctx)
            if check_csp:
                leaks = []
                for lang in ctx.used:
                    d = ctx._drivers.get(lang)
                    leaks += [e["message"] for e in csp_violations(d)] if d is not None else []
                if leaks:
                    raise AssertionError("Content Security Policy violations in the browser log:\n  " + "\n  ".join(leaks))
        except Exception:
            error = traceback.format_exc()
        dt = time.monotonic() - t0
        if error is None:
            print(f"PASS {name} ({dt:.1f}s)")
        else:
            failed.append(name)
            print(f"FAIL {name} ({dt:.1f}s)")
            print("    " + error.rstrip().replace("\n", "\n    "))
            for p in _save_failure(ctx, name):
                print(f"    saved {p}")
        sys.stdout.flush()
    print(f"{len(tests) - len(failed)} passed, {len(failed)} failed in {time.monotonic() - t_all:.1f}s; output in {OUT}")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0
