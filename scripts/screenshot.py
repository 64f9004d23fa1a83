"""Sign in as a demo user and save full-page screenshots of pages of a running server.

    .venv/bin/python scripts/screenshot.py --user member --out /tmp/shots / /contract/ /periods/

Uses Debian's Chromium (`make browser-tools`), never a downloaded browser.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="member")
    parser.add_argument("--password", default="nct-demo-2024")
    parser.add_argument("--out", default="/tmp/nct-screenshots")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto(f"{args.base}/login/")
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            name = re.sub(r"[^a-z0-9]+", "-", f"{args.user}{path}".lower()).strip("-")
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"{target}  {page.title()}")
        browser.close()


if __name__ == "__main__":
    main()
