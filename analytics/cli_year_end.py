"""``python -m analytics snapshot | snapshots | account`` and ``report --snapshot ID`` (issue 13).

- ``snapshot --db DB --year Y --as-of D [--label L]`` stores the report of (Y, D) and prints its id;
- ``snapshots --db DB`` lists the stored snapshots, one per line (tab-separated, with a header);
- ``report --db DB --snapshot ID`` prints the stored report exactly as stored;
- ``account --db DB --year Y --out 总账.docx [--xlsx 总账.xlsx]`` writes the year-end account.

Each of them first takes the automatic snapshots that are due (``take_due_snapshots``): the first
run on or after the mid-year check day or a quarter end stores it. Bad input (an unknown id, a year
with no data, a date that is not a date) gets a plain message and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from analytics.core.labels import SNAPSHOT_KIND_LABELS
from analytics.data.store import DatabaseLockedError, DatabaseUnusableError, open_database

EXIT_OK, EXIT_BAD_INPUT = 0, 2
CLI_ACTOR = "cli"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD: {text!r}") from None


def take_due(db: str, today: date | None = None) -> None:
    """Store the automatic snapshots that are due, unless another process holds the file."""
    from analytics.metrics.snapshots import take_due_snapshots

    if not Path(db).is_file():
        return
    try:
        con = open_database(db)
    except (DatabaseLockedError, DatabaseUnusableError):
        return  # held by the app (which takes them itself) or not writable: the command goes on
    try:
        take_due_snapshots(con, today)
    finally:
        con.close()


def warn_signed_drift(db: str) -> None:
    """After an import: each signed year whose account the new data would change, on stderr."""
    from analytics.screens.account import signed_year_drifts

    con = open_database(db, read_only=True)
    try:
        drifts = signed_year_drifts(con)
    finally:
        con.close()
    for year, signed, lines in drifts:
        print(
            f"注意:{year} 年度总账已签署({signed}),签署的结果不变;若按现数据重新签署,将变化:",
            file=sys.stderr,
        )
        for line in lines:
            print(f"  {line}", file=sys.stderr)


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from analytics.access.users import User
    from analytics.entry.year_end import YearEndError, snapshot_on_demand
    from analytics.screens.account import NoDataForYear

    as_of = _date(args.as_of)
    if not Path(args.db).is_file():
        print(f"数据库文件 {args.db} 不存在。 / The database file {args.db} does not exist.", file=sys.stderr)
        return EXIT_BAD_INPUT
    take_due(args.db)
    con = open_database(args.db)
    installer = User(username=CLI_ACTOR, display_name="命令行", role="office")
    try:
        snapshot_id = snapshot_on_demand(con, installer, args.year, as_of, args.label)
    except (NoDataForYear, YearEndError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()
    print(snapshot_id)
    return EXIT_OK


SNAPSHOTS_HEADER = "编号\t年度\t截至日期\t类型\t说明\t保存人\t保存时间"


def snapshot_lines(rows: list[dict]) -> list[str]:
    """The ``snapshots`` listing: a header, then one line per snapshot by id."""
    lines = [SNAPSHOTS_HEADER]
    for r in rows:
        lines.append(
            "\t".join(
                [
                    str(r["snapshot_id"]),
                    str(r["year"]),
                    r["as_of"].isoformat(),
                    SNAPSHOT_KIND_LABELS.get(r["kind"], r["kind"]),
                    r["label"] or "",
                    r["created_by"],
                    f"{r['created_at']:%Y-%m-%d %H:%M:%S}",
                ]
            )
        )
    return lines


def _cmd_snapshots(args: argparse.Namespace) -> int:
    from analytics.data.snapshots import snapshot_index

    take_due(args.db)
    con = open_database(args.db, read_only=True)
    try:
        rows = snapshot_index(con)
    finally:
        con.close()
    print("\n".join(snapshot_lines(rows)))
    return EXIT_OK


def print_snapshot_report(db: str, snapshot: int) -> int:
    """``report --db DB --snapshot ID``: the stored text, byte for byte, then a newline."""
    from analytics.data.snapshots import SnapshotNotFound, get_snapshot

    take_due(db)
    con = open_database(db, read_only=True)
    try:
        stored = get_snapshot(con, snapshot)
    except SnapshotNotFound as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()
    sys.stdout.buffer.write(stored.report_json.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return EXIT_OK


def _cmd_account(args: argparse.Namespace) -> int:
    from analytics.documents.account import account_docx, account_xlsx
    from analytics.screens.account import NoDataForYear, year_account

    take_due(args.db)
    con = open_database(args.db, read_only=True)
    try:
        account = year_account(con, args.year)
    except NoDataForYear as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()
    Path(args.out).write_bytes(account_docx(account))
    print(f"已写入 / written {args.out}")
    if args.xlsx:
        Path(args.xlsx).write_bytes(account_xlsx(account))
        print(f"已写入 / written {args.xlsx}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the year-end commands to the command line's sub-parsers."""
    p = sub.add_parser("snapshot", help="保存快照并输出编号 / store a snapshot of the report, print its id")
    p.add_argument("--db", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", dest="as_of", required=True)
    p.add_argument("--label", help="说明 / a label")
    p.set_defaults(run=_cmd_snapshot)

    p = sub.add_parser("snapshots", help="列出已保存的快照 / list the stored snapshots")
    p.add_argument("--db", required=True)
    p.set_defaults(run=_cmd_snapshots)

    p = sub.add_parser("account", help="年度总账 Word(及 Excel) / the year-end account")
    p.add_argument("--db", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help="FILE.docx")
    p.add_argument("--xlsx", help="FILE.xlsx")
    p.set_defaults(run=_cmd_account)
