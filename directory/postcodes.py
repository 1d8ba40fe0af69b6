"""Importing postcodes or postcode districts with their centre points from a CSV file.

Column names are detected, so both the ONS Postcode Directory (pcds, lat, long) and simple
district lists (postcode, latitude, longitude, town) load. The file is checked whole before
anything is written: a bad row rejects the file and leaves the table as it was.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy.orm import Session

from directory.geo import DISTRICT, FULL_POSTCODE, forget_known_towns, normalise_postcode
from directory.models import Postcode

CODE_COLUMNS = ("pcds", "postcode", "pcd", "pcd2", "outcode", "district", "postcode_district")
LAT_COLUMNS = ("lat", "latitude")
LON_COLUMNS = ("long", "lon", "lng", "longitude")
TOWN_COLUMNS = ("town", "city", "post_town", "posttown", "place")
REGION_COLUMNS = ("region", "region_name", "county")


class PostcodeImportError(ValueError):
    pass


def _pick(header: list[str], names: tuple[str, ...]) -> Optional[str]:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    try:
        return list(reader.fieldnames or []), list(reader)
    except csv.Error as e:  # a NUL byte, a field past csv's size limit, ...
        raise PostcodeImportError(f"{path}, line {reader.line_num}: cannot be read as CSV ({e})") from None


def import_csv(
    session: Session, path: Path, progress: Optional[Callable[[int, int], None]] = None
) -> int:
    """Load or update postcodes from `path`; returns how many rows were loaded."""
    header, rows = _read_rows(Path(path))
    code_col, lat_col, lon_col = (_pick(header, c) for c in (CODE_COLUMNS, LAT_COLUMNS, LON_COLUMNS))
    town_col, region_col = _pick(header, TOWN_COLUMNS), _pick(header, REGION_COLUMNS)
    missing = [name for name, col in (("postcode", code_col), ("latitude", lat_col), ("longitude", lon_col)) if col is None]
    if missing:
        raise PostcodeImportError(
            f"{path}: no column for {', '.join(missing)} (found columns: {', '.join(header) or 'none'})"
        )
    parsed: dict[str, Postcode] = {}
    for number, row in enumerate(rows, start=2):
        raw = (row.get(code_col) or "").strip()
        code = normalise_postcode(raw)
        is_full = FULL_POSTCODE.fullmatch(code) is not None
        if not is_full and DISTRICT.fullmatch(code) is None:
            raise PostcodeImportError(f"{path}, line {number}: '{raw}' is not a postcode or district")
        try:
            lat, lon = float(row[lat_col]), float(row[lon_col])
        except (TypeError, ValueError):
            raise PostcodeImportError(f"{path}, line {number}: latitude/longitude must be numbers") from None
        if not (49.0 <= lat <= 61.5 and -9.0 <= lon <= 2.5):
            raise PostcodeImportError(f"{path}, line {number}: {lat}, {lon} is not in the UK")
        town = (row.get(town_col) or "").strip() or None if town_col else None
        region = (row.get(region_col) or "").strip() or None if region_col else None
        parsed[code] = Postcode(code=code, is_district=not is_full, latitude=lat, longitude=lon,
                                town=town, region=region)
    for done, item in enumerate(parsed.values(), start=1):
        session.merge(item)
        if progress and done % 1000 == 0:
            progress(done, len(parsed))
    session.flush()
    forget_known_towns()
    return len(parsed)
