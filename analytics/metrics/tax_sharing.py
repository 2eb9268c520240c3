"""METRICS.md §6, tax sharing (税收分成, v2): the introducing unit's share of a park project's local tax.

Per project in the park (``in_park``) and ``active`` at D, to its introducing unit: a township gets
``township_share`` (7:3), a department ``department_share`` (1:9) of Σ ``local_tax_wan`` of the
project's ``tax_receipts`` months in Y up to the month of min(D, Y-12-31) (that month in full, as
the trade months of §3), at most ``cap_wan`` per project per year. Exact decimals.

Decision where METRICS.md is silent: a project is listed when it has at least one receipt month
counted (a month of 0 tax included, so a recorded zero is visible); a park project without any
receipt in those months is not listed.
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.core.format import exact_decimal
from analytics.core.period import Period
from analytics.metrics import views

TAX_SQL = f"""
SELECT p.project_id, p.introducing_unit_id AS unit_id, u.kind AS unit_kind,
       {views.money_sum("r.local_tax_wan")} AS tax_wan
FROM tax_receipts AS r
JOIN projects AS p ON p.project_id = r.project_id
JOIN units AS u ON u.unit_id = p.introducing_unit_id
WHERE p.in_park AND {views.ACTIVE}
  AND r.month >= strftime(CAST($start AS DATE), '%Y-%m') AND r.month <= strftime(CAST($end AS DATE), '%Y-%m')
GROUP BY p.project_id, p.introducing_unit_id, u.kind
ORDER BY p.project_id
"""


def tax_shares(con: duckdb.DuckDBPyConnection, period: Period, policy: dict[str, Any]) -> list[dict]:
    """The §6 ``tax_sharing`` entries (``amount_exact`` a Decimal), by project_id."""
    cap = exact_decimal(policy["cap_wan"])
    shares = {
        "township": exact_decimal(policy["township_share"]),
        "department": exact_decimal(policy["department_share"]),
    }
    out = []
    for r in views.fetch_dicts(con, TAX_SQL, views.bind(period)):
        share = shares[r["unit_kind"]]
        out.append(
            {
                "project_id": r["project_id"],
                "unit_id": r["unit_id"],
                "tax_wan": r["tax_wan"],
                "share": share,
                "amount_exact": min(share * r["tax_wan"], cap),
            }
        )
    return out
