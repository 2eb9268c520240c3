"""Every page, run through app.py on a county whose names are hostile (``hostile_data``), renders
those names as text: no Markdown link, image, directive or bare URL in any Markdown element, no tag
from data in any ``st.html`` body, and none in any plotly chart.

A Markdown element may hold the names only escaped: ``md`` escapes every ``.``, so ``evil.example``
never appears as it is in Markdown, while an escaped name (``evil\\.example``) shows the data did
reach the page.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.data.store import open_database
from tests.demo_db import DEMO_TODAY
from tests.security.hostile_data import build_hostile_database
from ui.safe_text import md

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
DASHBOARD_PAGES = (
    "cockpit",
    "landing",
    "industry",
    "race",
    "squads",
    "projects",
    "leads",
    "bulletin",
    "whatif",
    "entry",
    "office",
)
DISPATCH_SCREENS = range(7)
# The payloads of hostile_data.HOSTILE as they would be live in Markdown.
LIVE_MARKDOWN = ("evil.example", "](", "![", ":red[", ":material/", "<img", "<script", "<a ")
ESCAPED = re.compile("\\\\[" + re.escape(string.punctuation) + "]")
LIVE_TAGS = ("<img", "<script", "<a ", "<a\n")


@dataclass(frozen=True)
class HostileCounty:
    path: Path
    project: str  # named 「[请点此重新登录](http://evil.example/login)…」, with a hostile note
    tag_unit_targets: list[tuple[str, str]]  # (unit, metric) of this year's targets of units named with a tag


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCounty]:
    path = build_hostile_database(tmp_path_factory.mktemp("hostile"))
    con = open_database(path)  # closed before the app opens the file
    try:
        project = con.execute(
            "SELECT project_id FROM projects WHERE starts_with(name, '[请点此重新登录]')"
            " AND note IS NOT NULL ORDER BY project_id LIMIT 1"
        ).fetchall()[0][0]
        tag_unit_targets = con.execute(
            "SELECT t.scope, t.metric FROM targets t JOIN units u ON u.unit_id = t.scope"
            " WHERE t.year = ? AND (u.name LIKE '<img%' OR u.name LIKE '<script%' OR u.name LIKE '<a %')"
            " ORDER BY t.scope, t.metric",
            [DEMO_TODAY.year],
        ).fetchall()
    finally:
        con.close()
    saved = {key: os.environ.get(key) for key in ("DASHBOARD_DB", "DASHBOARD_AUTH")}
    os.environ["DASHBOARD_DB"] = str(path)
    os.environ["DASHBOARD_AUTH"] = "off"
    yield HostileCounty(path, project, tag_unit_targets)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def run_page(page: str, **state: object) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["global_year"] = DEMO_TODAY.year
    at.session_state["global_as_of"] = DEMO_TODAY
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def markdown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer."""
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
    ):
        texts.extend(str(e.value) for e in getattr(at, kind))
    texts.extend(str(e.proto.body) for e in at.get("toast"))
    for metric in at.metric:
        texts.extend((metric.label, str(metric.value), str(metric.proto.delta), metric.help or ""))
    texts.extend(tab.label for tab in at.tabs)
    texts.extend(expander.label for expander in at.expander)
    for widgets in (at.selectbox, at.multiselect, at.radio, at.text_input, at.button, at.toggle):
        texts.extend(w.label for w in widgets)
        texts.extend(w.help or "" for w in widgets)
    for radio in at.radio:
        texts.extend(str(option) for option in radio.options)
    return texts


def html_texts(at: AppTest) -> list[str]:
    return [str(e.proto.body) for e in at.get("html")]


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def chart_texts(at: AppTest) -> list[str]:
    """Every string in the page's plotly figures, decoded (the JSON may write ``<`` as ``\\u003c``)."""
    return [text for e in at.get("plotly_chart") for text in _strings(json.loads(e.proto.spec))]


def live_part(markdown: str) -> str:
    """``markdown`` with every backslash-escaped punctuation character blanked out (it shows as
    text), so what is left is what the renderer may read as syntax."""
    return ESCAPED.sub("\N{MIDDLE DOT}", markdown)


def assert_inert(at: AppTest, where: str) -> None:
    for text in markdown_texts(at):
        for live in LIVE_MARKDOWN:
            assert live not in live_part(text), f"{where}: live {live!r} in Markdown {text!r}"
    for body in html_texts(at) + chart_texts(at):
        for tag in LIVE_TAGS:
            assert tag not in body.lower(), f"{where}: tag {tag!r} from data in {body[:300]!r}"


@pytest.mark.parametrize("page", DASHBOARD_PAGES)
def test_page_renders_hostile_names_as_text(hostile_db: HostileCounty, page: str) -> None:
    assert_inert(run_page(page), page)


@pytest.mark.parametrize("screen", DISPATCH_SCREENS)
def test_dispatch_screen_renders_hostile_names_as_text(hostile_db: HostileCounty, screen: int) -> None:
    at = run_page("dispatch", dispatch_screen=screen)
    assert_inert(at, f"dispatch screen {screen + 1}")


def test_project_record_shows_the_hostile_name_escaped(hostile_db: HostileCounty) -> None:
    at = run_page("projects", projects_pick=hostile_db.project)
    assert_inert(at, "projects record")
    # the record's title is the name, escaped: shown as 「[请点此重新登录](http://evil.example/login)…」
    assert at.subheader[-1].value.startswith(md("[请点此重新登录](http://evil.example/login)"))
    assert at.subheader[-1].value.startswith(r"\[请点此重新登录\]\(http\:")
    assert any(r"备注" in c.value and r"evil\.example" in c.value for c in at.caption)


def test_names_reach_the_markdown_of_race_bulletin_and_squads(hostile_db: HostileCounty) -> None:
    """The pages above do show data names in Markdown (so their check is not empty)."""
    race = run_page("race")
    assert any(r"evil\.example" in w.value for w in race.warning)  # 公开表态 units, after 6-30
    bulletin = run_page("bulletin")
    assert any(r"evil\.example" in m.value or "alert" in m.value for m in bulletin.metric)
    squads_page = run_page("squads", squads_squad="s01")
    titles = [m.value for m in squads_page.markdown if "**成员单位得分** · " in m.value]
    assert titles and live_part(titles[0]) != titles[0]  # the squad's name is there, escaped


def test_whatif_highlights_name_units_as_text(hostile_db: HostileCounty) -> None:
    """The units named with a tag get every target set to 1, so they complete their tasks and win
    awards: the 主要变化 box and the 奖项得失 lines (raw HTML) name them."""
    at = run_page("whatif")  # the first run sets the scenario up empty
    at.session_state["whatif_target_overrides"] = [
        {"year": DEMO_TODAY.year, "scope": scope, "metric": metric, "value": 1.0}
        for scope, metric in hostile_db.tag_unit_targets
    ]
    at.run()
    assert not at.exception, at.exception
    assert_inert(at, "whatif")
    changes = [body for body in html_texts(at) if "主要变化" in body]
    assert changes and "&lt;" in changes[0]  # a tag-named unit is there, escaped
