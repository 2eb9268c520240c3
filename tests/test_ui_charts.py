"""ui.charts: every figure a page draws passes through ``style`` (the one place date axes get their
Chinese labels), and rates read as one-decimal percentages."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ui import charts
from ui.progress_view import timeline_figure

ROOT = Path(__file__).resolve().parents[1]
CHINESE_STOPS = ["%Y-%m-%d", "%Y年%-m月", "%Y年"]

# Calls that make a plotly figure, and the calls that give it the house look (date axes included).
MAKERS = {"Figure", "make_subplots"}
FINISHERS = {"style", "_layout"}


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _uses_plotly_express(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "px"
        for call in ast.walk(node)
    )


def test_every_figure_built_for_a_page_or_document_passes_through_the_house_style() -> None:
    """A scan of ui/, app_pages/ and analytics/documents/: each function that makes a plotly figure
    also calls ``charts.style`` (pages) or ``_layout`` (documents), so no figure escapes the Chinese
    date axes."""
    files = [
        *ROOT.glob("ui/**/*.py"),
        *ROOT.glob("app_pages/*.py"),
        *ROOT.glob("analytics/documents/*.py"),
        ROOT / "app.py",
    ]
    builders, missing = [], []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            called = _called_names(node)
            if called & MAKERS or _uses_plotly_express(node):
                builders.append(f"{path.relative_to(ROOT)}:{node.name}")
                if not called & FINISHERS:
                    missing.append(f"{path.relative_to(ROOT)}:{node.name}")
        # a figure made at module level (a page script) has no function to finish it
        top_level = [n for n in tree.body if not isinstance(n, ast.FunctionDef | ast.ClassDef)]
        for statement in top_level:
            if _called_names(statement) & MAKERS or _uses_plotly_express(statement):
                missing.append(f"{path.relative_to(ROOT)}:{statement.lineno}")
    assert not missing, f"figures that skip ui.charts.style / _layout: {missing}"
    assert len(builders) >= 12  # the scan sees the builders (ui.charts, progress_view, documents)


def _assert_chinese_dates(axis) -> None:
    assert axis.type == "date"
    assert [stop.value for stop in axis.tickformatstops] == CHINESE_STOPS


def test_monthly_lines_have_chinese_month_ticks() -> None:
    # the 9865 page's 逐月进程: months as YYYY-MM text, which plotly reads as dates
    frame = pd.DataFrame({"month": ["2026-01", "2026-02"], "signed": [3, 5]})
    figure = charts.lines_over_time(frame, x="month", series={"signed": "已签约"})
    _assert_chinese_dates(figure.layout.xaxis)
    assert figure.layout.xaxis.hoverformat == "%Y年%-m月"


def test_funds_and_project_timeline_have_chinese_day_ticks() -> None:
    series = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-05", "2026-06-20"]),
            "amount_wan": [500.0, 12000.0],
            "cumulative_amount_wan": [500.0, 12500.0],
        }
    )
    funds = charts.funds_over_time(series)
    _assert_chinese_dates(funds.layout.xaxis)
    assert funds.layout.xaxis.hoverformat == "%Y-%m-%d"
    assert funds.layout.yaxis.ticksuffix == " 亿元"  # 12,500 万元 reaches 1 亿: the axis in 亿元
    steps = pd.DataFrame(
        {
            "step": ["signed", "commenced"],
            "planned_on": [date(2026, 1, 10), date(2026, 4, 1)],
            "done_on": [date(2026, 1, 10), None],
        }
    )
    _assert_chinese_dates(timeline_figure(steps).layout.xaxis)


def test_year_labels_stay_categories() -> None:
    frame = pd.DataFrame({"year_label": ["2025 年", "2026 年"], "rate": [0.5, 0.6]})
    figure = charts.lines_over_time(frame, x="year_label", series={"rate": "按投资额"}, percent=True)
    assert figure.layout.xaxis.type is None


def test_rates_and_their_targets_read_with_one_decimal() -> None:
    rows = pd.DataFrame({"label": ["2026 年开工率"], "rate": [0.6456], "target": [0.8]})
    figure = charts.rates_vs_targets(rows)
    bar, tick, label = figure.data[1:]
    assert [t.strip() for t in label.text] == ["64.6%"]
    assert list(bar.y) == list(label.y) == ["2026 年开工率(目标 80.0%)"]
    assert tick.hovertemplate == "目标 %{x:.1%}<extra></extra>"


def test_rate_labels_start_at_the_bar_end_or_past_a_target_tick_in_the_way() -> None:
    rows = pd.DataFrame(
        {
            "label": ["甲", "乙", "丙", "丁"],
            # 78% against 80%: the tick stands 2 points past the bar, inside the label's width;
            # 64.6% against 80%: 15.4 points of room; 93.6% against 90%: the tick is inside the bar
            "rate": [0.78, 0.646, 0.936, None],
            "target": [0.8, 0.8, 0.9, 0.05],
        }
    )
    label = charts.rates_vs_targets(rows).data[3]
    assert label.mode == "text" and label.textposition == "middle right"
    assert list(label.x) == [0.8, 0.646, 0.936, 0.05]  # no base: an empty bar, its tick 5 points on
    assert [t.strip() for t in label.text] == ["78.0%", "64.6%", "93.6%", "无基数"]


@pytest.mark.parametrize("builder", [charts.stage_funnel, charts.calm_funnel])
def test_funnels_write_their_shares_with_one_decimal(builder) -> None:
    figure = builder([("签约", 40.0), ("开工", 13.0)])
    assert figure.data[0].texttemplate == "%{value:,.0f}<br>%{percentInitial:.1%}"


def test_a_target_line_is_labelled_outside_the_plot() -> None:
    """The 历年集聚度 target label sits right of the plot area, where no point of the lines can be."""
    frame = pd.DataFrame({"year_label": ["2024 年", "2025 年"], "rate": [0.5, 0.7]})
    figure = charts.lines_over_time(
        frame,
        x="year_label",
        series={"rate": "按投资额"},
        percent=True,
        target=0.5,
        target_label="目标 50.0%",
    )
    (line,) = figure.layout.shapes
    assert line.y0 == line.y1 == 50 and not line.label.text
    (note,) = figure.layout.annotations
    assert note.text == "目标 50.0%" and note.y == 50
    assert (note.xref, note.x, note.xanchor) == ("paper", 1, "left")
    assert figure.layout.margin.r >= 24 + 10 * len("目标 50.0%")  # room for it beside the plot
