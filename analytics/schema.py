"""The data contract (DATA_CONTRACT.md) as data: tables, columns, Chinese aliases, kinds.

One definition serves the importer, the exporter, the database DDL, the demo generator
and the clerk-facing documentation, so the format is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Value kinds of the contract. Each maps to one parser in the importer and one DuckDB type.
ID, TEXT, MONEY, DATE, DATETIME, BOOL, ENUM, INT, MONTH, NUMBER = (
    "id",
    "text",
    "money",
    "date",
    "datetime",
    "bool",
    "enum",
    "int",
    "month",
    "number",
)

DUCKDB_TYPES = {
    ID: "VARCHAR",
    TEXT: "VARCHAR",
    MONEY: "DOUBLE",
    DATE: "DATE",
    DATETIME: "TIMESTAMP",
    BOOL: "BOOLEAN",
    ENUM: "VARCHAR",
    INT: "INTEGER",
    MONTH: "VARCHAR",
    NUMBER: "DOUBLE",
}


# ---------------------------------------------------------------------------------------------
# Limits (docs/data-format.md, "上限"): what one import, upload or form may hold. One place.
# ---------------------------------------------------------------------------------------------
ID_MAX_CHARS = 64  # every id column (编码)
NAME_MAX_CHARS = 200  # names, companies, people, cities: every short text column
LONG_TEXT_MAX_CHARS = 2000  # free text: a problem's description, a project's note
TEXT_LIMITS = {ID: ID_MAX_CHARS, TEXT: NAME_MAX_CHARS}

MAX_SHEET_ROWS = 200_000  # data rows of one sheet or CSV file (the header row not counted)
MAX_SHEET_COLUMNS = 64  # columns of one sheet or CSV file (the widest table has 19)
MAX_UPLOAD_MB = 20  # one uploaded workbook (also server.maxUploadSize in .streamlit/config.toml)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UNPACKED_MB = 512  # a workbook's unpacked XML, all parts together; also one CSV file
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
MAX_SHARED_STRINGS = 5_000_000  # distinct texts a workbook may declare


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    kind: str
    required: bool = True
    # For ENUM: code -> Chinese label. Either is accepted on import; the code is stored.
    choices: dict[str, str] = field(default_factory=dict)
    # For MONEY / NUMBER / INT: inclusive lower bound, and whether 0 itself is allowed.
    minimum: float | None = None
    strictly_positive: bool = False
    maximum: float | None = None
    # For ID / TEXT: the most characters a value may have (None: the kind's default in
    # TEXT_LIMITS), and whether line breaks and tabs are allowed (long free text only).
    max_chars: int | None = None
    multiline: bool = False

    @property
    def char_limit(self) -> int | None:
        """The most characters a value of this column may have (None: not a text column)."""
        return self.max_chars if self.max_chars is not None else TEXT_LIMITS.get(self.kind)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    optional: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SOURCE_CHOICES = {"in_province": "省内", "out_of_province": "省外", "foreign": "外资"}
COMPANY_RANK_CHOICES = {
    "world500": "世界500强",
    "china500": "中国500强",
    "central_soe": "央企/国企",
    "private_top100": "民营100强",
}
SQUAD_KIND_CHOICES = {"industry_chain": "产业链", "stationed": "驻点"}
UNIT_KIND_CHOICES = {"township": "乡镇", "department": "县直部门"}
TOWNSHIP_CLASS_CHOICES = {"1": "一类", "2": "二类"}
TIER_CHOICES = {"general": "一般", "important": "重要", "major": "重大"}
STATUS_CHOICES = {"pending": "待认定", "valid": "有效", "invalid": "无效"}

# METRICS.md §3, in its order: metric -> Chinese name.
COUNTY_METRICS: dict[str, str] = {
    "signed_projects": "新签约项目",
    "foreign_firms": "新引进外资企业",
    "export_producers": "新引进生产型出口企业",
    "projects_100m": "亿元以上项目",
    "top_companies": "央企/国企、民营100强、500强",
    "projects_5020": '"5020"项目',
    "in_stats_investment_wan": "入统项目投资总额",
    "in_stats_projects_100m": "入统亿元以上项目",
    "in_stats_projects_2b": "入统20亿元以上重大项目",
    "fdi_usd_wan": "实际利用外资(万美元)",
    "fx_usd_wan": "现汇进资(万美元)",
    "out_of_province_funds_wan": "利用省外2000万元以上项目资金",
}
# METRICS.md §4: metric -> Chinese name.
UNIT_METRICS: dict[str, str] = {
    "signed_projects": "项目引进",
    "in_stats_projects": "项目入统",
    "valid_leads": "有效信息",
}


def _c(name: str, zh: str, kind: str, **kw) -> Column:
    return Column(name, zh, kind, **kw)


TABLES: tuple[Table, ...] = (
    Table(
        "industries",
        "产业",
        (
            _c("industry_id", "产业编码", ID),
            _c("name", "产业名称", TEXT),
            _c("is_key", "重点产业", BOOL),
            _c("is_industrial", "工业", BOOL),
        ),
        key=("industry_id",),
    ),
    Table(
        "squads",
        "招商小分队",
        (
            _c("squad_id", "小分队编码", ID),
            _c("name", "小分队名称", TEXT),
            _c("kind", "类型", ENUM, choices=SQUAD_KIND_CHOICES),
            _c("industry_id", "产业编码", ID, required=False),
            _c("leader", "牵头领导", TEXT),
            _c("station_city", "驻点城市", TEXT, required=False),
        ),
        key=("squad_id",),
    ),
    Table(
        "units",
        "考核单位",
        (
            _c("unit_id", "单位编码", ID),
            _c("name", "单位名称", TEXT),
            _c("kind", "类型", ENUM, choices=UNIT_KIND_CHOICES),
            _c("township_class", "乡镇类别", ENUM, required=False, choices=TOWNSHIP_CLASS_CHOICES),
            _c("squad_id", "所属小分队", ID, required=False),
        ),
        key=("unit_id",),
    ),
    Table(
        "projects",
        "项目",
        (
            _c("project_id", "项目编码", ID),
            _c("name", "项目名称", TEXT),
            _c("company", "投资企业", TEXT),
            _c("industry_id", "产业编码", ID),
            _c("total_investment_wan", "总投资(万元)", MONEY, minimum=0, strictly_positive=True),
            _c("source", "资金来源", ENUM, choices=SOURCE_CHOICES),
            _c("is_export_producer", "生产型出口企业", BOOL),
            _c("company_rank", "企业层级", ENUM, required=False, choices=COMPANY_RANK_CHOICES),
            _c("is_5020", "5020项目", BOOL),
            _c("introducing_unit_id", "引进单位", ID),
            _c("township_id", "落户乡镇", ID, required=False),
            _c("in_park", "入园", BOOL),
            _c("leader_in_charge", "挂包县领导", TEXT, required=False),
            _c("signed_date", "签约日期", DATE),
            _c("in_stats_date", "入统日期", DATE, required=False),
            _c("commenced_date", "开工日期", DATE, required=False),
            _c("production_date", "投产日期", DATE, required=False),
            _c("written_off_date", "核销日期", DATE, required=False),
            _c("note", "备注", TEXT, required=False, max_chars=LONG_TEXT_MAX_CHARS, multiline=True),
        ),
        key=("project_id",),
    ),
    Table(
        "fund_arrivals",
        "资金到位",
        (
            _c("project_id", "项目编码", ID),
            _c("date", "到位日期", DATE),
            _c("amount_wan", "到位资金(万元)", MONEY, minimum=0),
            _c("fixed_asset_wan", "其中固定资产投资(万元)", MONEY, minimum=0),
            _c("fdi_usd_wan", "实际利用外资(万美元)", MONEY, minimum=0),
            _c("fx_usd_wan", "其中现汇进资(万美元)", MONEY, minimum=0),
        ),
        key=(),
    ),
    Table(
        "leads",
        "招商信息",
        (
            _c("lead_id", "信息编码", ID),
            _c("reported_at", "报送时间", DATETIME),
            _c("reporter_unit_id", "报送单位", ID),
            _c("company", "意向企业", TEXT),
            _c("industry_id", "产业编码", ID),
            _c("intended_investment_wan", "意向投资(万元)", MONEY, minimum=0),
            _c("tier", "信息等级", ENUM, choices=TIER_CHOICES),
            _c("status", "认定状态", ENUM, choices=STATUS_CHOICES),
            _c("project_id", "转化项目", ID, required=False),
        ),
        key=("lead_id",),
    ),
    Table(
        "targets",
        "目标任务",
        (
            _c("year", "年度", INT, minimum=1900, maximum=2200),
            _c("scope", "对象", ID),
            _c(
                "metric",
                "指标",
                ENUM,
                choices={**COUNTY_METRICS, **UNIT_METRICS},
            ),
            _c("value", "目标值", NUMBER, minimum=0),
        ),
        key=("year", "scope", "metric"),
    ),
    Table(
        "problems",
        "问题清单",
        (
            _c("problem_id", "问题编码", ID),
            _c("project_id", "项目编码", ID),
            _c("raised_on", "提出日期", DATE),
            _c("description", "问题描述", TEXT, max_chars=LONG_TEXT_MAX_CHARS, multiline=True),
            _c("responsible_unit_id", "责任单位", ID),
            _c("due_date", "办结时限", DATE),
            _c("resolved_on", "办结日期", DATE, required=False),
        ),
        key=("problem_id",),
        optional=True,
    ),
    Table(
        "station_reports",
        "驻点月报",
        (
            _c("squad_id", "小分队编码", ID),
            _c("month", "月份", MONTH),
            _c("member", "队员", TEXT),
            _c("days_on_post", "驻点天数", INT, minimum=0, maximum=31),
        ),
        key=("squad_id", "month", "member"),
        optional=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
# Import order respects references: a table only references tables before it.
TABLE_ORDER: list[str] = [t.name for t in TABLES]


def table_ddl(table: Table) -> str:
    """CREATE TABLE statement for a contract table (identifiers come from this module only).

    Keys are enforced by the importer and the forms rather than by PRIMARY KEY, because a
    replace-all import deletes and re-inserts the same keys inside one transaction.
    """
    cols = []
    for c in table.columns:
        sql_type = DUCKDB_TYPES[c.kind]
        not_null = " NOT NULL" if (c.required or c.kind == BOOL) else ""
        cols.append(f"{c.name} {sql_type}{not_null}")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n  " + ",\n  ".join(cols) + "\n)"
