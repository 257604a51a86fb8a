"""Screenshots of the real report for the README: build the ai-compute report, open it in Chromium, capture sections.

    .venv/bin/python scripts/screenshots.py [--out docs/img] [--runs 1000] [--seed 7]

Needs Debian's Chromium (``apt-get install -y chromium``) and Playwright (``pip install playwright``; never
``playwright install``). Writes ``report-<section>.png`` files into ``--out``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from junkan.app.launch import find_chromium

SHOTS = {
    "headline": "#headline",
    "network-map": "#network",
    "flows": "#fig-sankey",
    "own-money": "#fig-own-money",
    "scorecard": "#fig-scorecard",
    "stress": "#fig-domino-chains",
}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="docs/img", type=Path)
    ap.add_argument("--runs", default=1000, type=int)
    ap.add_argument("--seed", default=7, type=int)
    args = ap.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    import junkan
    from junkan.report import build_report

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        build_report(junkan.load("ai-compute"), seed=args.seed, runs=args.runs).write(page_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("#fig-network-map .main-svg")
            page.add_style_tag(content="nav.toc { position: static !important; }")  # no sticky bar over the shots
            page.wait_for_timeout(800)
            for name, selector in SHOTS.items():
                target = args.out / f"report-{name}.png"
                page.locator(selector).screenshot(path=str(target))
                print(target)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
