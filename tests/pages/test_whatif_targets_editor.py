"""模拟推演 ② 调整目标 (ui/whatif/targets_editor.py): one editor per unit, the unit in the column
headers, money typed in 亿元 stored exactly in 万元, counts as whole numbers."""

from __future__ import annotations

import json

from analytics.core.labels import METRIC_UNITS, MONEY_METRICS
from analytics.whatif.scenario import targets_frame
from analytics.whatif.scenario_store import list_scenarios, load_scenario

PAGE = "app_pages/whatif.py"


def _editors(at) -> dict[str, object]:
    """The target editors on the page by kind (wan / usd / count), from their widget ids."""
    found = {}
    for frame in at.dataframe:
        proto = frame.proto
        for kind in ("wan", "usd", "count"):
            if proto.editing_mode and proto.id.endswith(f"whatif_targets_{kind}_1"):
                found[kind] = frame
    return found


def test_each_editor_names_its_unit_and_counts_are_whole(app_test, expected_con, demo_period) -> None:
    at = app_test(PAGE)
    assert not at.exception
    editors = _editors(at)
    assert set(editors) == {"wan", "usd", "count"}
    frame = targets_frame(expected_con, demo_period.year)
    money = frame[frame["metric"].map(METRIC_UNITS.get) == "wan"]
    # the demo's money targets reach 1 亿 (1,860,000 万元 = 186 亿元): shown in 亿元
    assert money["value"].max() >= 10000
    wan = editors["wan"].value
    assert list(wan.columns) == ["对象", "指标", "现行目标(亿元)", "推演目标(亿元)"]
    assert list(wan["现行目标(亿元)"]) == [v / 10000 for v in money["value"]]
    usd = editors["usd"].value
    assert list(usd.columns) == ["对象", "指标", "现行目标(万美元)", "推演目标(万美元)"]
    assert not usd["指标"].str.contains("万美元").any()  # the header says it once
    counts = editors["count"].value
    assert list(counts.columns) == ["对象", "指标", "现行目标(个)", "推演目标(个)"]
    shown = counts["现行目标(个)"].dropna()
    assert len(shown) > 10 and all(float(v).is_integer() for v in shown)
    config = json.loads(editors["count"].proto.columns)
    assert config["推演目标(个)"]["type_config"] == {
        "type": "number",
        "min_value": 0,
        "format": "%d",
        "step": 1,
    }
    # every target appears once, in exactly one editor
    assert len(wan) + len(usd) + len(counts) == len(frame)


def test_money_typed_in_yi_is_saved_in_wan_exactly(app_test, expected_con, demo_period) -> None:
    """0.57 亿元 typed for 入统项目投资总额 becomes 5700 万元 in the saved scenario (float
    arithmetic would store 5699.999999999999), and 49 typed for a count stays 49."""
    frame = targets_frame(expected_con, demo_period.year)
    wan = frame[frame["metric"].map(METRIC_UNITS.get) == "wan"].reset_index(drop=True)
    counts = frame[~frame["metric"].isin(MONEY_METRICS)].reset_index(drop=True)
    money_row = int(wan.index[wan["metric"] == "in_stats_investment_wan"][0])
    count_row = int(counts.index[counts["metric"] == "signed_projects"][0])  # the county's first
    at = app_test(PAGE, run=False)
    at.session_state["whatif_targets_wan_1"] = {
        "edited_rows": {money_row: {"推演目标(亿元)": 0.57}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state["whatif_targets_count_1"] = {
        "edited_rows": {count_row: {"推演目标(个)": 49}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    at.text_input(key="whatif_save_name").input("入统投资 0.57 亿元").run()
    next(b for b in at.button if b.key == "whatif_save").click().run()
    assert not at.exception
    from ui.frame import cursor

    saved = list_scenarios(cursor())
    scenario_id = int(saved.loc[saved["name"] == "入统投资 0.57 亿元", "scenario_id"].iloc[0])
    targets = {(t.scope, t.metric): t.value for t in load_scenario(cursor(), scenario_id).targets}
    assert targets[("county", "in_stats_investment_wan")] == 5700.0
    assert targets[(counts.at[count_row, "scope"], "signed_projects")] == 49.0
    assert len(targets) == 2  # nothing else changed by showing 万元 as 亿元 and back


def test_a_negative_target_is_refused_on_the_server(app_test, expected_con, demo_period) -> None:
    """The editor's min_value holds in the browser only; the server checks again and says which."""
    frame = targets_frame(expected_con, demo_period.year)
    counts = frame[~frame["metric"].isin(MONEY_METRICS)].reset_index(drop=True)
    at = app_test(PAGE, run=False)
    at.session_state["whatif_targets_count_1"] = {
        "edited_rows": {0: {"推演目标(个)": -3}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("不小于 0" in e and counts.at[0, "metric_zh"] in e for e in errors), errors
