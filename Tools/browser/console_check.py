"""The console in a real browser against a running `vigil serve` (Tools/ci/console-check.sh sets
it up): runs the test_* functions of the test modules below, in order.

    .venv/bin/python Tools/browser/console_check.py --base http://127.0.0.1:PORT --out DIR [-k NAME]

Environment: VIGIL_CONSOLE_USERS, the path of a JSON file {"admin"|"coordinator"|"analyst":
{"email", "password", "roles", "regions", ...}}; VIGIL_API_TOKEN, an admin's API token for
creating records through the JSON API (ctx.api).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import vigil_browser as vb
import tests_console

MODULES = [tests_console]


def main() -> int:
    ap = argparse.ArgumentParser(description="Browser checks of the Vigil console")
    ap.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--out", required=True, help="directory for screenshots, axe reports and failures")
    ap.add_argument("-k", dest="only", help="only the tests whose name contains this")
    args = ap.parse_args()
    vb.set_out(args.out)
    users = {}
    if os.environ.get("VIGIL_CONSOLE_USERS"):
        with open(os.environ["VIGIL_CONSOLE_USERS"], encoding="utf-8") as f:
            users = json.load(f)
    ctx = vb.Context(args.base, users=users, token=os.environ.get("VIGIL_API_TOKEN"))
    try:
        return vb.run(MODULES, ctx, only=args.only)
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
