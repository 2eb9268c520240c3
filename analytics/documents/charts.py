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


def _layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.5, "font": {"size": 22}},
        font={"family": FONT, "size": 16, "color": "#1B2430"},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        margin={"l": 70, "r": 30, "t": 70, "b": 80},
        legend={"orientation": "h", "y": -0.18, "x": 0.5, "xanchor": "center"},
    )
    figure.update_yaxes(gridcolor="#E3E7ED", zerolinecolor="#8A96A8")
    return figure


def landing_chart(cohorts: Sequence[dict]) -> go.Figure:
    """9865: commencement and production rate per cohort, with the target marked on each bar."""
    labels = [f"{c['cohort']}年签约" for c in cohorts]
    figure = go.Figure()
    for key, name, colour in (("commencement", "开工率", BLUE), ("production", "投产率", GREEN)):
        rates = [(c[f"{key}_rate"] or 0) * 100 for c in cohorts]
        figure.add_bar(
            name=name,
            x=labels,
            y=rates,
            marker_color=colour,
            offsetgroup=key,
            text=[f"{r:.1f}%" for r in rates],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "#FFFFFF", "size": 18},
        )
        figure.add_scatter(
            name=f"{name}目标",
            x=labels,
            y=[c[f"{key}_target"] * 100 for c in cohorts],
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 60, "color": RED, "line": {"width": 4, "color": RED}},
            offsetgroup=key,
            showlegend=key == "commencement",
            legendgroup="target",
        )
    figure.data[1].name = "目标线"
    figure.update_layout(barmode="group", scattermode="group", yaxis={"range": [0, 110], "ticksuffix": "%"})
    return _layout(figure, "“9865”项目开工率、投产率")


def score_chart(names: Sequence[str], scores: Sequence[float | None], title: str) -> go.Figure:
    """Horizontal bars of unit scores in rank order (best on top), a dashed line at 100 分.

    Unit names are data: plotly would build tags (``<a href>``) from them, so ``<``, ``>`` and ``&``
    go in as entities and print as characters."""
    values = [s or 0 for s in scores]
    labels = [html.escape(str(n), quote=False) for n in names]
    figure = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=BLUE,
            text=[f"{v:.2f}" for v in values[::-1]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.add_vline(x=100, line={"color": RED, "dash": "dash"}, annotation_text="100分")
    figure.update_layout(
        showlegend=False, xaxis={"title": "得分", "range": [0, max([*values, 100]) * 1.15]}, bargap=0.25
    )
    return _layout(figure, title)


def week_chart(labels: Sequence[str], this_week: Sequence[float], last_week: Sequence[float]) -> go.Figure:
    """This week against last week, side by side, for a few counts."""
    figure = go.Figure()
    figure.add_bar(name="上周", x=list(labels), y=list(last_week), marker_color=GREY, text=list(last_week))
    figure.add_bar(name="本周", x=list(labels), y=list(this_week), marker_color=BLUE, text=list(this_week))
    figure.update_traces(texttemplate="%{y:,.0f}", textposition="outside")
    figure.update_layout(barmode="group")
    return _layout(figure, "本周与上周主要指标对比(个/条)")


def shutdown() -> None:
    """Stop the export browser (command-line runs call this before exiting, so it exits cleanly)."""
    global _server_started
    with _lock:
        if _server_started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False
