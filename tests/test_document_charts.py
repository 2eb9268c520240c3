"""analytics.documents.charts: every bar of the bulletin's and the weekly brief's charts carries its
label (a zero too), and no reference label (target, 100分) sits on a bar."""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.documents import charts

COHORTS = [
    # 2025: commenced 93.6% against 90%; produced 61.7% against 60% (rates just above their targets)
    {
        "cohort": 2025,
        "commencement_rate": 0.936,
        "commencement_target": 0.9,
        "production_rate": 0.617,
        "production_target": 0.6,
    },
    # 2026: nothing commenced yet (0.0%, target 80%); no base for production (None)
    {
        "cohort": 2026,
        "commencement_rate": 0.0,
        "commencement_target": 0.8,
        "production_rate": None,
        "production_target": 0.5,
    },
]


def _traces(figure: go.Figure, kind: str, mode: str | None = None) -> list:
    return [t for t in figure.data if t.type == kind and (mode is None or t.mode == mode)]


def test_landing_chart_labels_every_bar_zero_and_no_base_included() -> None:
    figure = charts.landing_chart(COHORTS)
    labels = _traces(figure, "scatter", "text")
    commencement, production = labels
    assert [t.split("<br>")[0] for t in commencement.text] == ["<b>93.6%</b>", "<b>0.0%</b>"]
    assert [t.split("<br>")[0] for t in production.text] == ["<b>61.7%</b>", "<b>无基数</b>"]
    # each label also names its bar's target, in the document's whole-percent style
    assert [t.split("<br>")[1] for t in commencement.text] == [
        '<span style="color:#B3261E">目标90%</span>',
        '<span style="color:#B3261E">目标80%</span>',
    ]


def test_landing_labels_stand_above_both_the_bar_and_its_target_line() -> None:
    """The label is written from above max(rate, target), so the red target line never crosses it."""
    figure = charts.landing_chart(COHORTS)
    bars = _traces(figure, "bar")
    targets = _traces(figure, "scatter", "markers")
    labels = _traces(figure, "scatter", "text")
    for bar, target, label in zip(bars, targets, labels, strict=True):
        assert label.offsetgroup == bar.offsetgroup == target.offsetgroup  # over its own bar
        assert label.textposition == "top center"
        for height, line, at in zip(bar.y, target.y, label.y, strict=True):
            assert at > max(height, line)
    # 93.6% + 2 = 95.6 is the highest label; the axis leaves room above it for two lines of text
    assert figure.layout.yaxis.range[1] >= 95.6 + 24


def test_score_chart_labels_zero_and_missing_scores_and_keeps_100_off_the_bars() -> None:
    figure = charts.score_chart(["柳河镇", "桂溪镇", "龙潭镇", "云台乡"], [131.33, 99.0, 0.0, None], "得分")
    bar = figure.data[0]
    # best on top: the lists run bottom-up
    assert list(bar.text) == ["—", "0.00", "99.00", "131.33"]
    # short bars (0, none) write their score after the bar, long ones inside their end: a score
    # of 99 ends just short of the 100 line, so written after the bar it would sit on the line
    assert list(bar.textposition) == ["outside", "outside", "inside", "inside"]
    assert bar.insidetextanchor == "end"
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 100 and not line.label.text  # the line itself carries no text
    (note,) = figure.layout.annotations
    assert note.text == "100分"
    assert (note.yref, note.y, note.yanchor) == ("paper", 1, "bottom")  # above the plot area
    assert note.bgcolor == "#FFFFFF"


def test_week_chart_labels_zero_bars_and_counts_whole_ticks() -> None:
    figure = charts.week_chart(["签约", "开工"], [3, 0], [0, 2])
    for bar in figure.data:
        assert bar.texttemplate == "%{y:,.0f}" and bar.textposition == "outside"
        assert len(bar.text) == 2  # a label for the zero bar too
    assert figure.layout.yaxis.tickformat == ",d" and figure.layout.yaxis.dtick == 1


def test_document_date_axes_are_chinese() -> None:
    figure = go.Figure(go.Scatter(x=["2026-10", "2026-11"], y=[1, 2]))
    charts._layout(figure, "逐月")
    assert figure.layout.xaxis.tickformat == "%Y年%-m月"
    assert [s.value for s in figure.layout.xaxis.tickformatstops] == ["%Y-%m-%d", "%Y年%-m月", "%Y年"]
