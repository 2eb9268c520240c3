"""Plotly figure builders shared by every page: they return figures, pages draw them.

One look everywhere: the CJK font stack, the theme's calm palette, no toolbar, amounts pre-scaled
to 万元/亿元 (plotly's d3 formats know no 万/亿), rates as percentages. Pages call
``st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd
import plotly.graph_objects as go

from analytics.core.format import MONEY_UNITS, chinese_date_axes, money_unit, percent

FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}

NAVY = "#1F4E79"
RED = "#B3261E"
GREEN = "#1E7B34"
AMBER = "#B7791F"
GREY = "#9AA5B1"
LIGHT = "#D5DBE3"
PALETTE = ["#1F4E79", "#C0392B", "#2E8B57", "#D68910", "#7D3C98", "#17A589", "#5D6D7E", "#A04000"]


def style(fig: go.Figure, *, height: int = 320, legend: bool = True) -> go.Figure:
    """The house look: font, white background, tight margins, legend on top, date axes in Chinese
    (2026年3月, never plotly's Jan 2026). Every figure a page draws passes through here."""
    fig.update_layout(
        font={"family": FONT, "size": 14, "color": "#1B2430"},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        height=height,
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        colorway=PALETTE,
        separators=".,",
    )
    fig.update_xaxes(gridcolor="#EEF1F5", zerolinecolor=LIGHT, automargin=True)
    fig.update_yaxes(gridcolor="#EEF1F5", zerolinecolor=LIGHT, automargin=True)
    return chinese_date_axes(fig)


def money_scale(values: Sequence[float] | pd.Series) -> tuple[float, str]:
    """Divisor and unit for amounts given in 万元: 亿元 once the largest reaches 1 亿, else 万元."""
    unit = money_unit(None if pd.isna(v) else v for v in values)
    return float(MONEY_UNITS[unit]), unit


def rates_vs_targets(rows: pd.DataFrame, *, height: int = 260) -> go.Figure:
    """Bullet bars: each rate (0..1) as a bar, its target as a dark tick, met in green, short in red.

    ``rows`` has columns ``label``, ``rate`` (null = no base), ``target``; the target is also
    written into the category label. Each rate is written just after its bar's end; when the
    target tick stands within a label's width beyond that end, the figure moves past the tick, so
    the tick never runs through it.
    """
    rates = [None if pd.isna(r) else float(r) for r in rows["rate"]]
    targets = [float(t) for t in rows["target"]]
    labels = [f"{label}(目标 {percent(t)})" for label, t in zip(rows["label"], targets, strict=True)]
    colours = [GREY if r is None else (GREEN if r >= t else RED) for r, t in zip(rates, targets, strict=True)]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=[1.0] * len(labels),
        orientation="h",
        marker={"color": "#F3F5F9", "line": {"width": 0}},
        hoverinfo="skip",
        showlegend=False,
    )
    fig.add_bar(
        y=labels,
        x=[r or 0 for r in rates],
        orientation="h",
        marker={"color": colours},
        name="实际",
        hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        showlegend=False,
    )
    fig.add_scatter(
        y=labels,
        x=targets,
        mode="markers",
        marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": "#1B2430"}},
        name="目标",
        hovertemplate="目标 %{x:.1%}<extra></extra>",
        showlegend=False,
    )
    fig.add_scatter(
        y=labels,
        x=[_label_at(r or 0.0, t) for r, t in zip(rates, targets, strict=True)],
        mode="text",
        text=["\u2002" + ("无基数" if r is None else percent(r)) for r in rates],
        textposition="middle right",
        textfont={"size": 15},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_layout(barmode="overlay", bargap=0.4)
    fig.update_xaxes(range=[0, 1.1], tickformat=".0%", dtick=0.2)
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=height, legend=False)


# About the width of a rate's label (「 64.6%」 in 15 px type) on the narrowest bullet chart, in the
# axis' units (0..1.1 across ~450 px).
LABEL_ROOM = 0.13


def _label_at(rate: float, target: float) -> float:
    """Where a bullet's label starts: the bar's end, or the target tick if that stands in the way."""
    return target if rate < target < rate + LABEL_ROOM else rate


