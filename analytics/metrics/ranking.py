"""METRICS.md §4 (v2) decisions on scored units: the order key, shared ranks, awards, mid-year check.

Works on the unit records of ``analytics.metrics.units`` (exact ``score_exact`` and ``completions``;
``signed_investment_wan`` a Decimal). No id ever decides a rank, an award or a sanction: units equal on
the whole order key share a rank (1, 2, 2, 4), and every limit (advanced places, the snail, the
public statement) admits all units tied at it.

Order key, compared in turn, higher first: the score; then the uncapped completion of each
indicator in ``tie_breakers`` (an indicator not included counts as lowest, below a completion of
0); then ``signed_investment_wan``.

Choices where METRICS.md leaves one open:
- a township without a class (group ``township``) is ranked in its own group and gets no award;
  for ``statement_townships = "county"`` it is compared with every township, for ``"per_class"``
  within its own group;
- the snail goes to the units of the last rank even when that is rank 1 (a class of one unit that
  did not complete).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

# An indicator that is not included sorts below every completion (completions are ≥ 0).
NOT_INCLUDED = Fraction(-1)
AWARD_CLASSES = {"township_1": "1", "township_2": "2"}


def order_key(unit: dict, tie_breakers: list[str]) -> tuple | None:
    """The §4 order key of a scored unit (None for an unscored one): higher is better."""
    if unit["score_exact"] is None:
        return None
    completions = unit["completions"]
    return (
        unit["score_exact"],
        *(completions.get(metric, NOT_INCLUDED) for metric in tie_breakers),
        Fraction(unit["signed_investment_wan"]),
    )


def rank_group(members: list[dict], tie_breakers: list[str]) -> list[dict]:
    """Set ``order_key``, ``rank`` and ``tied`` on one group's units; return them in report order
    (rank, then unit_id; unranked units last, by unit_id)."""
    for unit in members:
        unit["order_key"] = order_key(unit, tie_breakers)
        unit["rank"], unit["tied"] = None, False
    ranked = [u for u in members if u["order_key"] is not None]
    for unit in ranked:
        unit["rank"] = 1 + sum(other["order_key"] > unit["order_key"] for other in ranked)
    for unit in ranked:
        unit["tied"] = any(other is not unit and other["rank"] == unit["rank"] for other in ranked)
    ranked.sort(key=lambda u: (u["rank"], u["unit_id"]))
    return ranked + sorted((u for u in members if u["order_key"] is None), key=lambda u: u["unit_id"])


def award_class(ranked: list[dict], advanced_places: int) -> None:
    """§4 awards of one township class (its ranked units): every rank-1 unit that completed is
    golden_horse; each completed unit with fewer than ``advanced_places`` completed units strictly
    better is advanced; every unit of the last rank that did not complete is snail."""
    if not ranked:
        return
    completed = [u for u in ranked if u["completed"]]
    last_rank = max(u["rank"] for u in ranked)
    for unit in ranked:
        awards = []
        if unit["rank"] == 1 and unit["completed"]:
            awards.append("golden_horse")
        if unit["completed"] and sum(o["order_key"] > unit["order_key"] for o in completed) < advanced_places:
            awards.append("advanced")
        if unit["rank"] == last_rank and not unit["completed"]:
            awards.append("snail")
        unit["awards"] = awards


def behind_half(unit: dict) -> bool:
    """Some included completion below one half."""
    return any(c < Fraction(1, 2) for c in unit["completions"].values())


def public_statement(at_check: list[dict], settings: dict[str, Any]) -> set[str]:
    """The unit_ids making the public statement, from the units as evaluated for (Y, C).

    Among the behind-half units: each department with fewer than ``statement_departments``
    behind-half departments strictly lower by order key, and each township with no behind-half
    township strictly lower (all townships together, or within its class for ``"per_class"``)."""
    behind = [u for u in at_check if u["order_key"] is not None and behind_half(u)]
    departments = [u for u in behind if u["kind"] == "department"]
    townships = [u for u in behind if u["kind"] == "township"]
    per_class = settings["statement_townships"] == "per_class"
    chosen = set()
    for unit in departments:
        lower = sum(o["order_key"] < unit["order_key"] for o in departments)
        if lower < settings["statement_departments"]:
            chosen.add(unit["unit_id"])
    for unit in townships:
        peers = [o for o in townships if o["group"] == unit["group"]] if per_class else townships
        if not any(o["order_key"] < unit["order_key"] for o in peers):
            chosen.add(unit["unit_id"])
    return chosen
