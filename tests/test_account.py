"""The year-end account (年度总账) of the demo county: Word and Excel re-opened and checked against the
``report`` as of 12-31; sign-off, the drift warning after a backdated edit, re-sign; permissions."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook

from analytics.access.permissions import PermissionDenied, can_open_page
from analytics.access.users import User
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import ledger
from analytics.data import snapshots as stored
from analytics.data.store import open_database
from analytics.documents.account import RANKING_HEADER, REWARD_HEADER, account_docx, account_xlsx
from analytics.documents.typography import gongwen
from analytics.entry.year_end import YearEndError, record_payment, sign_account, snapshot_on_demand
from analytics.metrics.report import build_report
from analytics.screens.account import NoDataForYear, year_account
from tests.demo_db import build_demo_database

OFFICE = User("office1", "县招商办", "office")
LEADER = User("leader1", "县领导", "leader")
CLERK = User("clerk1", "填报员", "clerk", unit_id="t01")
VIEWER = User("screen", "投屏", "viewer")
TODAY = date(2026, 11, 20)  # the demo's last day of data


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_database(tmp_path_factory.mktemp("account_demo"))


@pytest.fixture
def demo(demo_path: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A private copy of the demo county (tests here write to it)."""
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_path, copy)
    con = open_database(copy)
    yield con
    con.close()


def tables_with(document, header: tuple[str, ...]) -> list[list[list[str]]]:
    found = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if tuple(rows[0]) == tuple(gongwen(h) for h in header):  # the document is in 公文 typography
            found.append(rows[1:])
    return found


def test_account_figures_are_the_report_as_of_year_end(demo):
    report = build_report(demo, Period(2026, date(2026, 12, 31)), effective_settings(demo))
    account = year_account(demo, 2026, TODAY)
    names = dict(demo.execute("SELECT unit_id, name FROM units").fetchall())
    document = Document(io.BytesIO(account_docx(account, issued_on=TODAY)))

    printed = {row[1]: row for rows in tables_with(document, RANKING_HEADER) for row in rows}
    ranked = [u for u in report["units"] if u["rank"] is not None]
    assert ranked and len(printed) == len(report["units"])
    for u in ranked:
        row = printed[names[u["unit_id"]]]
        assert row[0].removeprefix("并列") == str(u["rank"])
        assert row[5] == f"{u['score']:.2f}"
        assert row[6] == ("完成" if u["completed"] else "未完成")
    shared = [
        u for u in ranked if sum(v["group"] == u["group"] and v["rank"] == u["rank"] for v in ranked) > 1
    ]
    assert all(printed[names[u["unit_id"]]][0].startswith("并列") for u in shared)

    rewards = tables_with(document, REWARD_HEADER)[0]
    lines, totals = rewards[:-3], {r[0]: r[3] for r in rewards[-3:]}
    total = report["rewards"]["total"]
    assert totals["合计"] == f"{total:,.2f}"
    assert abs(sum(float(r[3].replace(",", "")) for r in lines) - total) < 0.005 * max(len(lines), 1)
    text = "\n".join(p.text for p in document.paragraphs)
    snails = [names[u["unit_id"]] for u in report["units"] if "snail" in u["awards"]]
    interview = next(p for p in text.splitlines() if p.startswith("县委县政府主要领导约谈"))
    assert snails and all(name in interview for name in snails)
    assert "2026年尚未结束" in text  # provisional before the year is over

    book = load_workbook(io.BytesIO(account_xlsx(account)))
    sheet = book["奖励与奖金"]
    values = [(r[0], r[3]) for r in sheet.iter_rows(min_row=5, values_only=True)]
    amounts = [a for label, a in values if label not in ("合计", "其中:已发放", "其中:待发放")]
    assert sum(amounts) == pytest.approx(total, abs=1e-9)
    assert dict(values)["合计"] == pytest.approx(total, abs=1e-9)
    deposits = {r[0]: r[1] for r in book["责任金"].iter_rows(min_row=5, values_only=True)}
    assert deposits["合计缴纳"] == report["deposits"]["held_yuan"]
    assert deposits["其中:不予退还(上缴县财政)"] == report["deposits"]["forfeited_yuan"]


