"""Charts for the documents: plotly figures exported to PNG by kaleido through Debian's chromium.

Kaleido 1.x drives the chromium it finds on ``PATH`` (or ``$BROWSER_PATH``); it downloads
nothing. The export server is started once per process and shared under a lock (~0.2 s an
image warm). Builders return figures (no I/O); ``to_png`` renders one. If no browser can be
started, ``to_png`` returns ``None`` and the documents say the chart is missing instead of failing.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import threading
from collections.abc import Sequence

import plotly.graph_objects as go

from analytics.core import format as fmt
from analytics.core.format import chinese_date_axes

log = logging.getLogger(__name__)

FONT = "Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif"
BLUE, RED, GREEN, AMBER, GREY = "#1F4E79", "#B3261E", "#1E7B34", "#B7791F", "#8A96A8"

_lock = threading.Lock()
_server_started = False


def _ensure_server() -> None:
    global _server_started
    if _server_started:
        return
    import kaleido

    if not os.environ.get("BROWSER_PATH"):
        for name in ("chromium", "chromium-browser", "google-chrome"):
            found = shutil.which(name)
            if found:
                os.environ["BROWSER_PATH"] = found
                break
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _server_started = True


def to_png(figure: go.Figure, width: int = 1000, height: int = 520) -> bytes | None:
    """The figure as a PNG at twice the pixel density, or ``None`` when no browser is available."""
    try:
        with _lock:
            _ensure_server()
            import kaleido

            return kaleido.calc_fig_sync(
                figure, opts={"format": "png", "width": width, "height": height, "scale": 2}
            )
    except Exception:  # the document is still written, with a note in place of the chart
        log.exception("chart export failed")
        return None


def _layout(figure: go.Figure, title: str, *, top: int = 80) -> go.Figure:
    """The documents' look (type large enough to read once the chart is printed 14–15 cm wide);
    date axes (if any) labelled in Chinese like the pages' charts."""
    figure.update_layout(
        title={"text": title, "x": 0.5, "y": 0.98, "yanchor": "top", "font": {"size": 26}},
        font={"family": FONT, "size": 20, "color": "#1B2430"},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        margin={"l": 70, "r": 30, "t": top, "b": 80},
        legend={"orientation": "h", "y": -0.18, "x": 0.5, "xanchor": "center"},
    )
    figure.update_yaxes(gridcolor="#E3E7ED", zerolinecolor="#8A96A8")
    return chinese_date_axes(figure)


def landing_chart(cohorts: Sequence[dict]) -> go.Figure:
    """9865: commencement and production rate per cohort, each bar's target as a red line across it.

    Every bar carries its label — the rate (0.0% too) and, in red beneath it, its target — written
    above the higher of the bar and its target line, so the label never sits on the line or inside
    a bar too short to hold it. A cohort without a base says 无基数."""
    labels = [f"{c['cohort']}年签约" for c in cohorts]
    figure = go.Figure()
    tops = [0.0]
    for key, name, colour in (("commencement", "开工率", BLUE), ("production", "投产率", GREEN)):
        rates = [c[f"{key}_rate"] for c in cohorts]
        heights = [(r or 0) * 100 for r in rates]
        targets = [c[f"{key}_target"] * 100 for c in cohorts]
        figure.add_bar(name=name, x=labels, y=heights, marker_color=colour, offsetgroup=key)
        figure.add_scatter(
            name="目标线",
            x=labels,
            y=targets,
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 60, "color": RED, "line": {"width": 4, "color": RED}},
            offsetgroup=key,
            showlegend=key == "commencement",
            legendgroup="target",
        )
        above = [max(h, t) + 2 for h, t in zip(heights, targets, strict=True)]
        figure.add_scatter(
            x=labels,
            y=above,
            mode="text",
            text=[
                f"<b>{'无基数' if r is None else fmt.percent(r)}</b><br>"
                f'<span style="color:{RED}">目标{fmt.percent(t / 100, 0)}</span>'
                for r, t in zip(rates, targets, strict=True)
            ],
            textposition="top center",
            textfont={"size": 20},
            offsetgroup=key,
            showlegend=False,
            hoverinfo="skip",
        )
        tops.extend(above)
    figure.update_layout(
        barmode="group",
        scattermode="group",
        # room above the bars for the labels, ticks only up to 100% (a rate's whole scale)
        yaxis={
            "range": [0, max(110.0, max(tops) + 26)],
            "tickvals": list(range(0, 101, 20)),
            "ticktext": [f"{v}%" for v in range(0, 101, 20)],
        },
    )
    return _layout(figure, "“9865”项目开工率、投产率")


def score_chart(names: Sequence[str], scores: Sequence[float | None], title: str) -> go.Figure:
    """Horizontal bars of unit scores in rank order (best on top), a dashed line at 100 分 whose
    label stands above the plot (never on a bar); every bar labelled, 0.00 too, 「—」 without a score.

    Unit names are data: plotly would build tags (``<a href>``) from them, so ``<``, ``>`` and ``&``
    go in as entities and print as characters."""
    values = [s or 0 for s in scores]
    shown = ["—" if s is None else f"{s:.2f}" for s in scores]
    labels = [html.escape(str(n), quote=False) for n in names]
    right = max([*values, 100]) * 1.15
    # A long bar carries its score inside its end (so a bar ending near 100 keeps the dashed line off
    # its label); a short one, 0 included, just after its end.
    inside = [v >= right * 0.2 for v in values]
    figure = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=BLUE,
            text=shown[::-1],
            textposition=["inside" if i else "outside" for i in inside[::-1]],
            insidetextanchor="end",
            insidetextfont={"color": "#FFFFFF"},
            outsidetextfont={"color": "#1B2430"},
            constraintext="none",
            cliponaxis=False,
        )
    )
    figure.add_vline(x=100, line={"color": RED, "dash": "dash"})
    figure.add_annotation(
        x=100,
        xref="x",
        y=1,
        yref="paper",
        yanchor="bottom",
        text="100分",
        showarrow=False,
        font={"color": RED, "size": 20},
        bgcolor="#FFFFFF",
    )
    figure.update_layout(showlegend=False, xaxis={"title": "得分", "range": [0, right]}, bargap=0.25)
    return _layout(figure, title, top=100)


def week_chart(labels: Sequence[str], this_week: Sequence[float], last_week: Sequence[float]) -> go.Figure:
    """This week against last week, side by side, for a few counts; every bar labelled, 0 too."""
    figure = go.Figure()
    figure.add_bar(name="上周", x=list(labels), y=list(last_week), marker_color=GREY, text=list(last_week))
    figure.add_bar(name="本周", x=list(labels), y=list(this_week), marker_color=BLUE, text=list(this_week))
    figure.update_traces(texttemplate="%{y:,.0f}", textposition="outside", cliponaxis=False)
    top = max([*this_week, *last_week, 1])
    whole = {"dtick": 1} if top <= 8 else {}  # counts: no 0.5 ticks
    figure.update_layout(barmode="group", yaxis={"range": [0, top * 1.15], "tickformat": ",d", **whole})
    return _layout(figure, "本周与上周主要指标对比(个/条)")


def shutdown() -> None:
    """Stop the export browser (command-line runs call this before exiting, so it exits cleanly)."""
    global _server_started
    with _lock:
        if _server_started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False
