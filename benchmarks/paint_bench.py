"""First-paint benchmark: a new browser opening each page of the demo county, in a real Chromium.

    .venv/bin/python benchmarks/paint_bench.py [--repeat 3] [--db data/demo.duckdb]

Starts ``streamlit run app.py`` on a copy of the database (sign-in off), warms the server once,
then for every page opens a fresh browser context (no cache, no cookies: a new user) ``--repeat``
times and records, from navigation start, the frame in which **title** = the page's title and
**figures** = its first figure (a card, a chart, a table or a projector screen) is first drawn
(``PAINT_PROBE``). Prints the median of each.
Target: figures ≤ 2000 ms. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, as_of_query, start_app  # noqa: E402

PAGES = {
    "总览": "",
    "9865 项目落地": "landing",
    "产业集聚": "industry",
    "乡镇赛马": "race",
    "招商小分队": "squads",
    "项目库": "projects",
    "项目推进": "progress",
    "招商信息": "leads",
    "调度会投屏": "dispatch?mode=projector&screen=1",
}
TITLE = "h1, .pj-title"
FIGURES = "[class*='st-key-kpi-card-'], [data-testid='stPlotlyChart'] .main-svg, [data-testid='stDataFrame'] canvas, .pj-tile, .pj-table"
TARGET_MS = 2000.0


# In the page, from navigation start: the frame in which a visible element matching each selector is
# first drawn. A MutationObserver sees the element arrive; the requestAnimationFrame callback that
# follows runs in the next frame, just before it is painted. (Polling from outside, as
# wait_for_selector does, only looks when the page's main thread is free, which on a busy first load
# can be a second after the element was drawn.)
PAINT_PROBE = """
(() => {
  const wanted = {title: %s, figures: %s};
  window.__paint = {};
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const look = () => {
    for (const [name, selector] of Object.entries(wanted)) {
      if (name in window.__paint || window.__paint['_' + name]) continue;
      if ([...document.querySelectorAll(selector)].some(shown)) {
        window.__paint['_' + name] = true;
        requestAnimationFrame(() => { window.__paint[name] = performance.now(); });
      }
    }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""


def one_visit(browser: Browser, url: str) -> tuple[float, float]:
    """(ms to the title, ms to the first figure) drawn, from navigation start, for a fresh context
    (no cache, no cookies: a new user) opening ``url``."""
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(PAINT_PROBE % (json.dumps(TITLE), json.dumps(FIGURES)))
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__paint && 'title' in window.__paint && 'figures' in window.__paint",
                               timeout=120_000)  # fmt: skip
        marks = page.evaluate("window.__paint")
    finally:
        context.close()
    return marks["title"], marks["figures"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "demo.duckdb")
    parser.add_argument("--page", action="append", choices=list(PAGES), help="only these pages (repeatable)")
    args = parser.parse_args()
    pages = {name: path for name, path in PAGES.items() if not args.page or name in args.page}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "paint.duckdb"
        shutil.copyfile(args.db, copy)
        process, base = start_app(copy, {"DASHBOARD_AUTH": "off"})
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                sep = lambda path: "&" if "?" in path else "?"  # noqa: E731
                urls = {name: f"{base}/{path}{sep(path)}{as_of_query()}" for name, path in pages.items()}
                for url in urls.values():  # warm the server: the first run of each page script
                    one_visit(browser, url)
                print(f"{'page':<14}{'title ms':>10}{'figures ms':>12}  target ≤ {TARGET_MS:.0f} ms")
                slow = 0
                for name, url in urls.items():
                    runs = [one_visit(browser, url) for _ in range(args.repeat)]
                    title = statistics.median(r[0] for r in runs)
                    figures = statistics.median(r[1] for r in runs)
                    slow += figures > TARGET_MS
                    flag = "" if figures <= TARGET_MS else "  ← over target"
                    print(f"{name:<14}{title:>10.0f}{figures:>12.0f}{flag}")
                browser.close()
                print(
                    f"{len(urls) - slow}/{len(urls)} pages within {TARGET_MS:.0f} ms (median of {args.repeat})"
                )
        finally:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