def share_gauge(value: float | None, target: float, title: str, *, height: int = 230) -> go.Figure:
    """A semicircle gauge for a share (0..1) against its target line."""
    shown = 0.0 if value is None else value * 100
    colour = GREY if value is None else (GREEN if value >= target else RED)
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=shown,
            number={"suffix": "%", "valueformat": ".1f", "font": {"size": 34}},
            title={"text": title, "font": {"size": 15}},
            gauge={
                "axis": {"range": [0, 100], "ticksuffix": "%", "dtick": 25},
                "bar": {"color": colour, "thickness": 0.6},
                "bgcolor": "#F3F5F9",
                "borderwidth": 0,
                "threshold": {
                    "line": {"color": "#1B2430", "width": 4},
                    "value": target * 100,
                    "thickness": 0.9,
                },
            },
        )
    )
    style(fig, height=height, legend=False)
    fig.update_layout(margin={"l": 30, "r": 30, "t": 60, "b": 10})
    return fig


def hbar(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    colour: str | None = None,
    money: bool = False,
    percent: bool = False,
    unit: str = "",
    height: int | None = None,
    colour_map: dict[str, str] | None = None,
    decimals: int | None = None,
) -> go.Figure:
    """Horizontal bars, largest on top, each with its value written at its end (``decimals`` fixes
    the digits shown, e.g. 2 for scores).

    ``money``: values in 万元, pre-scaled to 万元/亿元; ``percent``: values are fractions.
    ``colour``: a column whose values pick the bar colour through ``colour_map``.
    """
    data = frame.sort_values(value, ascending=True)
    values = data[value].astype(float)
    if money:
        divisor, unit = money_scale(values)
        values = values / divisor
        text = [f"{v:,.2f}" for v in values]
    elif percent:
        values = values * 100
        unit = "%"
        text = [f"{v:.1f}%" for v in values]
    elif decimals is not None:
        text = [f"{v:,.{decimals}f}" for v in values]
    else:
        text = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values]
    colours: list[str] | str = NAVY
    if colour is not None and colour_map:
        colours = [colour_map.get(str(c), NAVY) for c in data[colour]]
    fig = go.Figure(
        go.Bar(
            y=data[label].astype(str),
            x=values,
            orientation="h",
            marker={"color": colours},
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.2f}"
            + (f" {unit}" if unit and unit != "%" else unit)
            + "<extra></extra>",
        )
    )
    suffix = unit if unit == "%" else (f" {unit}" if unit else "")
    fig.update_xaxes(ticksuffix=suffix, rangemode="tozero")
    return style(fig, height=height or max(220, 34 * len(data) + 70), legend=False)


def treemap(
    frame: pd.DataFrame,
    *,
    label: str,
    parent: str,
    value: str,
    height: int = 380,
    colour_map: dict[str, str] | None = None,
) -> go.Figure:
    """A two-level treemap (group → item) of amounts in 万元, labels in 万元/亿元 and share."""
    data = frame[frame[value].astype(float) > 0]
    divisor, unit = money_scale(data[value])
    groups = data.groupby(parent, sort=False)[value].sum()
    ids = [f"g:{g}" for g in groups.index] + [
        f"i:{p}/{n}" for p, n in zip(data[parent], data[label], strict=True)
    ]
    labels = [str(g) for g in groups.index] + data[label].astype(str).tolist()
    parents = [""] * len(groups) + [f"g:{p}" for p in data[parent]]
    values = [float(v) / divisor for v in groups] + [float(v) / divisor for v in data[value]]
    group_colours = {
        g: (colour_map or {}).get(str(g), PALETTE[i % len(PALETTE)]) for i, g in enumerate(groups.index)
    }
    colours = [group_colours[g] for g in groups.index] + [group_colours[p] for p in data[parent]]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colours, "line": {"width": 2, "color": "#FFFFFF"}},
            texttemplate="%{label}<br>%{value:,.2f} " + unit + "<br>%{percentRoot:.1%}",
            hovertemplate="%{label}: %{value:,.2f} " + unit + "(%{percentRoot:.1%})<extra></extra>",
            textfont={"family": FONT, "size": 14, "color": "#FFFFFF"},
            pathbar={"visible": False},
        )
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0})
    return style(fig, height=height, legend=False)


