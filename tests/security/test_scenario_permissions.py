"""Saving and deleting what-if scenarios is checked on the server, whatever the page shows.

The rule (``analytics.permissions.check_scenario_write``): the office and the county leader may save
scenarios; the office may overwrite or delete any of them, a leader only those it saved itself; a
clerk and the projector (viewer) neither save nor delete. Nothing is written when refused.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.data.store import open_database
from analytics.whatif.scenario import Scenario
from analytics.whatif.scenario_store import delete_scenario_as, list_scenarios, save_scenario_as

OFFICE = User("office", "招商办", "office")
LEADER = User("leader", "县领导", "leader")
LEADER_2 = User("leader_wang", "王县长", "leader")
CLERK_T01 = User("clerk_t01", "镇一填报员", "clerk", "t01")
VIEWER = User("viewer", "投屏", "viewer")


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(":memory:")
    yield connection
    connection.close()


def written(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    return (
        con.execute("SELECT * FROM scenarios ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM audit_log ORDER BY ALL").fetchall(),
    )


@pytest.mark.parametrize("user", [CLERK_T01, VIEWER], ids=["clerk", "viewer"])
def test_clerk_and_viewer_cannot_save_or_delete(con, user: User) -> None:
    scenario_id = save_scenario_as(con, OFFICE, Scenario(settings={"score_cap": 1.2}), "封顶1.2")
    before = written(con)
    with pytest.raises(PermissionDenied, match="不能保存或删除推演方案"):
        save_scenario_as(con, user, Scenario(settings={"score_cap": 1.4}), "新方案")
    with pytest.raises(PermissionDenied, match="不能保存或删除推演方案"):
        save_scenario_as(con, user, Scenario(settings={"score_cap": 1.4}), "封顶1.2")  # overwrite
    with pytest.raises(PermissionDenied, match="不能保存或删除推演方案"):
        delete_scenario_as(con, user, scenario_id)
    assert written(con) == before


def test_leader_saves_and_deletes_its_own_and_the_office_any(con) -> None:
    office_id = save_scenario_as(con, OFFICE, Scenario(settings={"score_cap": 1.2}), "招商办方案")
    leader_id = save_scenario_as(con, LEADER, Scenario(settings={"score_cap": 1.3}), "县领导方案")
    assert list(list_scenarios(con).sort_values("scenario_id")["created_by"]) == ["office", "leader"]
    before = written(con)
    # A leader overwrites or deletes neither the office's scenario nor another leader's.
    with pytest.raises(PermissionDenied, match="只能覆盖或删除自己保存的方案"):
        save_scenario_as(con, LEADER, Scenario(settings={"score_cap": 1.5}), "招商办方案")
    with pytest.raises(PermissionDenied, match="只能覆盖或删除自己保存的方案"):
        delete_scenario_as(con, LEADER, office_id)
    with pytest.raises(PermissionDenied, match="只能覆盖或删除自己保存的方案"):
        delete_scenario_as(con, LEADER_2, leader_id)
    assert written(con) == before
    # Its own: overwritten (same id) and deleted; the office deletes any.
    assert save_scenario_as(con, LEADER, Scenario(settings={"score_cap": 1.4}), "县领导方案") == leader_id
    delete_scenario_as(con, LEADER, leader_id)
    delete_scenario_as(con, OFFICE, office_id)
    assert list_scenarios(con).empty
