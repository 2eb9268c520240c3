"""Evidence for verification: type and size checked by content, stored once by SHA-256 beside the
database, attached only by those who may, and carried byte for byte through backup → restore."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.data import backup, evidence
from analytics.data.store import open_database
from analytics.entry import verification
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, CLERK_T02, LEADER, OFFICE, VIEWER, small_county

STATS = User("tjj_verifier", "统计局核验员", "verifier", "tjj")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF-photo-of-the-site" * 100
PDF = b"%PDF-1.7\n" + "施工许可证".encode() * 50 + b"\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path / "live"))
    entry.update_project_stages(connection, CLERK_T01, "p1", 1, commenced_date=date(2026, 4, 1))
    entry.update_project_stages(connection, CLERK_T02, "p2", 1, in_stats_date=date(2026, 5, 1))
    entry.save_setting(
        connection,
        OFFICE,
        "verifier_units",
        {"in_stats": "tjj", "commenced": "office", "production": "office", "fund_arrival": "office"},
        None,
    )
    yield connection
    connection.close()


def stored_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"just some text, named like a photo", "不是图片"),  # the name does not decide
        ("report.pdf", b"PK\x03\x04 a zip file", "不是图片"),
        ("empty.png", b"", "空文件"),
        ("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024), "超过 20 MB"),  # 20 MB + 3 bytes
    ],
)
def test_anything_but_an_image_or_pdf_up_to_20_mb_is_refused(
    con: duckdb.DuckDBPyConnection, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(evidence.EvidenceError, match=message):
        verification.attach_evidence(con, CLERK_T01, "commenced", "p1", name, data)
    assert con.execute("SELECT count(*) FROM evidence").fetchall() == [(0,)]
    assert not evidence.evidence_folder(con).exists()


def test_exactly_20_mb_is_accepted(con: duckdb.DuckDBPyConnection) -> None:
    data = b"%PDF-" + b"\x00" * (20 * 1024 * 1024 - 5)
    verification.attach_evidence(con, OFFICE, "commenced", "p1", "big.pdf", data)
    assert con.execute("SELECT size_bytes, media_type FROM evidence").fetchall() == [
        (20 * 1024 * 1024, "application/pdf")
    ]


def test_files_are_stored_once_under_their_hash(con: duckdb.DuckDBPyConnection) -> None:
    for name, data in [("a.png", PNG), ("b.jpg", JPEG), ("c.webp", WEBP), ("again.png", PNG)]:
        verification.attach_evidence(con, CLERK_T01, "commenced", "p1", name, data)
    folder = evidence.evidence_folder(con)
    assert folder == evidence.database_file(con).with_name("county.evidence")
    expected = {hashlib.sha256(d).hexdigest(): d for d in (PNG, JPEG, WEBP)}
    assert stored_files(folder) == expected  # three files for four attachments
    rows = verification.evidence_of(con, "commenced", "p1")
    assert list(rows["file_name"]) == ["a.png", "b.jpg", "c.webp", "again.png"]
    assert list(rows["media_type"]) == ["image/png", "image/jpeg", "image/webp", "image/png"]
    assert verification.evidence_bytes(con, rows["sha256"][1]) == JPEG
    attach = con.execute(
        "SELECT actor, record_key, after_json FROM audit_log WHERE action = 'attach' ORDER BY audit_id"
    ).fetchall()
    assert [(a, k) for a, k, _ in attach] == [("clerk_t01", "commenced:p1")] * 4
    assert json.loads(attach[1][2])["sha256"] == hashlib.sha256(JPEG).hexdigest()


def test_a_damaged_file_is_reported_not_served(con: duckdb.DuckDBPyConnection) -> None:
    verification.attach_evidence(con, OFFICE, "commenced", "p1", "a.png", PNG)
    digest = hashlib.sha256(PNG).hexdigest()
    evidence.blob_path(evidence.evidence_folder(con), digest).write_bytes(PNG + b"x")
    with pytest.raises(evidence.EvidenceError, match="校验值不符"):
        verification.evidence_bytes(con, digest)


@pytest.mark.parametrize(
    ("user", "kind", "key"),
    [
        (CLERK_T02, "commenced", "p1"),  # another unit's project
        (STATS, "commenced", "p1"),  # a verifier of another kind
        (LEADER, "commenced", "p1"),
        (VIEWER, "in_stats", "p2"),
    ],
)
def test_only_the_unit_its_verifier_or_the_office_attach(
    con: duckdb.DuckDBPyConnection, user: User, kind: str, key: str
) -> None:
    with pytest.raises(PermissionDenied, match="无权上传核验材料"):
        verification.attach_evidence(con, user, kind, key, "a.png", PNG)
    assert con.execute("SELECT count(*) FROM evidence").fetchall() == [(0,)]


def test_the_unit_the_verifier_and_the_office_attach(con: duckdb.DuckDBPyConnection) -> None:
    verification.attach_evidence(con, CLERK_T02, "in_stats", "p2", "a.png", PNG)
    verification.attach_evidence(con, STATS, "in_stats", "p2", "b.pdf", PDF)
    verification.attach_evidence(con, OFFICE, "commenced", "p1", "c.jpg", JPEG)
    assert con.execute(
        "SELECT uploaded_by, kind, record_key FROM evidence ORDER BY evidence_id"
    ).fetchall() == [
        ("clerk_t02", "in_stats", "p2"),
        ("tjj_verifier", "in_stats", "p2"),
        ("office", "commenced", "p1"),
    ]
    assert verification.queue(con, kinds=["in_stats"])["evidence_count"].tolist() == [2]


def test_evidence_survives_backup_and_restore_byte_for_byte(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    verification.attach_evidence(con, CLERK_T01, "commenced", "p1", "site.jpg", JPEG)
    verification.attach_evidence(con, STATS, "in_stats", "p2", "permit.pdf", PDF)
    folder = backup.backup_database(con, tmp_path / "backups", now=datetime(2026, 7, 1, 18, 0))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["evidence"] == {
        hashlib.sha256(JPEG).hexdigest(): len(JPEG),
        hashlib.sha256(PDF).hexdigest(): len(PDF),
    }

    target = tmp_path / "restored" / "county.duckdb"
    backup.restore_database(folder, target)
    restored = open_database(target)
    try:
        assert stored_files(evidence.folder_for(target)) == {
            hashlib.sha256(JPEG).hexdigest(): JPEG,
            hashlib.sha256(PDF).hexdigest(): PDF,
        }
        rows = verification.evidence_of(restored, "in_stats", "p2")
        assert list(rows["file_name"]) == ["permit.pdf"]
        assert verification.evidence_bytes(restored, rows["sha256"][0]) == PDF
    finally:
        restored.close()


def test_a_backup_with_altered_or_missing_evidence_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    verification.attach_evidence(con, CLERK_T01, "commenced", "p1", "site.jpg", JPEG)
    folder = backup.backup_database(con, tmp_path / "backups", now=datetime(2026, 7, 1, 18, 0))
    stored = folder / "evidence" / hashlib.sha256(JPEG).hexdigest()
    stored.write_bytes(JPEG[:-1] + b"!")
    with pytest.raises(backup.BackupError, match="核验材料"):
        backup.restore_database(folder, tmp_path / "r1.duckdb")
    stored.unlink()
    with pytest.raises(backup.BackupError, match="核验材料"):
        backup.restore_database(folder, tmp_path / "r2.duckdb")
    assert not (tmp_path / "r1.duckdb").exists() and not (tmp_path / "r2.duckdb").exists()


def test_the_backup_zip_carries_the_evidence(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    verification.attach_evidence(con, CLERK_T01, "commenced", "p1", "site.jpg", JPEG)
    name, data = backup.backup_zip_bytes(con)
    (tmp_path / name).write_bytes(data)
    unpacked = backup.unzip_backup(tmp_path / name, tmp_path / "unzipped")
    backup.restore_database(unpacked, tmp_path / "from_zip.duckdb")
    assert stored_files(evidence.folder_for(tmp_path / "from_zip.duckdb")) == {
        hashlib.sha256(JPEG).hexdigest(): JPEG
    }
