"""``python -m analytics COMMAND``: import, export, demo, report, bench and the documents.

Exit codes: 0 success, 2 bad input or a storage fault (every error printed to stderr in plain
words), 1 anything else (one line; the traceback only with ``DASHBOARD_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path

import duckdb

from analytics.access.users import User
from analytics.cli_year_end import print_snapshot_report, take_due, warn_signed_drift
from analytics.cli_year_end import register as register_year_end
from analytics.data.store import (
    DatabaseLockedError,
    DatabaseMissingError,
    DatabaseUnusableError,
    open_database,
    storage_error_message,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _cmd_import(args: argparse.Namespace) -> int:
    from analytics.data.importer import ImportFailed, ShrinkRefused, import_path

    con = open_database(args.db)
    try:
        summary = import_path(
            con, Path(args.data), actor="cli", source="命令行导入", allow_shrink=args.allow_shrink
        )
    except ShrinkRefused as refused:
        print("各表行数 / rows per table (原有 → 导入后 / before → after):", file=sys.stderr)
        for change in refused.changes:
            mark = "  ← 需确认 / needs confirmation" if change.shrinks else ""
            print(f"  {change}{mark}", file=sys.stderr)
        print(
            "导入会清空数据表或使其减少一半以上,数据库未改动;确认无误后加 --allow-shrink 重新导入。 / "
            "The import would empty a table or remove more than half of its rows; the database is "
            "unchanged. Run it again with --allow-shrink if that is intended.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except ImportFailed as failed:
        for issue in failed.errors:
            print(issue, file=sys.stderr)
        print(
            f"导入失败,共 {len(failed.errors)} 处错误,数据库未改动。 / Import failed with "
            f"{len(failed.errors)} error(s); the database is unchanged.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    finally:
        con.close()
    print(summary)
    take_due(args.db)
    warn_signed_drift(args.db)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from analytics.data.exporter import export_dataset

    con = open_database(args.db, read_only=True)
    try:
        written = export_dataset(con, Path(args.out))
    finally:
        con.close()
    print(f"已导出到 / exported to {written}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from analytics.demo.generator import write_demo

    out = write_demo(Path(args.out), seed=args.seed, scale=args.scale, today=_parse_date(args.today))
    print(f"演示数据已写入 / demo dataset written to {out}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from analytics.core.period import Period
    from analytics.core.settings import SettingsError, effective_settings
    from analytics.data.importer import ImportFailed, load_into_memory
    from analytics.metrics.report import build_report

    if bool(args.data) == bool(args.db):
        print("请给出 --data 或 --db 之一 / give exactly one of --data or --db", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.snapshot is not None:
        if not args.db or args.data or args.year is not None or args.as_of or args.settings:
            print("--snapshot 只与 --db 一起使用 / --snapshot goes with --db only", file=sys.stderr)
            return EXIT_BAD_INPUT
        return print_snapshot_report(args.db, args.snapshot)
    if args.year is None or not args.as_of:
        print("请给出 --year 和 --as-of / give --year and --as-of", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        overrides = json.loads(Path(args.settings).read_text(encoding="utf-8")) if args.settings else None
        settings = effective_settings(None, overrides)
    except (OSError, ValueError, SettingsError) as exc:
        print(f"设置文件有误 / bad settings file: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        con = load_into_memory(Path(args.data)) if args.data else open_database(args.db, read_only=True)
    except ImportFailed as failed:
        for issue in failed.errors:
            print(issue, file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        report = build_report(con, Period(args.year, _parse_date(args.as_of)), settings)
    finally:
        con.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_stalled(args: argparse.Namespace) -> int:
    """METRICS.md §8: each active project's stage and light, counts, and the four ones' gaps."""
    from analytics.core.period import Period
    from analytics.core.settings import SettingsError, effective_settings
    from analytics.data.importer import ImportFailed, load_into_memory
    from analytics.metrics.pipeline import stalled

    if bool(args.data) == bool(args.db):
        print("请给出 --data 或 --db 之一 / give exactly one of --data or --db", file=sys.stderr)
        return EXIT_BAD_INPUT
    as_of = _parse_date(args.as_of)
    try:
        overrides = json.loads(Path(args.settings).read_text(encoding="utf-8")) if args.settings else None
    except (OSError, ValueError) as exc:
        print(f"设置文件有误 / bad settings file: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        con = load_into_memory(Path(args.data)) if args.data else open_database(args.db, read_only=True)
    except ImportFailed as failed:
        for issue in failed.errors:
            print(issue, file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        settings = effective_settings(con if args.db else None, overrides)
        result = stalled(con, Period(as_of.year, as_of), settings)
    except SettingsError as exc:
        print(f"设置文件有误 / bad settings file: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_bench(args: argparse.Namespace) -> int:
    from analytics.bench import run_benchmarks

    run_benchmarks(scales=args.scales, runs=args.runs)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from analytics.data.backup import BackupError, backup_database

    con = open_database(args.db, read_only=True)
    try:
        folder = backup_database(con, Path(args.out))
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()
    print(f"已备份到 / backup written to {folder}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from analytics.data.backup import BackupError, restore_database

    try:
        counts = restore_database(Path(args.source), Path(args.db))
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"已恢复到 / restored into {args.db}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return EXIT_OK


def _write_documents(args: argparse.Namespace, build) -> int:
    """Open the database read-only, build (docx, xlsx) with ``build(con, settings)``, write them."""
    from analytics.core.settings import effective_settings
    from analytics.documents.charts import shutdown

    con = open_database(args.db, read_only=True)
    try:
        docx, xlsx = build(con, effective_settings(con))
    finally:
        con.close()
        shutdown()
    Path(args.out).write_bytes(docx)
    print(f"已写入 / written {args.out}")
    if args.xlsx:
        Path(args.xlsx).write_bytes(xlsx)
        print(f"已写入 / written {args.xlsx}")
    return EXIT_OK


def _cmd_bulletin(args: argparse.Namespace) -> int:
    from analytics.documents.bulletin import BadMonth, bulletin_docx, bulletin_figures, bulletin_xlsx

    def build(con, settings):
        figures = bulletin_figures(con, args.month, settings, _parse_date(args.today))
        return bulletin_docx(figures), bulletin_xlsx(figures)

    try:
        return _write_documents(args, build)
    except BadMonth as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT


def _cmd_weekly(args: argparse.Namespace) -> int:
    from analytics.documents.weekly import weekly_docx, weekly_figures, weekly_xlsx

    week_of = _parse_date(args.week_of)

    def build(con, settings):
        figures = weekly_figures(con, week_of, settings)
        return weekly_docx(figures), weekly_xlsx(figures)

    return _write_documents(args, build)


def _cmd_users_create_office(args: argparse.Namespace) -> int:
    """The installer creates an investment-office account (the first one creates the users file)."""
    from getpass import getpass

    from analytics.access import users

    path = Path(args.users) if args.users else users.users_path()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        confirm = password
    else:
        password = getpass("密码 / password: ")
        confirm = getpass("再次输入密码 / password again: ")
    try:
        if users.load_config(path) is None:
            user = users.create_first_office(path, args.username, args.display_name, password, confirm)
        else:
            users.validate_password(password, confirm)
            user = users.add_user(path, args.username, args.display_name, password, "office")
    except users.UsersError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.db:
        _audit_account_created(args.db, user)
    print(f"已创建招商办账号 / office account created: {user.username}({path})")
    return EXIT_OK


def _audit_account_created(db: str, user: User) -> None:
    """Record the new account in the database's audit log (skipped while the app holds the file)."""
    from analytics.data.store import record_audit
    from analytics.data.write_lock import write_transaction

    try:
        con = open_database(db)
    except DatabaseLockedError:
        print(f"数据库 {db} 正被驾驶舱占用,本次未写入操作日志。", file=sys.stderr)
        return
    try:
        with write_transaction(con) as cur:
            record_audit(
                cur,
                actor="cli",
                source="命令行:创建招商办账号",
                table_name="users",
                action="insert",
                record_key=user.username,
                after_json=json.dumps({"role": user.role, "name": user.display_name}, ensure_ascii=False),
            )
    finally:
        con.close()