def lines_over_time(
    frame: pd.DataFrame,
    *,
    x: str,
    series: dict[str, str],
    percent: bool = False,
    height: int = 320,
    target: float | None = None,
    target_label: str = "目标",
) -> go.Figure:
    """Lines (with markers) over time: one per ``series`` column; an optional dashed target line."""
    fig = go.Figure()
    for index, (column, name) in enumerate(series.items()):
        values = frame[column].astype(float) * (100 if percent else 1)
        fig.add_scatter(
            x=frame[x],
            y=values,
            name=name,
            mode="lines+markers",
            line={"width": 3, "color": PALETTE[index % len(PALETTE)]},
            hovertemplate=f"{name} %{{x}}: %{{y:,.1f}}" + ("%" if percent else "") + "<extra></extra>",
        )
    if percent:
        fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    else:
        fig.update_yaxes(rangemode="tozero")
    style(fig, height=height)
    if target is not None:
        # the target's label stands outside the plot, at the line's right end, so no point or
        # line of the data ever runs through it
        level = target * (100 if percent else 1)
        fig.add_hline(y=level, line={"dash": "dash", "color": RED, "width": 2})
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=level,
            yref="y",
            text=target_label,
            showarrow=False,
            font={"color": RED},
            bgcolor="#FFFFFF",
        )
        fig.update_layout(margin={"r": 24 + 10 * len(target_label)})
    return fig


def stage_funnel(stages: Sequence[tuple[str, float]], *, height: int = 260) -> go.Figure:
    """A funnel of counts through stages, e.g. 签约 → 开工 → 投产, with the share of the first stage."""
    fig = go.Figure(
        go.Funnel(
            y=[name for name, _ in stages],
            x=[value for _, value in stages],
            texttemplate="%{value:,.0f}<br>%{percentInitial:.1%}",
            marker={"color": PALETTE[: len(stages)]},
            connector={"line": {"color": LIGHT}},
        )
    )
    return style(fig, height=height, legend=False)


# ---------------------------------------------------------------------------------------------
# one project's record (项目库): stage steps and funds arrived over time
# ---------------------------------------------------------------------------------------------

STEP_CSS = "display:flex;align-items:stretch;margin:4px 0 12px 0"


def stage_steps_html(timeline: pd.DataFrame) -> str:
    """The stage timeline 签约 → 入统 → 开工 → 投产 (→ 核销) as a row of steps: done ones filled with
    their date, the others hollow and marked 「尚未」. ``timeline`` has columns label, date, done."""

    steps = []
    for index, row in enumerate(timeline.itertuples(index=False)):
        done = bool(row.done)
        colour = (RED if row.label == "核销" else NAVY) if done else "#FFFFFF"
        text_colour = "#FFFFFF" if done else "#5D6D7E"
        when = row.date.strftime("%Y-%m-%d") if done else "尚未"
        mark = "●" if done else "○"
        arrow = (
            ""
            if index == 0
            else '<div style="align-self:center;color:#9AA5B1;font-size:1.4rem;padding:0 6px">→</div>'
        )
        steps.append(
            f'{arrow}<div style="flex:1;border:2px solid {NAVY if row.label != "核销" else RED};border-radius:6px;'
            f'background:{colour};color:{text_colour};padding:8px 12px;text-align:center">'
            f'<div style="font-size:1.05rem;font-weight:700">{mark} {escape(str(row.label))}</div>'
            f'<div style="font-size:0.95rem">{escape(when)}</div></div>'
        )
    return f'<div style="{STEP_CSS}">{"".join(steps)}</div>'


