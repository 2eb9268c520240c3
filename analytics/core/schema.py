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
LONG_TEXT_MAX_CHARS = 2000  # free text: a problem's description, a project's note, a lead's content
TEXT_LIMITS = {ID: ID_MAX_CHARS, TEXT: NAME_MAX_CHARS}

MAX_SHEET_ROWS = 200_000  # data rows of one sheet or CSV file (the header row not counted)
MAX_SHEET_COLUMNS = 64  # columns of one sheet or CSV file (the widest table, projects, has 28)
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
LEAD_STAGE_CHOICES = {
    "contact": "初次接洽",
    "visit": "考察",
    "negotiating": "在谈",
    "signed": "已签约",
    "dropped": "终止",
}
PROBLEM_CATEGORY_CHOICES = {
    "planning": "规划",
    "land": "土地",
    "environment": "环保",
    "energy": "能评",
    "safety": "安全",
    "funding": "资金",
    "other": "其他",
}
# METRICS.md §8: the chain's optional steps and the approvals, as the milestones table records them.
MILESTONE_KIND_CHOICES = {
    "registered": "注册",
    "land": "供地",
    "planning_permit": "规划许可",
    "construction_permit": "施工许可",
    "env_assessment": "环评",
    "energy_assessment": "能评",
    "completed": "竣工",
    "full_production": "达产",
}

# METRICS.md §3, in its order: metric -> Chinese name.
COUNTY_METRICS: dict[str, str] = {
    "signed_projects": "新签约项目",
    "foreign_firms": "新引进外资企业",
    "export_producers": "新引进生产型出口企业",
    "projects_100m": "亿元以上项目",
    "top_companies": "央(国)企、民营100强",
    "projects_5020": '"5020"项目',
    "in_stats_investment_wan": "入统项目投资总额",
    "in_stats_projects_100m": "入统亿元以上项目",
    "in_stats_projects_2b": "入统20亿元以上重大项目",
    "fdi_usd_wan": "实际利用外资(万美元)",
    "fx_usd_wan": "现汇进资(万美元)",
    "out_of_province_funds_wan": "利用省外2000万元以上项目资金",
    "trade_usd_wan": "进出口总额(万美元)",
}
# METRICS.md §4: metric -> Chinese name.
UNIT_METRICS: dict[str, str] = {
    "signed_projects": "项目引进",
    "in_stats_projects": "项目入统",
    "valid_leads": "有效信息",
}
# METRICS.md §5 (v2): the unit metrics an industry-chain squad may have a target for.
SQUAD_METRICS: tuple[str, ...] = ("signed_projects", "in_stats_projects")


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
            # v2 (DATA_CONTRACT.md): optional in a file; an absent column is blank.
            _c("intermediary", "项目中介", TEXT, required=False),
            _c("is_major", "重大项目", BOOL),
            _c("in_stats_verified_on", "入统核验日期", DATE, required=False),
            _c("commenced_verified_on", "开工核验日期", DATE, required=False),
            _c("production_verified_on", "投产核验日期", DATE, required=False),
            _c("planned_commence_on", "计划开工日期", DATE, required=False),
            _c("planned_production_on", "计划投产日期", DATE, required=False),
            _c("responsible_unit_id", "责任单位", ID, required=False),
            _c("helper", "帮办专员", TEXT, required=False),
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
            _c("verified_on", "核验日期", DATE, required=False),
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
            _c("validated_on", "认定日期", DATE, required=False),
            _c("stage", "洽谈阶段", ENUM, required=False, choices=LEAD_STAGE_CHOICES),
            _c("stage_changed_on", "阶段日期", DATE, required=False),
            # What a county records with a lead (optional; an absent column is blank): who to call,
            # what the project is, where the investor comes from (省内 / 省外 / 境外 or a place).
            _c("contact_person", "联系人", TEXT, required=False),
            _c(
                "project_content",
                "项目内容",
                TEXT,
                required=False,
                max_chars=LONG_TEXT_MAX_CHARS,
                multiline=True,
            ),
            _c("investor_origin", "投资方来源", TEXT, required=False),
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
            _c("category", "问题类别", ENUM, required=False, choices=PROBLEM_CATEGORY_CHOICES),
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
    Table(
        "milestones",
        "项目节点",
        (
            _c("project_id", "项目编码", ID),
            _c("kind", "节点", ENUM, choices=MILESTONE_KIND_CHOICES),
            _c("planned_on", "计划日期", DATE, required=False),
            _c("done_on", "完成日期", DATE, required=False),
        ),
        key=("project_id", "kind"),
        optional=True,
    ),
    Table(
        "trade",
        "进出口",
        (
            _c("month", "月份", MONTH),
            _c("exports_usd_wan", "出口额(万美元)", MONEY, minimum=0),
            _c("imports_usd_wan", "进口额(万美元)", MONEY, minimum=0),
            _c("city_growth", "全市累计增幅", NUMBER, required=False),
        ),
        key=("month",),
        optional=True,
    ),
    Table(
        "tax_receipts",
        "项目税收",
        (
            _c("project_id", "项目编码", ID),
            _c("month", "月份", MONTH),
            _c("local_tax_wan", "地方实得税收(万元)", MONEY, minimum=0),
        ),
        key=("project_id", "month"),
        optional=True,
    ),
    Table(
        "deposits",
        "责任金",
        (
            _c("deposit_id", "编码", ID),
            _c("year", "年度", INT, minimum=1900, maximum=2200),
            _c("person", "缴纳人", TEXT),
            _c("role", "职务", TEXT, required=False),
            _c("scope", "考核对象", ID),
            _c("amount_yuan", "金额(元)", MONEY, minimum=0),
        ),
        key=("deposit_id",),
        optional=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
# Import order respects references: a table only references tables before it.
TABLE_ORDER: list[str] = [t.name for t in TABLES]


def column_constraint(column: Column) -> str:
    """NOT NULL for required columns; a bool is never null (blank = false, also for rows written
    before the column existed)."""
    if column.kind == BOOL:
        return " NOT NULL DEFAULT false"
    return " NOT NULL" if column.required else ""


def table_ddl(table: Table) -> str:
    """CREATE TABLE statement for a contract table (identifiers come from this module only).

    Keys are enforced by the importer and the forms rather than by PRIMARY KEY, because a
    replace-all import deletes and re-inserts the same keys inside one transaction.
    """
    cols = []
    for c in table.columns:
        sql_type = DUCKDB_TYPES[c.kind]
        cols.append(f"{c.name} {sql_type}{column_constraint(c)}")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n  " + ",\n  ".join(cols) + "\n)"
