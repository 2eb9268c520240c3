"""ui.projector / ui.projector_county screens built from hand-made figures: a tile's amounts in one
unit, targets as one-decimal percentages, headline units that may wrap under their number."""

from __future__ import annotations

import pandas as pd

from ui import projector, projector_county


def _week(funds_now: float, funds_before: float) -> pd.DataFrame:
    rows = [
        ("signed_projects", "新签约项目", "count", 2, 1),
        ("in_stats_projects", "新入统项目", "count", 0, 0),
        ("commenced_projects", "新开工项目", "count", 1, 1),
        ("produced_projects", "新投产项目", "count", 0, 0),
        ("new_leads", "新报送招商信息", "count", 3, 7),
        ("funds_wan", "到位资金", "wan", funds_now, funds_before),
        ("fdi_usd_wan", "实际利用外资", "usd", 0.0, 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["metric", "label", "kind", "this_period", "last_period"])
    return frame.assign(change=frame["this_period"] - frame["last_period"])


def test_funds_tile_writes_this_week_last_week_and_change_in_one_unit() -> None:
    # 1,972 万元 this week, 10,797 万元 last week (1.08 亿): all three in 亿元
    html = projector.week_screen(_week(1972.0, 10797.0))
    assert '0.20<span class="pj-unit">亿元</span>' in html
    assert "上周 1.08 亿元" in html and "▼ 减少 0.88 亿元" in html
    assert "万元" not in html.split("到位资金")[1].split("实际利用外资")[0]


def test_funds_tile_below_one_yi_stays_in_whole_wan() -> None:
    html = projector.week_screen(_week(1972.4, 980.0))
    assert '1,972<span class="pj-unit">万元</span>' in html
    assert "上周 980 万元" in html and "▲ 增加 992 万元" in html


def test_landing_screen_targets_read_with_one_decimal() -> None:
    rates = [
        {
            "cohort": 2026,
            "base": 47,
            "written_off": 0,
            "commenced": 28,
            "produced": 4,
            "commencement_rate": 28 / 47,
            "commencement_target": 0.8,
            "commencement_met": False,
            "production_rate": 4 / 47,
            "production_target": 0.5,
            "production_met": False,
        }
    ]
    html = projector.landing_screen(rates, [])
    assert "目标 80.0%" in html and "目标 50.0%" in html
    assert "59.6%" in html  # 28 / 47
    assert "(已核销 0 个)</span>" in html  # kept on one line, smaller than the count


def test_headline_unit_may_wrap_under_its_number() -> None:
    value = projector_county._value("20,296.86 万美元")
    assert value == (
        '<span style="white-space:nowrap">20,296.86</span> '
        '<span style="font-size:30px; white-space:nowrap">万美元</span>'
    )
