"""What the demo county is designed to show in its current year (the year of ``today``).

The roles, weights and wished-for statuses the generator shapes its data and fits its targets to;
nothing here computes a metric (the fitting reads every number from ``analytics.metrics``).
"""

from __future__ import annotations

from analytics.demo import names as N

FIRST_YEAR = 2022
SIGNINGS_PER_YEAR = 50
INDEPENDENT_LEADS_PER_YEAR = 115
PROBLEMS_PER_SCALE = 40
CNY_PER_USD = 7.1  # 万元 per 万美元

# Current-year role of each unit; everything not listed is "normal".
ROLES: dict[str, str] = {
    "t02": "leader",
    "t01": "strong",
    "t04": "weak",
    "t05": "snail",
    "t09": "leader",
    "t10": "weak",
    "t11": "snail",
    "d08": "strong",
    "d11": "strong",
    "d19": "strong",
    "d04": "weak",
    "d13": "weak",
    "d16": "weak",
    "d09": "weak",
}
ROLE_ACTIVITY = {"leader": 1.35, "strong": 1.15, "normal": 1.0, "weak": 0.6, "snail": 0.35}
ZERO_TARGET = ("d05", "valid_leads")  # target 0: the indicator is left out of the unit's score
MISSING_TARGET = ("d12", "in_stats_projects")  # no target row at all
FX_UNIT = "t01"  # gets the ≥ 600 万美元 single FX arrival of the current year

# The mid-year public statement (METRICS.md §4): on the check day the two lowest departments are
# STATEMENT_LOWEST, and the two next ones are equal on the whole order key (STATEMENT_TIE), so the
# tie reaches the limit of three departments and admits both.
STATEMENT_LOWEST = ("d09", "d16")
STATEMENT_TIE = ("d04", "d13")

# Squads with their own targets (METRICS.md §5 v2): met, or missed. s06 has none (its deposit's
# refund is then undecided).
SQUADS_MET = ("s03", "s04")
SQUADS_MISSED = ("s01", "s02", "s05")

# How strongly each unit brings in projects (uneven on purpose); departments default to DEPT_WEIGHT.
PROJECT_WEIGHTS: dict[str, float] = {
    "t01": 1.6, "t02": 2.2, "t03": 1.2, "t04": 1.0, "t05": 0.7, "t06": 0.9,
    "t07": 0.8, "t08": 0.6, "t09": 1.1, "t10": 0.5, "t11": 0.35, "t12": 0.6,
    "d18": 1.2, "d19": 1.0, "d08": 0.8, "d20": 0.6, "d11": 0.5, "d01": 0.5,
}  # fmt: skip
DEPT_WEIGHT = 0.35

# Desired status of each county metric for the current year, as of ``today``.
COUNTY_DESIGN: dict[str, str] = {
    "signed_projects": "on_track",
    "foreign_firms": "met",
    "export_producers": "behind",
    "projects_100m": "on_track",
    "top_companies": "met",
    "projects_5020": "far_behind",
    "in_stats_investment_wan": "behind",
    "in_stats_projects_100m": "on_track",
    "in_stats_projects_2b": "met",
    "fdi_usd_wan": "on_track",
    "fx_usd_wan": "met",
    "out_of_province_funds_wan": "far_behind",
    "trade_usd_wan": "on_track",
}

INDUSTRY = {i[0]: i for i in N.INDUSTRIES}
KEY_INDUSTRIES = {i[0] for i in N.INDUSTRIES if i[2]}
INDUSTRIAL = {i[0] for i in N.INDUSTRIES if i[3]}
SQUAD_INDUSTRY = {s[0]: s[3] for s in N.SQUADS}
DEPT_SQUAD = {d[0]: d[2] for d in N.DEPARTMENTS}
TOWNSHIP_IDS = [t[0] for t in N.TOWNSHIPS]
DEPARTMENT_IDS = [d[0] for d in N.DEPARTMENTS]
UNIT_IDS = TOWNSHIP_IDS + DEPARTMENT_IDS
TOWNSHIP_CLASS = {t[0]: t[2] for t in N.TOWNSHIPS}
CHAIN_SQUADS = [s[0] for s in N.SQUADS if s[2] == "industry_chain"]