def test_a_signed_account_shows_the_drift_after_a_backdated_edit(demo):
    snapshot_id = sign_account(demo, OFFICE, 2025, today=date(2026, 1, 10))
    signed = year_account(demo, 2025, TODAY)
    assert signed.signed and signed.snapshot.snapshot_id == snapshot_id and not signed.drift
    leader = next(r for r in signed.rankings if r["group"] == "township_1" and r["rank"] == 1)

    # A backdated edit: the leading township's 2025 signing target raised to 1000 (its score collapses).
    demo.execute(
        "UPDATE targets SET value = 1000 WHERE year = 2025 AND scope = ? AND metric = 'signed_projects'",
        [leader["unit_id"]],
    )
    after = year_account(demo, 2025, TODAY)
    assert after.data_changed
    assert any(line.startswith(f"{leader['name']}:名次 1 → ") for line in after.drift)
    # The year's results stay the signed snapshot's.
    assert next(r for r in after.rankings if r["unit_id"] == leader["unit_id"])["rank"] == 1
    text = "\n".join(p.text for p in Document(io.BytesIO(account_docx(after))).paragraphs)
    assert "【注意】签署后数据有变动" in text and leader["name"] in text

    # Signing again needs an explicit re-sign with a reason; then the new data is the year's result.
    with pytest.raises(YearEndError, match="已于"):
        sign_account(demo, OFFICE, 2025, today=date(2026, 1, 11))
    with pytest.raises(YearEndError, match="理由"):
        sign_account(demo, OFFICE, 2025, resign=True, today=date(2026, 1, 11))
    sign_account(demo, OFFICE, 2025, resign=True, reason="目标任务更正", today=date(2026, 1, 11))
    resigned = year_account(demo, 2025, TODAY)
    assert not resigned.drift and resigned.signoff.reason == "目标任务更正"
    assert next(r for r in resigned.rankings if r["unit_id"] == leader["unit_id"])["rank"] != 1
    actions = demo.execute(
        "SELECT action FROM audit_log WHERE table_name = 'account_signoffs' ORDER BY audit_id"
    ).fetchall()
    assert actions == [("sign",), ("resign",)]


def test_the_year_must_be_over_before_signing(demo):
    with pytest.raises(YearEndError, match="尚未结束"):
        sign_account(demo, OFFICE, 2026, today=date(2026, 12, 31))


def test_a_year_with_no_data_has_no_account(demo):
    with pytest.raises(NoDataForYear, match="2019 年没有目标任务"):
        year_account(demo, 2019, TODAY)


def test_a_recorded_payment_is_shown_paid_and_not_recorded_twice(demo):
    account = year_account(demo, 2026, TODAY)
    item = account.rewards[0]
    record_payment(
        demo,
        OFFICE,
        year=2026,
        reward=item["reward"],
        subject=item["subject"],
        payee=item["payee"],
        amount_wan=item["amount"],
        paid_on=date(2026, 11, 1),
        today=TODAY,
    )
    again = year_account(demo, 2026, TODAY)
    row = next(r for r in again.rewards if (r["reward"], r["subject"]) == (item["reward"], item["subject"]))
    assert (row["status"], row["paid_on"], row["recorded_by"]) == ("paid", date(2026, 11, 1), "office1")
    assert again.reward_totals()["paid"] == pytest.approx(item["amount"])
    with pytest.raises(YearEndError, match="不能重复登记"):
        record_payment(
            demo,
            OFFICE,
            year=2026,
            reward=item["reward"],
            subject=item["subject"],
            payee=item["payee"],
            amount_wan=item["amount"],
            paid_on=date(2026, 11, 2),
            today=TODAY,
        )


@pytest.mark.parametrize("user", [CLERK, VIEWER, LEADER], ids=lambda u: u.role)
def test_only_the_office_signs_snapshots_or_records_payments(demo, user):
    counts = demo.execute(
        "SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM account_signoffs),"
        " (SELECT count(*) FROM reward_payments)"
    ).fetchall()
    with pytest.raises(PermissionDenied, match="无权操作"):
        sign_account(demo, user, 2025, today=date(2026, 1, 10))
    with pytest.raises(PermissionDenied, match="无权操作"):
        snapshot_on_demand(demo, user, 2026, TODAY)
    with pytest.raises(PermissionDenied, match="无权操作"):
        record_payment(
            demo,
            user,
            year=2026,
            reward="fdi",
            subject=ledger.COMMERCE,
            payee="x",
            amount_wan=1,
            paid_on=TODAY,
        )
    assert (
        demo.execute(
            "SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM account_signoffs),"
            " (SELECT count(*) FROM reward_payments)"
        ).fetchall()
        == counts
    )


def test_the_account_page_is_for_the_office_and_leaders():
    assert can_open_page(OFFICE, "account") and can_open_page(LEADER, "account")
    assert not can_open_page(CLERK, "account") and not can_open_page(VIEWER, "account")


def test_office_snapshot_on_demand_is_stored_with_its_label(demo):
    snapshot_id = snapshot_on_demand(demo, OFFICE, 2026, TODAY, "11月调度会")
    snap = stored.get_snapshot(demo, snapshot_id)
    assert (snap.kind, snap.label, snap.created_by, snap.as_of) == (
        "on_demand",
        "11月调度会",
        "office1",
        TODAY,
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装:.ci/run 会安装它")
def test_account_renders_to_pdf_with_libreoffice(demo, tmp_path):
    docx = tmp_path / "account.docx"
    docx.write_bytes(account_docx(year_account(demo, 2026, TODAY), issued_on=TODAY))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "account.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "2026年度招商引资工作总账" in text.replace(" ", "")
