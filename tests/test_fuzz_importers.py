"""Fuzzing the importers with what real files get wrong: random unicode, malformed JSON and
CSV, NUL bytes, huge fields, deep nesting, wrong types in every field. Each file is either
imported or refused with the importer's own error (what `waymark directory import` prints as
"nothing was imported"), never a crash; and a refused file writes nothing at all."""
from __future__ import annotations

import json

import pytest
from fuzzing import ANY_TEXT, JSON, TEXT, bounded
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from directory import oruk_import, postcodes
from directory.csv_template import COLUMNS
from directory.db import session_scope
from directory.models import Base

# The errors the command reports as "nothing was imported" (waymark/cli.py).
REFUSED = (oruk_import.FeedError, postcodes.PostcodeImportError, OSError, UnicodeDecodeError)


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {name: session.execute(select(func.count()).select_from(table)).scalar()
                for name, table in Base.metadata.tables.items()}


def _import(url: str, path, fmt: str) -> bool:
    """Import like the command does; True if imported, False if refused (nothing written)."""
    before = _counts(url)
    try:
        records = oruk_import.read_records(path, fmt)
        with session_scope(url) as session:
            oruk_import.import_records(session, records, "fuzz", who="fuzz")
    except REFUSED as e:
        assert str(e)  # a message to print
        assert _counts(url) == before, "a refused file changed the directory"
        return False
    return True


@pytest.fixture(scope="module")
def directory_url(tmp_path_factory):
    from directory import seed
    from directory.db import create_schema, engine_for

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-import') / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
    return url


FIELD_VALUES = st.one_of(JSON, ANY_TEXT)
SERVICE = st.fixed_dictionaries(
    {"id": st.one_of(TEXT, st.integers(), st.none()), "name": FIELD_VALUES},
    optional={key: FIELD_VALUES for key in (
        "status", "description", "organization", "service_at_locations", "phones", "schedules",
        "attributes", "minimum_age", "maximum_age", "assured_date", "email", "url", "eligibility_description",
        "application_process", "alert", "languages", "contacts", "cost_options")},
)
SERVICE_AT_LOCATION = st.fixed_dictionaries(
    {"id": TEXT, "location": st.fixed_dictionaries(
        {"id": TEXT}, optional={"latitude": FIELD_VALUES, "longitude": FIELD_VALUES, "name": FIELD_VALUES,
                                "addresses": st.lists(st.dictionaries(st.sampled_from(
                                    ["address_1", "city", "postal_code", "country"]), FIELD_VALUES), max_size=2)})})
FEEDS = st.one_of(
    SERVICE, st.lists(SERVICE, max_size=3), st.fixed_dictionaries({"contents": st.lists(SERVICE, max_size=3)}),
    SERVICE.map(lambda s: {**s, "service_at_locations": [{"id": "sal", "location": {"id": "loc"}}]}),
    st.builds(lambda s, sal: {**s, "service_at_locations": [sal]}, SERVICE, SERVICE_AT_LOCATION),
    JSON,
).map(json.dumps)


@bounded(50)
@given(text=st.one_of(FEEDS, st.text(max_size=400)))
@example(text="[" * 50_000 + "]" * 50_000)  # nesting deeper than Python's parser can go
@example(text='{"id": "a", "name": "A", "status": "active"')  # cut short
@example(text="\ufeff" + json.dumps({"id": "bom", "name": "With a byte order mark"}))
@example(text=json.dumps({"id": "x" * 300, "name": "n" * 100_000}))
def test_any_json_feed_is_imported_or_refused_whole(directory_url, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("feed") / "feed.json"
    path.write_text(text, encoding="utf-8")
    _import(directory_url, path, "oruk")


@bounded(10)
@given(data=st.binary(max_size=300))
def test_a_binary_file_is_refused_not_crashed_on(directory_url, tmp_path_factory, data):
    for fmt in ("oruk", "csv"):
        path = tmp_path_factory.mktemp("bin") / f"feed.{fmt}"
        path.write_bytes(data)
        _import(directory_url, path, fmt)


CSV_VALUE = st.one_of(TEXT, st.sampled_from(["", "LS1 4AP", "24/7", "MO-FR 09:00-17:00", "yes", "treatment",
                                             "-1", "999999999999999999999", "53.8", "nan", "2026-02-30"]))


def _csv(header: list[str], rows: list[list[str]]) -> str:
    """Quoted CSV, written by hand (csv.writer itself refuses some of these values)."""
    return "".join(",".join('"' + field.replace('"', '""') + '"' for field in row) + "\n"
                   for row in [header, *rows])


CSV_FILES = st.one_of(
    st.builds(_csv, st.just(COLUMNS), st.lists(st.lists(CSV_VALUE, min_size=len(COLUMNS), max_size=len(COLUMNS)),
                                               max_size=3)),
    st.builds(_csv, st.lists(st.sampled_from(COLUMNS) | TEXT, max_size=8), st.lists(st.lists(CSV_VALUE, max_size=8),
                                                                                 max_size=3)),
    st.text(max_size=400),
)


@bounded(40)
@given(text=CSV_FILES)
@example(text="service_id,service_name\nnul\x00,here\n")  # a NUL byte
@example(text="service_id,service_name\n" + "a," + "x" * 200_000 + "\n")  # a field past csv's own limit
@example(text='service_id,service_name\n"never closed,A\n')
def test_any_csv_file_is_imported_or_refused_whole(directory_url, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "services.csv"
    path.write_text(text, encoding="utf-8")
    _import(directory_url, path, "csv")


POSTCODE_FILES = st.builds(
    _csv, st.sampled_from([["pcds", "lat", "long"], ["postcode", "latitude", "longitude", "town"], ["a", "b"]]),
    st.lists(st.lists(st.one_of(TEXT, st.sampled_from(["LS1 4AP", "M1", "53.8", "-1.5", "nan", "inf", "1e400"])),
                      min_size=2, max_size=4), max_size=4))


@bounded(30)
@given(text=st.one_of(POSTCODE_FILES, st.text(max_size=300)))
@example(text="pcds,lat,long\nLS1 4AP,53.8,-1.5\x00\n")
@example(text="pcds,lat,long\n" + "LS1 4AP," + "5" * 200_000 + ",-1.5\n")
def test_any_postcode_file_is_loaded_or_refused_whole(directory_url, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("pc") / "postcodes.csv"
    path.write_text(text, encoding="utf-8")
    before = _counts(directory_url)
    try:
        with session_scope(directory_url) as session:
            postcodes.import_csv(session, path)
    except REFUSED as e:
        assert str(e)
        assert _counts(directory_url) == before
