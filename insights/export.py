"""Reports as CSV and as a short markdown summary: what the API serves and `waymark report` writes."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Iterable, List, Optional

from insights.queries import DateRange, Report

SUMMARY_ROWS = 5


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) from an
# imported organisation name once reached the stale report live); a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    return "" if value is None else str(value)


def _csv_cell(value) -> str:
    """A cell as written to a CSV file: text that a spreadsheet would read as a formula gets a
    leading apostrophe. Numbers Waymark counted itself are written as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = _cell(value)
    text = "'" + text if text.startswith(FORMULA_STARTS) else text
    # A lone CR is not quoted by the csv module with "\n" lines, and would split the row.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def to_csv(report: Report) -> str:
    """Column labels, the rows as shown (hidden counts say "fewer than 5"), then the totals
    line, which adds up only the figures shown."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(c.label) for c in report.columns])
    for row in report.rows:
        writer.writerow([_csv_cell(row.get(c.key)) for c in report.columns])
    total = report.total_row()
    if total is not None:
        writer.writerow([_csv_cell(total.get(c.key)) for c in report.columns])
    return out.getvalue()


def _md_escape(value) -> str:
    return _cell(value).replace("|", "\\|").replace("\n", " ") or "–"


def summary_markdown(reports: Iterable[Report], dr: DateRange, k: int, files: Optional[List[str]] = None) -> str:
    lines = [f"# Waymark reports, {dr.label}", "",
             f"Anonymous counts. Counts from 1 to {k - 1} show as \"fewer than {k}\" "
             "(WAYMARK_REPORT_MIN_COUNT).", ""]
    for report in reports:
        lines += [f"## {report.title}", "", report.description, ""]
        if not report.rows:
            lines += [report.empty, ""]
            continue
        lines.append("| " + " | ".join(c.label for c in report.columns) + " |")
        lines.append("|" + "---|" * len(report.columns))
        for row in report.rows[:SUMMARY_ROWS]:
            lines.append("| " + " | ".join(_md_escape(row.get(c.key)) for c in report.columns) + " |")
        more = len(report.rows) - SUMMARY_ROWS
        lines.append("")
        if more > 0:
            lines += [f"…and {more} more line(s) in `{report.name}.csv`.", ""]
        lines += [f"- {note}" for note in report.notes] + ([""] if report.notes else [])
    if files:
        lines += ["Files: " + ", ".join(f"`{f}`" for f in files), ""]
    return "\n".join(lines)


def write_folder(reports: List[Report], dr: DateRange, k: int, folder: Path,
                 progress: Callable[[str], None] = lambda _: None) -> List[Path]:
    """Every report as NAME.csv plus summary.md in `folder` (made if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: List[Path] = []
    for report in reports:
        path = folder / f"{report.name}.csv"
        path.write_text(to_csv(report), encoding="utf-8")
        written.append(path)
        progress(f"{path.name}: {len(report.rows)} line(s)")
    summary = folder / "summary.md"
    summary.write_text(summary_markdown(reports, dr, k, [p.name for p in written]), encoding="utf-8")
    written.append(summary)
    progress(summary.name)
    return written
