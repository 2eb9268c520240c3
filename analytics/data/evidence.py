"""Evidence for verification (核验): photos and PDFs attached to a milestone, kept beside the database.

The files live in a content-addressed folder next to the database file (``county.duckdb`` →
``county.evidence/``), each named by the SHA-256 of its bytes, so a file is stored once however often
it is attached and its name proves its content. The ``evidence`` table records which milestone each
file belongs to, its hash, the name it was uploaded under and who uploaded it.

Only JPEG, PNG, WebP and PDF are accepted, recognised by their content (magic bytes, never by the
file name), and 20 MB at most; anything else is refused with a Chinese message.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.core.schema import MAX_UPLOAD_BYTES

MAX_BYTES = MAX_UPLOAD_BYTES  # 20 MB, the same limit as every upload
MAX_NAME_CHARS = 120
MEDIA_TYPES: dict[str, str] = {
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/webp": "WebP 图片",
    "application/pdf": "PDF 文件",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EvidenceError(ValueError):
    """Evidence refused or unreadable; the message is Chinese, for the screen. Nothing was stored."""


def media_type(data: bytes) -> str | None:
    """The media type ``data`` really is (by its first bytes), or ``None`` if not an accepted one."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_file(file_name: str, data: bytes) -> tuple[str, str]:
    """The cleaned file name and the media type of an upload; ``EvidenceError`` when refused."""
    name = _CONTROL.sub("", Path(str(file_name or "")).name).strip() or "未命名"
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME_CHARS - len(ext) - 1] + dot + ext) if dot else name[:MAX_NAME_CHARS]
    if not data:
        raise EvidenceError(f"文件 {name} 是空文件,未保存。")
    if len(data) > MAX_BYTES:
        raise EvidenceError(
            f"文件 {name} 大小 {len(data) / 1024 / 1024:.1f} MB,超过 {MAX_BYTES // 1024 // 1024} MB 上限,未保存。"
        )
    kind = media_type(data)
    if kind is None:
        raise EvidenceError(
            f"文件 {name} 不是图片(JPEG、PNG、WebP)或 PDF(按文件内容识别,与扩展名无关),未保存。"
        )
    return name, kind


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of ``con``'s database (``None`` for an in-memory one)."""
    rows = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def folder_for(db_file: Path | str) -> Path:
    """The evidence folder of a database file: beside it, ``<name>.evidence``."""
    path = Path(db_file)
    return path.with_name(f"{path.stem}.evidence")


def evidence_folder(con: duckdb.DuckDBPyConnection) -> Path:
    db_file = database_file(con)
    if db_file is None:
        raise EvidenceError("内存数据库不能保存核验材料:请使用数据库文件。")
    return folder_for(db_file)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(folder: Path, sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise EvidenceError(f"核验材料编号 {sha256!r} 无效。")
    return folder / sha256[:2] / sha256


def write_blob(folder: Path, data: bytes) -> str:
    """Store ``data`` in ``folder`` under its SHA-256 (once; written atomically); the hash."""
    digest = sha256_of(data)
    target = blob_path(folder, digest)
    if target.is_file() and sha256_of(target.read_bytes()) == digest:
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{digest}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return digest


def read_blob(folder: Path, sha256: str) -> bytes:
    """The bytes stored under ``sha256``, checked against it."""
    path = blob_path(folder, sha256)
    if not path.is_file():
        raise EvidenceError(f"核验材料文件 {sha256[:12]}… 不在材料目录 {folder} 中。")
    data = path.read_bytes()
    if sha256_of(data) != sha256:
        raise EvidenceError(f"核验材料文件 {sha256[:12]}… 的内容与其校验值不符,文件已损坏或被改动。")
    return data


def add_row(
    cur: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    record_key: str,
    project_id: str,
    sha256: str,
    file_name: str,
    media: str,
    size_bytes: int,
    uploaded_by: str,
) -> int:
    """Record an attached file (inside the caller's transaction); its ``evidence_id``."""
    rows = cur.execute(
        "INSERT INTO evidence (kind, record_key, project_id, sha256, file_name, media_type, size_bytes,"
        " uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING evidence_id",
        [kind, record_key, project_id, sha256, file_name, media, size_bytes, uploaded_by],
    ).fetchall()
    return int(rows[0][0])


def evidence_rows(
    con: duckdb.DuckDBPyConnection, kind: str | None = None, record_key: str | None = None
) -> pd.DataFrame:
    """The attached files (of one milestone when ``kind`` and ``record_key`` are given), oldest first."""
    clauses, params = ["TRUE"], []
    if kind is not None:
        clauses.append("kind = ?")
        params.append(kind)
    if record_key is not None:
        clauses.append("record_key = ?")
        params.append(record_key)
    return con.execute(
        "SELECT evidence_id, kind, record_key, project_id, sha256, file_name, media_type, size_bytes,"
        f" uploaded_by, uploaded_at FROM evidence WHERE {' AND '.join(clauses)} ORDER BY evidence_id",
        params,
    ).df()


def stored_hashes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every hash the database refers to, sorted (what a backup must carry)."""
    return [r[0] for r in con.execute("SELECT DISTINCT sha256 FROM evidence ORDER BY 1").fetchall()]


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def file_info(row: Any) -> str:
    """A one-line description of an attached file for the screen."""
    kind = MEDIA_TYPES.get(row["media_type"], row["media_type"])
    return f"{row['file_name']}({kind},{size_text(int(row['size_bytes']))})"
