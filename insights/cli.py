"""`waymark report`: the commissioner's reports written to a folder, for people who work in
spreadsheets or where the page can't be reached."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from waymark.settings import PROJECT_ROOT, get_settings


def add_report_command(sub) -> None:
    report = sub.add_parser(
        "report", help="write the anonymous reports for commissioners as CSV files and a summary",
        description="Write every report (demand by area and need, unmet need, requests per week, who "
                    "asked, handovers, stale listings) as CSV files plus summary.md. Counts under "
                    "WAYMARK_REPORT_MIN_COUNT (default 5) show as 'fewer than 5'.")
    report.add_argument("--from", dest="start", default=None, metavar="DATE",
                        help="first day, YYYY-MM-DD (default: 13 weeks before --to)")
    report.add_argument("--to", dest="end", default=None, metavar="DATE",
                        help="last day, YYYY-MM-DD (default: today, UK time)")
    report.add_argument("--out", default=None, metavar="DIR",
                        help="folder to write to (default var/reports/FROM_to_TO)")
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from directory import editing
    from directory.db import create_schema, engine_for, session_scope
    from insights import export, queries
    from insights.models import create_tables

    try:
        dates = queries.date_range(args.start, args.end)
    except queries.ReportError as e:
        print(f"waymark: {e} Nothing was written.", file=sys.stderr)
        return 2
    settings = get_settings()
    folder = Path(args.out) if args.out else PROJECT_ROOT / "var" / "reports" / (
        f"{dates.start.isoformat()}_to_{dates.end.isoformat()}")
    if folder.exists() and not folder.is_dir():
        print(f"waymark: {folder} is a file, not a folder. Nothing was written.", file=sys.stderr)
        return 2
    engine = engine_for(settings.database_url)
    create_schema(engine)
    create_tables(engine)
    k = queries.min_count()
    print(f"Reports for {dates.label} (counts under {k} hidden) into {folder}")
    try:
        with session_scope(settings.database_url) as session:
            reports = [queries.build(session, name, dates, k, settings.stale_after_days) for name in queries.REPORTS]
            for report in reports:
                editing.audit(session, "report", report.name, "exported", f"cli:{getpass.getuser()}",
                              "dates", None, dates.label)
            export.write_folder(reports, dates, k, folder, progress=lambda line: print(f"  {line}", flush=True))
    except OSError as e:
        print(f"waymark: could not write the reports: {e}", file=sys.stderr)
        return 1
    print(f"Done: {len(reports)} CSV files and summary.md in {folder}")
    return 0
