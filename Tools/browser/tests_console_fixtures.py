"""Helpers for the dashboard, IT desk, admin and every-page tests (tests_console_desk.py,
tests_console_admin.py, tests_console_pages.py): the IT desk's records made through the admin API
once per run, screenshots that can also go to the documentation, the 360 px check and axe
collected instead of raised. No tests here.

VIGIL_DOC_SCREENSHOTS=1 makes doc_shot() also write docs/console/<name>.png (the pictures of
docs/CONSOLE.md), at the viewport it was taken with (1280, 1920 or 360 px wide).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid

import vigil_browser as vb

IT = "/console/it-service-desk"
TICKETS = IT + "/tickets"
NEW_TICKET = TICKETS + "/new"
ASSETS = IT + "/assets"
DASHBOARD = "/console/incident-ops"
USERS = "/console/users"
AUDIT = "/console/audit"
SYSTEM = "/console/system"

DOCS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "console"))
DESKTOP = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
WALL = {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False}


def docs_wanted() -> bool:
    return os.environ.get("VIGIL_DOC_SCREENSHOTS", "") not in ("", "0")


def viewport(d, metrics: dict) -> None:
    """Lays the page out at exactly metrics' width x height (CDP device metrics, as vb.phone)."""
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def shot(d, name: str, doc: str | None = None) -> str:
    """vb.screenshot(d, name); with VIGIL_DOC_SCREENSHOTS=1 and a `doc` name also docs/console/<doc>.png."""
    path = vb.screenshot(d, name)
    if doc and docs_wanted():
        os.makedirs(DOCS, exist_ok=True)
        target = os.path.join(DOCS, f"{doc}.png")
        shutil.copyfile(path, target)
        w, h = vb.png_size(target)
        print(f"    docs/console/{doc}.png {w}x{h} {os.path.getsize(target) // 1024} KB")
    return path


def hexword(n: int = 6) -> str:
    return uuid.uuid4().hex[:n]


def template_re(text: str) -> re.Pattern:
    """A catalog text with {{placeholders}} as a regular expression (each placeholder: any text)."""
    parts = re.split(r"\{\{\s*[\w.-]+\s*\}\}", text)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


def normal(text: str) -> str:
    """Text with the no-break spaces ICU puts in money and dates made plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def sideways(d, page: str) -> list[str]:
    """[] if the page fits its 360 px viewport; else a message naming what sticks out."""
    width = d.execute_script("return document.documentElement.scrollWidth")
    if width <= 360:
        return []
    wide = d.execute_script("""
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > 361 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > 361)) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                         + ' in ' + ((el.parentElement && el.parentElement.closest('[id]')) || {}).id);
            }
        }
        return out.slice(0, 5);""")
    return [f"the {page} page scrolls sideways at 360 px (content {width} px wide; sticking out: {wide})"]


def axe_problems(d, page: str) -> list[str]:
    """vb.axe_check, its serious or critical violations returned as a message instead of raised."""
    try:
        vb.axe_check(d, page)
    except vb.AxeViolations as e:
        return [str(e)]
    return []


# ---------------------------------------------------------------------------------------------
# The IT desk's records, made through the admin's API once per run (per server): a site of its own
# (a fresh code, so a second run on the same database adds another), its cost center, a model
# (409 on a re-run: the one made before is used) and an asset.

MODEL = {"name": "ThinkPad T14", "manufacturer": "Lenovo", "category": "laptop", "expectedLifeMonths": 36, "unitCost": 500000, "currency": "BRL"}
ASSET_COST = 450000  # minor units: R$ 4.500,00
_IT: dict[str, dict] = {}


def _create(ctx, path: str, body: dict) -> dict | None:
    """POST through the admin's API; None when the record exists already (409)."""
    r = ctx.api.request("POST", path, body)
    if r.status == 409:
        return None
    assert r.status < 300, f"POST {path} -> {r.status}: {r.body}"
    return r.body


def it_desk(ctx) -> dict:
    """{"site", "siteName", "costCenter", "model", "asset"}: the run's site code, its cost center,
    the model's name and an asset's tag, all in BR-SP."""
    if ctx.base in _IT:
        return _IT[ctx.base]
    word = hexword().upper()
    site, site_name = f"SP-{word}", f"Head office {word}"
    _create(ctx, "/api/it-service-desk/sites", {
        "code": site, "name": site_name, "country": "BR", "region": "BR-SP", "timeZone": "America/Sao_Paulo", "currency": "BRL"})
    # Cost center codes are unique across sites: one of the run's own too.
    _create(ctx, f"/api/it-service-desk/sites/{site}/cost-centers", {"code": f"CC-{word}", "name": "IT"})
    _create(ctx, "/api/it-service-desk/asset-models", MODEL)
    found = _IT[ctx.base] = {"site": site, "siteName": site_name, "costCenter": f"CC-{word}", "model": MODEL["name"]}
    found["asset"] = new_asset(ctx, site)
    return found


def new_asset(ctx, site: str) -> str:
    """A new asset of the run's site (it_desk() first), in stock."""
    tag = f"AS-{hexword(8).upper()}"
    _create(ctx, "/api/it-service-desk/assets", {
        "tag": tag, "model": MODEL["name"], "site": site, "costCenter": _IT[ctx.base]["costCenter"], "purchaseDate": "2026-01-10",
        "cost": ASSET_COST, "currency": "BRL", "serial": f"PF-{hexword(8).upper()}", "location": "Floor 3, IT room"})
    return tag


def api_ticket(ctx, site: str, title: str, description: str, impact: int = 3, urgency: int = 3, category: str = "hardware") -> dict:
    return ctx.api.post("/api/it-service-desk/tickets", {
        "type": "incident", "category": category, "title": title, "description": description, "site": site,
        "impact": impact, "urgency": urgency})
