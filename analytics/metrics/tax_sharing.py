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

from fractions import Fraction
from typing import Any

import duckdb

from analytics.core.format import exact_decimal
from analytics.core.period import Period
from analytics.metrics import views

# Per park project active at D: Σ local tax of its receipt months counted, in exact integer
# millionths of 万元 (money is DECIMAL(38, 6); an integer is exact, and thousands of park projects
# make this the report's largest list, so its columns are fetched as arrays, not row by row).
MICRO = 10**6
TAX_SQL = f"""
WITH receipts AS (
    SELECT project_id, {views.money_sum("local_tax_wan")} AS tax_wan
    FROM tax_receipts
    WHERE month >= strftime(CAST($start AS DATE), '%Y-%m') AND month <= strftime(CAST($end AS DATE), '%Y-%m')
    GROUP BY project_id
)
SELECT p.project_id, p.introducing_unit_id AS unit_id, u.kind = 'township' AS is_township,
       CAST(r.tax_wan * {MICRO} AS BIGINT) AS tax_micro
FROM receipts AS r
JOIN projects AS p ON p.project_id = r.project_id
JOIN units AS u ON u.unit_id = p.introducing_unit_id
WHERE p.in_park AND {views.ACTIVE}
ORDER BY p.project_id
"""


def tax_shares(
    con: duckdb.DuckDBPyConnection, period: Period, policy: dict[str, Any]
) -> tuple[list[dict], Fraction]:
    """The §6 ``tax_sharing`` entries, by project_id, as the report prints them (``tax_wan``,
    ``share`` and ``amount`` as floats), and the exact Σ of their amounts that the total adds.

    Exact in integers: with share = a/b and cap = c/d, a project's amount is min(tax × a × d,
    c × MICRO × b) / (MICRO × b × d) for its tax in millionths; an integer quotient is correctly
    rounded to a float, as ``float(Decimal)`` is."""
    cap = Fraction(exact_decimal(policy["cap_wan"]))
    by_kind = {}  # is_township → (the multiplier of tax_micro, the cap on that scale, the scale, share)
    for kind in ("township", "department"):
        share = Fraction(exact_decimal(policy[f"{kind}_share"]))
        by_kind[kind == "township"] = (
            share.numerator * cap.denominator,
            cap.numerator * MICRO * share.denominator,
            MICRO * share.denominator * cap.denominator,
            float(share),
        )
    columns = views.fetch_columns(con, TAX_SQL, views.bind(period))
    entries, sums = [], dict.fromkeys(by_kind, 0)
    for project_id, unit_id, is_township, tax_micro in zip(
        columns["project_id"], columns["unit_id"], columns["is_township"], columns["tax_micro"], strict=True
    ):
        multiplier, capped, scale, share_float = by_kind[is_township]
        amount = min(tax_micro * multiplier, capped)
        sums[is_township] += amount
        entries.append(
            {
                "project_id": project_id,
                "unit_id": unit_id,
                "tax_wan": tax_micro / MICRO,
                "share": share_float,
                "amount": amount / scale,
            }
        )
    return entries, sum((Fraction(sums[kind], by_kind[kind][2]) for kind in by_kind), Fraction(0))
