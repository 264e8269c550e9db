"""Checks the browser harness itself, without Vigil: a static site on loopback served with the
console's strict Content-Security-Policy, and the things the console checks rely on:
chromium starts headless, axe-core 4.x runs under that CSP and finds violations, phone() really
lays out at 360 px, screenshots are written, an inline <script> is reported by csp_violations(),
--lang reaches Accept-Language, and the runner reports failures (and CSP leaks) with artifacts.

    .venv/bin/python Tools/browser/selftest.py [--out DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import vigil_browser as vb

CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/site.css">'


def page(title: str, body: str, head: str = HEAD, lang: str = "en") -> bytes:
    return f'<!doctype html><html lang="{lang}"><head>{head}<title>{title}</title></head><body>{body}</body></html>'.encode()


GOOD = page(
    "Good",
    '<header><nav id="nav" aria-label="Main"><a href="/good.html">Home</a></nav></header>'
    '<main id="main"><h1>Sign in</h1><form id="login-form" method="post" action="/good.html">'
    '<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">'
    '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">'
    '<button type="submit">Sign in</button></form><p id="width"></p></main>',
)
BROKEN = page(
    "Broken",
    '<main><h1>Broken</h1><img src="/pixel.png"><form><input name="q" type="text"></form></main>',
)
NO_VIEWPORT = page("No viewport", "<main><h1>No viewport meta</h1></main>", head='<meta charset="utf-8">')
INLINE = page(
    "Inline",
    "<main><h1>Inline script</h1><script>document.title = 'inline ran';</script></main>",
)
TALL = page("Tall", "<main><h1>Tall</h1>" + "".join(f"<p>Line {i}</p>" for i in range(200)) + "</main>")
ZH = page("中文", "<main><h1>事件台</h1><p>安全与运营团队的案件、巡检与培训。</p></main>", lang="zh-CN")
CSS = b"body{font-family:sans-serif;margin:1rem}label,input,button{display:block;margin:.25rem 0}"
# 1x1 transparent PNG
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)

PAGES = {
    "/good.html": ("text/html; charset=utf-8", GOOD),
    "/broken.html": ("text/html; charset=utf-8", BROKEN),
    "/noviewport.html": ("text/html; charset=utf-8", NO_VIEWPORT),
    "/inline.html": ("text/html; charset=utf-8", INLINE),
    "/tall.html": ("text/html; charset=utf-8", TALL),
    "/zh.html": ("text/html; charset=utf-8", ZH),
    "/site.css": ("text/css; charset=utf-8", CSS),
    "/pixel.png": ("image/png", PIXEL),
}
SEEN_ACCEPT_LANGUAGE: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path.endswith(".html"):
            SEEN_ACCEPT_LANGUAGE.append(self.headers.get("Accept-Language", ""))
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        found = PAGES.get(self.path)
        if found is None:
            self.send_error(404)
            return
        ctype, body = found
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


# ---------------------------------------------------------------------------------------------


def test_chromium_starts_headless(ctx):
    d = ctx.driver()
    caps = d.capabilities
    ua = d.execute_script("return navigator.userAgent")
    print(f"    chromium {caps['browserVersion']}, chromedriver {caps['chrome']['chromedriverVersion'].split()[0]}, uid {os.getuid()}")
    print(f"    user agent: {ua}")
    d.get(ctx.url("/good.html"))
    assert d.title == "Good", d.title
    assert d.execute_script("return navigator.webdriver") is True
    # The stylesheet loaded under style-src 'self' (block layout of the labels comes from it).
    display = d.execute_script("return getComputedStyle(document.querySelector('label')).display")
    assert display == "block", f"site.css not applied: label display {display}"
    assert not vb.csp_violations(d)


def test_axe_runs_under_strict_csp(ctx):
    d = ctx.driver()
    d.get(ctx.url("/good.html"))
    results = vb.axe_check(d, "selftest-good")  # raises on serious/critical violations, or EvalError under CSP
    print(f"    axe {results['testEngine']['version']} from {vb.AXE_JS}")
    print(f"    good page: {len(results['violations'])} violations, {len(results['passes'])} rules passed")
    assert results["testEngine"]["version"].startswith("4."), results["testEngine"]
    assert os.path.exists(os.path.join(vb.OUT, "axe", "selftest-good.json"))
    assert not vb.csp_violations(d), "running axe caused a CSP violation"


def test_axe_reports_broken_page(ctx):
    d = ctx.driver()
    d.get(ctx.url("/broken.html"))
    try:
        vb.axe_check(d, "selftest-broken")
    except vb.AxeViolations as e:
        msg = str(e)
    else:
        raise AssertionError("axe found nothing serious on a page with an <img> without alt and an input without label")
    print("    " + msg.replace("\n", "\n    "))
    for rule in ("image-alt", "label"):
        assert rule in msg, f"{rule} not reported"
    assert "img" in msg and "input" in msg, "targets missing from the message"
    import json

    with open(os.path.join(vb.OUT, "axe", "selftest-broken.json"), encoding="utf-8") as f:
        report = json.load(f)
    impacts = {v["id"]: v["impact"] for v in report["violations"]}
    print(f"    impacts: {impacts}")
    assert impacts.get("image-alt") in vb.AXE_FAILING_IMPACTS and impacts.get("label") in vb.AXE_FAILING_IMPACTS


def test_phone_is_360_px(ctx):
    d = ctx.driver()
    d.get(ctx.url("/good.html"))
    assert d.execute_script("return window.innerWidth") == 1280
    p = vb.screenshot(d, "selftest-good-1280")
    w, h = vb.png_size(p)
    print(f"    1280 screenshot: {w}x{h}")
    assert w == 1280, (w, h)
    vb.phone(d)
    # Takes effect on the loaded page (media queries re-evaluate), no reload needed.
    inner = d.execute_script("return [window.innerWidth, window.innerHeight, document.documentElement.clientWidth, matchMedia('(max-width: 400px)').matches]")
    print(f"    after phone() on the loaded page: innerWidth, innerHeight, clientWidth, (max-width:400px) = {inner}")
    assert inner[0] == 360 and inner[2] == 360 and inner[3] is True, inner
    d.get(ctx.url("/good.html"))
    assert d.execute_script("return window.innerWidth") == 360
    p = vb.screenshot(d, "selftest-good-360")
    w, h = vb.png_size(p)
    print(f"    360 screenshot: {w}x{h}")
    assert (w, h) == (360, 780), (w, h)
    d.get(ctx.url("/noviewport.html"))
    nv = d.execute_script("return [window.innerWidth, document.documentElement.clientWidth]")
    print(f"    phone() on a page without a viewport meta: innerWidth, clientWidth = {nv} (lays out as a desktop page)")
    vb.desktop(d)
    d.get(ctx.url("/good.html"))
    assert d.execute_script("return window.innerWidth") == 1280
    d.set_window_size(360, 780)
    clamped = d.execute_script("return window.innerWidth")
    print(f"    set_window_size(360, 780) instead gives innerWidth {clamped}")
    d.set_window_size(1280, 900)


def test_inline_script_is_a_csp_violation(ctx):
    d = ctx.driver()
    d.get(ctx.url("/inline.html"))
    vb.wait_for(d, "h1")
    assert d.title == "Inline", "the inline script ran despite script-src 'self'"
    found = vb.csp_violations(d)
    for e in found:
        print(f"    log entry: {e}")
    assert found, "no CSP entry in the browser log"
    assert "script-src" in found[0]["message"]


def test_lang_zh_cn(ctx):
    d = ctx.driver("zh-CN")
    SEEN_ACCEPT_LANGUAGE.clear()
    d.get(ctx.url("/zh.html"))
    nav = d.execute_script("return [navigator.language, navigator.languages]")
    print(f"    Accept-Language {SEEN_ACCEPT_LANGUAGE[-1]!r}, navigator {nav}")
    assert SEEN_ACCEPT_LANGUAGE[-1].startswith("zh-CN"), SEEN_ACCEPT_LANGUAGE
    vb.screenshot(d, "selftest-zh-CN")
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.split("\n")
        fonts = sorted({f.strip() for f in fonts if f.strip()})
        print(f"    CJK fonts: {fonts[:3]}{' …' if len(fonts) > 3 else ''}")
        assert fonts, "no font covers Chinese: apt-get install fonts-noto-cjk"


def test_runner_reports_failures(ctx):
    """A nested run with one failing test, one test that leaks a CSP violation and one passing
    test: exit 1, both failures listed, artifacts saved."""

    def test_fails(c):
        c.driver().get(c.url("/good.html"))
        assert False, "deliberate"

    def test_leaks_inline_script(c):
        c.driver().get(c.url("/inline.html"))

    def test_passes(c):
        c.driver().get(c.url("/good.html"))

    mod = types.ModuleType("fake")
    mod.test_fails, mod.test_leaks_inline_script, mod.test_passes = test_fails, test_leaks_inline_script, test_passes
    outer = vb.OUT
    inner_out = vb.set_out(os.path.join(outer, "runner-check"))
    try:
        nested = vb.Context(ctx.base, drivers=ctx._drivers)  # same browsers
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = vb.run([mod], nested)
        nested.reset()
    finally:
        vb.set_out(outer)
    text = buf.getvalue()
    assert code == 1, code
    assert "FAIL test_fails" in text and "deliberate" in text, text
    assert "FAIL test_leaks_inline_script" in text and "Content Security Policy" in text, text
    assert "PASS test_passes" in text, text
    for f in ("test_fails.png", "test_fails.html", "test_leaks_inline_script.png"):
        assert os.path.exists(os.path.join(inner_out, "failures", f)), f
    with contextlib.redirect_stdout(io.StringIO()):
        assert vb.run([mod], nested, only="nothing-matches") == 2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.environ.get("VIGIL_CI_OUTPUT", ".ci-output"), "console", "selftest"))
    args = ap.parse_args()
    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    vb.set_out(out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ctx = vb.Context(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        return vb.run([sys.modules[__name__]], ctx)
    finally:
        ctx.close()
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