def funds_over_time(series: pd.DataFrame, *, height: int = 300) -> go.Figure:
    """Funds arrived (万元): a bar per arrival date and the running total as a line, in 万元/亿元.

    ``series`` has columns date, amount_wan, cumulative_amount_wan (``analytics.registry.fund_series``).
    """
    divisor, unit = money_scale(series["cumulative_amount_wan"])
    fig = go.Figure()
    fig.add_bar(
        x=series["date"],
        y=series["amount_wan"] / divisor,
        name="当次到位",
        marker={"color": "#8FB3D9"},
        hovertemplate="%{x|%Y-%m-%d} 到位 %{y:,.2f} " + unit + "<extra></extra>",
    )
    fig.add_scatter(
        x=series["date"],
        y=series["cumulative_amount_wan"] / divisor,
        name="累计到位",
        mode="lines+markers",
        line={"width": 3, "color": NAVY, "shape": "hv"},
        hovertemplate="%{x|%Y-%m-%d} 累计 %{y:,.2f} " + unit + "<extra></extra>",
    )
    fig.update_yaxes(ticksuffix=f" {unit}", rangemode="tozero", tickformat=",.2f" if divisor > 1 else ",.0f")
    return style(fig, height=height)


def calm_funnel(stages: Sequence[tuple[str, float]], *, height: int = 280) -> go.Figure:
    """A funnel in shades of one blue (no red: a narrowing funnel is expected, not an alarm), each
    stage with its count and its share of the first stage."""
    shades = ["#1F4E79", "#2F6A9E", "#4F86B8", "#7EA6CF", "#A9C4E0"]
    fig = go.Figure(
        go.Funnel(
            y=[name for name, _ in stages],
            x=[value for _, value in stages],
            texttemplate="%{value:,.0f}<br>%{percentInitial:.1%}",
            textfont={"family": FONT, "size": 15, "color": "#FFFFFF"},
            marker={"color": [shades[i % len(shades)] for i in range(len(stages))]},
            connector={"line": {"color": LIGHT}, "fillcolor": "#EEF1F5"},
            hovertemplate="%{y}: %{x:,} 条(占报送 %{percentInitial:.1%})<extra></extra>",
        )
    )
    return style(fig, height=height, legend=False)


def squad_member_stack(members: pd.DataFrame, *, height: int | None = None) -> go.Figure:
    """Each squad's score as a horizontal bar made of its members' counted scores (§5: the squad
    score is their sum): the advanced member in green, disqualified members in red, others in blue.

    ``members`` has columns squad_label (ranked order), unit_name, score_counted,
    is_advanced_member, is_disqualified.
    """
    order = list(dict.fromkeys(members["squad_label"]))
    totals = members.groupby("squad_label", sort=False)["score_counted"].sum()
    fig = go.Figure()
    for row in members.itertuples(index=False):
        colour = GREEN if row.is_advanced_member else (RED if row.is_disqualified else "#5B84B1")
        fig.add_bar(
            y=[row.squad_label],
            x=[row.score_counted],
            orientation="h",
            marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1.5}},
            text=f"{row.unit_name} {row.score_counted:.1f}" if row.score_counted >= 25 else "",
            textposition="inside",
            insidetextanchor="middle",
            textfont={"family": FONT, "size": 12, "color": "#FFFFFF"},
            # names go in as data (hovertext, y), never into the template, so they stay text
            hovertext=[row.unit_name],
            hovertemplate="%{hovertext}: %{x:.2f} 分<extra>%{y}</extra>",
            showlegend=False,
        )
    fig.add_scatter(
        y=list(totals.index),
        x=list(totals.values),
        mode="text",
        text=[f"  {v:.2f}" for v in totals.values],
        textposition="middle right",
        textfont={"family": FONT, "size": 14, "color": "#1B2430"},
        hoverinfo="skip",
        showlegend=False,
    )
    for name, colour in (("先进队员", GREEN), ("取消评先评优资格", RED), ("其他成员", "#5B84B1")):
        fig.add_bar(y=[None], x=[None], name=name, marker={"color": colour}, orientation="h")
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(ticksuffix=" 分", rangemode="tozero", range=[0, float(totals.max()) * 1.12 + 1])
    return style(fig, height=height or max(260, 48 * len(order) + 90))
