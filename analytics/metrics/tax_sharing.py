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

from decimal import Decimal
from typing import Any

import duckdb

from analytics.core.format import exact_decimal
from analytics.core.period import Period
from analytics.metrics import views

# Per park project active at D: Σ local tax of its receipt months counted, as exact decimal text (a
# DECIMAL fetched as text and read by ``Decimal`` is exact and several times faster to fetch than
# DuckDB's own Decimal objects; thousands of park projects make it the report's largest list).
TAX_SQL = f"""
WITH receipts AS (
    SELECT project_id, {views.money_sum("local_tax_wan")} AS tax_wan
    FROM tax_receipts
    WHERE month >= strftime(CAST($start AS DATE), '%Y-%m') AND month <= strftime(CAST($end AS DATE), '%Y-%m')
    GROUP BY project_id
)
SELECT p.project_id, p.introducing_unit_id AS unit_id, u.kind AS unit_kind, CAST(r.tax_wan AS VARCHAR) AS tax_wan
FROM receipts AS r
JOIN projects AS p ON p.project_id = r.project_id
JOIN units AS u ON u.unit_id = p.introducing_unit_id
WHERE p.in_park AND {views.ACTIVE}
ORDER BY p.project_id
"""


def tax_shares(con: duckdb.DuckDBPyConnection, period: Period, policy: dict[str, Any]) -> list[dict]:
    """The §6 ``tax_sharing`` entries, by project_id: the report's floats (``tax_wan``, ``share``,
    ``amount``) and ``amount_exact``, the Decimal the total adds."""
    cap = exact_decimal(policy["cap_wan"])
    exact_shares = {kind: exact_decimal(policy[f"{kind}_share"]) for kind in ("township", "department")}
    shares = {kind: (share, float(share)) for kind, share in exact_shares.items()}
    out = []
    for project_id, unit_id, unit_kind, tax_text in views.fetch_rows(con, TAX_SQL, views.bind(period)):
        share, share_float = shares[unit_kind]
        amount = min(share * Decimal(tax_text), cap)
        out.append(
            {
                "project_id": project_id,
                "unit_id": unit_id,
                "tax_wan": float(tax_text),
                "share": share_float,
                "amount": float(amount),
                "amount_exact": amount,
            }
        )
    return out
