"""What every page shows, read as text: money names its unit once (no 「万元 万元」, a column headed
(万元) holds numbers, not 「… 万元」), shares are one-decimal percentages (HHI too, the same on every
page), and every chart's date axis is labelled in Chinese (2026年3月, never Jan 2026)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.format import percent
from analytics.core.labels import HHI_LABEL
from analytics.metrics import concentration
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGES = (
    "cockpit",
    "landing",
    "industry",
    "race",
    "squads",
    "projects",
    "progress",
    "leads",
    "dispatch",
    "bulletin",
    "whatif",
    "entry",
    "verify",
    "account",
    "office",
)
UNITS = ("万元", "亿元", "万美元")
DOUBLED = re.compile(r"(万元|亿元|万美元)\s*(万元|亿元|万美元)")
HEADER_UNIT = re.compile(r"[((](万元|亿元|万美元|个)[))]")
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _run(app_test: AppFactory, page: str, **state) -> AppTest:
    at = app_test(f"app_pages/{page}.py", **state)
    assert not at.exception, page
    return at


def _with_a_project(app_test: AppFactory, expected_con) -> AppTest:
    """The 项目库 with the project that has the most fund arrivals open (its funds chart drawn)."""
    (project_id,) = expected_con.execute(
        "SELECT project_id FROM fund_arrivals GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    at = _run(app_test, "projects")
    at.selectbox(key="projects_pick").set_value(project_id).run()
    assert not at.exception
    return at


def _screens(app_test: AppFactory) -> Iterator[AppTest]:
    for screen in range(12):
        yield _run(app_test, "dispatch", dispatch_screen=screen)


def _texts(at: AppTest) -> list[str]:
    """Everything shown as text: titles, markdown, html, cards, metrics, choices and table cells."""
    texts = [page_text(at)]
    for box in [*at.selectbox, *at.radio, *at.multiselect]:
        texts.extend([str(box.label), *(str(o) for o in box.options)])
    for frame in at.dataframe:
        value = frame.value
        data = value.data if hasattr(value, "data") else value  # a Styler shows its frame
        texts.extend(str(c) for c in data.columns)
        texts.extend(str(v) for v in data.astype(str).to_numpy().ravel())
    return texts


@pytest.fixture(scope="module")
def shown(request: pytest.FixtureRequest) -> dict[str, list[AppTest]]:
    """Every page once (the 项目库 with a project open, every projector screen), run once per module."""
    app_test = request.getfixturevalue("app_test")
    expected_con = request.getfixturevalue("expected_con")
    runs = {page: [_run(app_test, page)] for page in PAGES if page not in ("projects", "dispatch")}
    runs["projects"] = [_with_a_project(app_test, expected_con)]
    runs["dispatch"] = list(_screens(app_test))
    return runs


@pytest.fixture(scope="module")
def app_test(demo_db_path):  # module-scoped twin of conftest's, so pages run once for all tests
    from tests.pages.conftest import APP, DEMO_TODAY

    def make(page: str, **state) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["global_year"] = DEMO_TODAY.year
        at.session_state["global_as_of"] = DEMO_TODAY
        for key, value in state.items():
            at.session_state[key] = value
        at.switch_page(page)
        at.run()
        return at

    return make


def test_no_page_names_a_money_unit_twice(shown: dict[str, list[AppTest]]) -> None:
    doubled = {
        page: sorted({m.group(0) for at in runs for text in _texts(at) for m in DOUBLED.finditer(text)})
        for page, runs in shown.items()
    }
    assert not {page: found for page, found in doubled.items() if found}


def _table_columns(shown: dict[str, list[AppTest]]) -> Iterator[tuple[str, object, pd.Series]]:
    """(page, column header, its non-blank cells as text) of every table every page showed."""
    for page, runs in shown.items():
        for at in runs:
            for frame in at.dataframe:
                value = frame.value
                data = value.data if hasattr(value, "data") else value
                for column in data.columns:
                    yield page, column, data[column].dropna().astype(str)


def test_a_column_that_names_its_unit_holds_plain_numbers(shown: dict[str, list[AppTest]]) -> None:
    offending = []
    for page, column, cells in _table_columns(shown):
        if not HEADER_UNIT.search(str(column)):
            continue
        bad = cells[cells.str.contains("万元|亿元|万美元|个", regex=True)]
        if len(bad):
            offending.append((page, column, bad.iloc[0]))
    assert not offending


def test_money_columns_without_a_unit_in_the_header_keep_one_unit(shown: dict[str, list[AppTest]]) -> None:
    """A column of amounts written out with units (「8,000.00 万元」) uses one unit all the way down."""
    mixed = []
    for page, column, cells in _table_columns(shown):
        amounts = cells[cells.str.fullmatch(r"-?[\d,]+\.\d{2} (万元|亿元)")]
        if amounts.str.split(" ").str[1].nunique() > 1:
            mixed.append((page, column))
    assert not mixed


def test_hhi_reads_the_same_percent_on_the_industry_and_whatif_pages(
    shown: dict[str, list[AppTest]], expected_con, demo_period, demo_settings
) -> None:
    hhi = concentration.concentration(expected_con, demo_period, demo_settings)["hhi"]
    expected = percent(hhi)  # e.g. 20.4%: Σ share², a share like the others
    (industry,) = shown["industry"]
    assert cards(industry)[HHI_LABEL].value == expected
    trend = dataframes_with(industry, "年度", "HHI")[0]
    this_year = trend.loc[trend["年度"] == demo_period.year, "HHI"].iloc[0]
    assert this_year == pytest.approx(hhi * 100)  # shown through the one-decimal percent format
    (whatif,) = shown["whatif"]
    conc = dataframes_with(whatif, "项目", "基线", "推演")[0]
    conc = conc.data if hasattr(conc, "data") else conc
    row = conc[conc["项目"] == HHI_LABEL].iloc[0]
    assert row["基线"] == expected == row["推演"]


def test_no_rate_is_written_with_three_decimals_or_as_a_fraction(shown: dict[str, list[AppTest]]) -> None:
    """Shares on cards read like 62.9%: no 0.156-style fractions and no 0-decimal percentages."""
    values = [
        (page, title, card.value)
        for page, runs in shown.items()
        for at in runs
        for title, card in cards(at).items()
        if re.search("率|度|HHI|占比", title)
    ]
    assert values, "the pages show rate cards"
    for page, title, value in values:
        assert re.fullmatch(r"(—|-?\d+\.\d%)", value), (page, title, value)


def _date_axes(spec: dict) -> list[dict]:
    """The axes of a plotly spec that plotly would read as dates (declared, or holding dates)."""
    layout = spec.get("layout", {})
    names = {name for name, axis in layout.items() if isinstance(axis, dict) and axis.get("type") == "date"}
    for trace in spec.get("data", []):
        for letter in ("x", "y"):
            values = [v for v in trace.get(letter) or [] if v is not None]
            if values and all(isinstance(v, str) and re.match(r"^\d{4}-\d{2}(-\d{2})?", v) for v in values):
                anchor = trace.get(f"{letter}axis", letter)
                names.add(f"{letter}axis{anchor[1:]}")
    return [layout.get(name, {}) for name in sorted(names)]


def test_every_chart_date_axis_is_labelled_in_chinese(shown: dict[str, list[AppTest]]) -> None:
    """Walk every plotly figure the pages draw; each date axis carries the Chinese tick formats."""
    axes = []
    for page, runs in shown.items():
        for at in runs:
            for element in at.get("plotly_chart"):
                spec = json.loads(element.proto.spec)
                for axis in _date_axes(spec):
                    axes.append((page, axis))
                assert not ENGLISH_MONTH.search(json.dumps(spec, ensure_ascii=False)), page
    pages = {page for page, _ in axes}
    assert {"landing", "projects", "progress"} <= pages  # 逐月进程, 资金到位, 计划与实际
    for page, axis in axes:
        assert axis.get("type") == "date", page
        stops = [s["value"] for s in axis.get("tickformatstops", [])]
        assert stops == ["%Y-%m-%d", "%Y年%-m月", "%Y年"], page
        assert axis.get("hoverformat") in ("%Y年%-m月", "%Y-%m-%d"), page


def test_the_scans_read_the_pages(shown: dict[str, list[AppTest]]) -> None:
    """The scans above saw what they scan: many tables, charts and money written out."""
    frames = sum(len(at.dataframe) for runs in shown.values() for at in runs)
    charts = sum(len(at.get("plotly_chart")) for runs in shown.values() for at in runs)
    assert frames > 30 and charts > 10
    text = "\n".join(t for runs in shown.values() for at in runs for t in _texts(at))
    assert text.count("万元") > 20 and text.count("亿元") > 5