def _parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="招商引资调度驾驶舱 命令行")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="导入 CSV 文件夹或 .xlsx 工作簿 / import a CSV folder or workbook")
    p.add_argument("--db", required=True)
    p.add_argument("--data", required=True)
    p.add_argument(
        "--allow-shrink",
        dest="allow_shrink",
        action="store_true",
        help="允许导入清空数据表或使其减少一半以上 / allow the import to empty a table or halve it",
    )
    p.set_defaults(run=_cmd_import)

    p = sub.add_parser("export", help="导出为 CSV 文件夹或 .xlsx / export to a CSV folder or .xlsx")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("demo", help="生成演示县数据 / write the demo county dataset")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--today", default=None, help="演示数据截止日期,默认今天 / last day of the data")
    p.set_defaults(run=_cmd_demo)

    p = sub.add_parser("report", help="按 METRICS.md 输出 JSON / print the METRICS.md report")
    p.add_argument("--data")
    p.add_argument("--db")
    p.add_argument("--year", type=int)
    p.add_argument("--as-of", dest="as_of")
    p.add_argument("--settings")
    p.add_argument("--snapshot", type=int, help="输出已保存的快照 / print a stored snapshot as stored")
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser("stalled", help="项目推进:六未阶段、红黄绿灯、四个一 / METRICS.md §8 as JSON")
    p.add_argument("--data")
    p.add_argument("--db")
    p.add_argument("--as-of", dest="as_of", required=True)
    p.add_argument("--settings")
    p.set_defaults(run=_cmd_stalled)

    p = sub.add_parser("bulletin", help="月通报 Word(及 Excel) / the monthly bulletin")
    p.add_argument("--db", required=True)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--out", required=True, help="FILE.docx")
    p.add_argument("--xlsx", help="FILE.xlsx")
    p.add_argument("--today", help="YYYY-MM-DD: the current month is reported up to this day (default today)")
    p.set_defaults(run=_cmd_bulletin)

    p = sub.add_parser("weekly", help="一周调度简报 Word(及 Excel) / the weekly dispatch brief")
    p.add_argument("--db", required=True)
    p.add_argument("--week-of", dest="week_of", required=True, help="YYYY-MM-DD, the brief is as of this day")
    p.add_argument("--out", required=True, help="FILE.docx")
    p.add_argument("--xlsx", help="FILE.xlsx")
    p.set_defaults(run=_cmd_weekly)

    p = sub.add_parser("bench", help="性能基准 / benchmarks")
    p.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    p.add_argument("--runs", type=int, default=5)
    p.set_defaults(run=_cmd_bench)

    p = sub.add_parser("backup", help="备份整个数据库(一致快照) / consistent snapshot of the database")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True, help="备份存放目录 / folder that receives backup-YYYYMMDD-HHMMSS/")
    p.set_defaults(run=_cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复到新数据库文件 / restore a backup into a new file")
    p.add_argument(
        "--db", required=True, help="新数据库文件(不得已存在) / new database file (must not exist)"
    )
    p.add_argument("--from", dest="source", required=True, help="备份目录 / the backup folder")
    p.set_defaults(run=_cmd_restore)

    p = sub.add_parser("users", help="账号 / accounts")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    p = users_sub.add_parser(
        "create-office", help="创建招商办账号(首次安装) / create an investment-office account"
    )
    p.add_argument("--username", required=True)
    p.add_argument("--display-name", dest="display_name", default="县招商办")
    p.add_argument("--db", help="在该数据库的操作日志中记录 / record it in this database's audit log")
    p.add_argument("--users", help="账号文件,默认 $DASHBOARD_USERS 或 data/users.yaml / the users file")
    p.add_argument(
        "--password-stdin",
        dest="password_stdin",
        action="store_true",
        help="从标准输入读一行作为密码 / read the password as one line from standard input",
    )
    p.set_defaults(run=_cmd_users_create_office)

    register_year_end(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except argparse.ArgumentTypeError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except DatabaseLockedError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    except (DatabaseMissingError, DatabaseUnusableError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (duckdb.Error, OSError) as exc:  # a storage fault while the command ran (disk full ...)
        _debug_traceback()
        print(storage_error_message(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        _debug_traceback()
        print(
            f"意外错误,操作未完成:{type(exc).__name__}: {exc}(设置环境变量 DASHBOARD_DEBUG=1 可查看详细信息)",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _debug_traceback() -> None:
    """The traceback of the error being handled, on stderr, only with ``DASHBOARD_DEBUG=1``."""
    if os.environ.get("DASHBOARD_DEBUG") == "1":
        traceback.print_exc()
