"""Item 10b: an import's audit entry per table names the ids it added, changed and removed (keys from
the contract; fund arrivals, which have no key, by project_id|date), not only row counts."""

from __future__ import annotations

import json

from analytics.data.importer import import_path
from analytics.data.store import open_database
from tests.data_builders import valid_tables, write_csv_folder


def _audit(con, table: str) -> tuple[dict, dict]:
    before, after = con.execute(
        "SELECT before_json, after_json FROM audit_log WHERE table_name = ? AND action = 'import'"
        " ORDER BY audit_id DESC LIMIT 1",
        [table],
    ).fetchall()[0]
    return json.loads(before), json.loads(after)


def test_reimport_records_exactly_the_ids_added_changed_and_removed(tmp_path):
    con = open_database(":memory:")
    try:
        import_path(con, write_csv_folder(tmp_path / "first", valid_tables()), actor="test", source="测试")
        tables = valid_tables()
        projects = {p["project_id"]: p for p in tables["projects"]}
        projects["P001"]["name"] = "年产两万吨新材料项目"  # changed
        added = {**projects.pop("P003"), "project_id": "P004"}  # P003 removed, P004 added
        tables["projects"] = [*projects.values(), added]
        tables["fund_arrivals"][1]["amount_wan"] = "1300"  # P002's arrival of 2024-06-15, re-stated
        tables["targets"].append(
            {"year": "2025", "scope": "county", "metric": "signed_projects", "value": "35"}
        )
        import_path(con, write_csv_folder(tmp_path / "second", tables), actor="office", source="导入")

        before, after = _audit(con, "projects")
        assert before == {"rows": 3}
        assert after == {"rows": 3, "added": ["P004"], "changed": ["P001"], "removed": ["P003"]}
        # a keyless table: the re-stated arrival is one row removed and one added
        assert _audit(con, "fund_arrivals")[1] == {
            "rows": 2,
            "added": ["P002|2024-06-15"],
            "changed": [],
            "removed": ["P002|2024-06-15"],
        }
        assert _audit(con, "targets")[1] == {
            "rows": 5,
            "added": ["2025|county|signed_projects"],
            "changed": [],
            "removed": [],
        }
        assert _audit(con, "leads")[1] == {"rows": 2, "added": [], "changed": [], "removed": []}
    finally:
        con.close()
