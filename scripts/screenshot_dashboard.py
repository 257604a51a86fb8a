"""Screenshot the real dashboard for the README: start ``junkan serve``, open it in Chromium, save PNGs.

Usage::

    .venv/bin/python scripts/screenshot_dashboard.py [--out docs/img] [--data ai-compute] [--width 1440]

Writes ``dashboard.png`` (the Network tab: the network map with its time slider), ``dashboard-party.png`` (one
party's own-money share and where its receipts come from) and ``dashboard-stress.png`` (the stress tab with a 60% GPU
price fall) into ``--out``. Needs Debian's Chromium
(``apt-get install -y chromium``) and ``pip install playwright`` (never ``playwright install``). Files are written
atomically.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from junkan.app.launch import CHROMIUM_ARGS, DashboardNotStarted, find_chromium, serve_dashboard
from junkan.fileio import write_with_atomic


def _idle(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"
        " && document.querySelectorAll('[data-testid=\"stMetric\"]').length > 0",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]  # let plotly finish drawing


def _save(page: object, target: Path) -> None:
    png = page.screenshot(type="png", full_page=False)  # type: ignore[attr-defined]
    write_with_atomic(target, lambda tmp: tmp.write_bytes(png))
    print(f"wrote {target} ({len(png) // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--data", default="ai-compute")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    try:
        with serve_dashboard(args.data) as served, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS))
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            page.set_default_timeout(60_000)
            page.goto(served.url)
            _idle(page)
            page.get_by_role("tab", name="Network", exact=True).click()
            _idle(page)
            page.get_by_role("tab", name="Network", exact=True).evaluate("el => el.scrollIntoView({block: 'start'})")
            page.mouse.wheel(0, -60)
            _idle(page)
            _save(page, args.out / "dashboard.png")
            page.get_by_role("tab", name="Parties", exact=True).click()
            _idle(page)
            panel = page.get_by_role("tabpanel").filter(visible=True).first
            panel.get_by_text("where its receipts come from").evaluate("el => el.scrollIntoView({block: 'start'})")
            _idle(page)
            _save(page, args.out / "dashboard-party.png")
            page.get_by_role("tab", name="Stress test", exact=True).click()
            _idle(page)
            panel = page.get_by_role("tabpanel").filter(visible=True).first
            slider = panel.get_by_role("slider", name="GPU price fall (%)")
            slider.focus()
            for _ in range(12):
                slider.press("ArrowRight")
            page.wait_for_function(
                "() => document.body.innerText.includes('GPU prices -60% from 2026Q1')", timeout=60_000
            )
            _idle(page)
            page.set_viewport_size({"width": args.width, "height": args.height + 250})
            panel.get_by_test_id("stSlider").first.evaluate("el => el.scrollIntoView({block: 'start'})")
            _idle(page)
            _save(page, args.out / "dashboard-stress.png")
            browser.close()
    except DashboardNotStarted as exc:
        raise SystemExit(str(exc)) from None


if __name__ == "__main__":
    main()
