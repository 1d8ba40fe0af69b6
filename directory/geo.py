"""Turning what a person types about where they are into a point on the map.

People write "LS1 4AP", "ls14ap", "LS1", "near leeds station" or just "Leeds". We look for a
full postcode first, then a postcode district, then a town the directory knows about.
Full postcodes not in the table fall back to their district, which is good to a few hundred
metres: plenty for "nearest service".
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Postcode

FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
DISTRICT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\b", re.IGNORECASE)
# UK postcode areas (the letters that start a postcode: LS Leeds, M Manchester, ...): a
# district whose letters are one of these is a real place, even where the postcode table
# knows no centre for it (the assistant then says it has no services there yet).
POSTCODE_AREAS = frozenset(a.upper() for a in (
    "ab al b ba bb bd bh bl bn br bs bt ca cb cf ch cm co cr ct cv cw da dd de dg dh dl dn dt "
    "dy e ec eh en ex fk fy g gl gu gy ha hd hg hp hr hs hu hx ig im ip iv je ka kt kw ky l la "
    "ld le ll ln ls lu m me mk ml n ne ng nn np nr nw ol ox pa pe ph pl po pr rg rh rm s sa se "
    "sg sk sl sm sn so sp sr ss st sw sy ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv "
    "yo ze"
).split())
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    label: str  # what we say back: "LS1 4AP", "LS1", "Leeds"
    latitude: float
    longitude: float
    kind: str  # postcode, district, town


def normalise_postcode(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def format_postcode(code: str) -> str:
    code = normalise_postcode(code)
    return f"{code[:-3]} {code[-3:]}" if len(code) >= 5 and code[-3].isdigit() else code


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _lookup(session: Session, code: str) -> Optional[Postcode]:
    return session.get(Postcode, normalise_postcode(code))


@dataclass(frozen=True)
class _Towns:
    read_at: float
    names: list[str]  # longest first, so "Newcastle upon Tyne" wins over "Newcastle"
    centres: dict[str, tuple[float, float]]  # the average of each town's districts


# Towns change only when postcodes are imported, but finding them is a whole-table query that
# ran for every message naming a place. They are kept per database for a few minutes; an
# import in this process forgets them at once (another process's import shows within the TTL).
TOWNS_TTL_SECONDS = 300.0
_towns_by_database: dict[str, _Towns] = {}


def forget_known_towns() -> None:
    _towns_by_database.clear()


def _towns(session: Session) -> _Towns:
    key = str(session.get_bind().engine.url)
    cached = _towns_by_database.get(key)
    if cached is not None and time.monotonic() - cached.read_at < TOWNS_TTL_SECONDS:
        return cached
    rows = session.execute(select(Postcode.town).where(Postcode.town.is_not(None)).distinct())
    names = sorted({r[0] for r in rows if r[0]}, key=len, reverse=True)
    centres = session.execute(
        select(Postcode.town, func.avg(Postcode.latitude), func.avg(Postcode.longitude))
        .where(Postcode.town.is_not(None), Postcode.is_district.is_(True)).group_by(Postcode.town))
    towns = _Towns(time.monotonic(), names, {t: (float(lat), float(lon)) for t, lat, lon in centres})
    _towns_by_database[key] = towns
    return towns


def known_towns(session: Session) -> list[str]:
    return _towns(session).names


def resolve_place(session: Session, text: str) -> Optional[Place]:
    """Find the first place in free text, or None when nothing in it is known."""
    if not text:
        return None
    for match in FULL_POSTCODE.finditer(text):
        outward, inward = match.group(1).upper(), match.group(2).upper()
        label = f"{outward} {inward}"
        row = _lookup(session, outward + inward) or _lookup(session, outward)
        if row is not None:
            return Place(label, row.latitude, row.longitude, "postcode")
    for match in DISTRICT.finditer(text):
        row = _lookup(session, match.group(1))
        if row is not None and row.is_district:
            return Place(row.code, row.latitude, row.longitude, "district")
    return resolve_town(session, text)


def real_district(text: str) -> Optional[str]:
    """The first postcode or district in `text` whose area letters are a real UK postcode area
    ("NE1", "BS2 4AB"), upper case, or None. Says nothing about whether the table knows it."""
    for match in FULL_POSTCODE.finditer(text or ""):
        if re.match(r"[A-Z]+", match.group(1).upper()).group(0) in POSTCODE_AREAS:
            return f"{match.group(1).upper()} {match.group(2).upper()}"
    for match in DISTRICT.finditer(text or ""):
        code = match.group(1).upper()
        if re.match(r"[A-Z]+", code).group(0) in POSTCODE_AREAS:
            return code
    return None


def resolve_town(session: Session, text: str) -> Optional[Place]:
    lowered = f" {re.sub(r'[^a-z ]+', ' ', text.lower())} "
    towns = _towns(session)
    for town in towns.names:
        if f" {town.lower()} " in lowered and town in towns.centres:
            lat, lon = towns.centres[town]
            return Place(town, lat, lon, "town")
    return None
