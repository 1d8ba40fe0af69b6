"""The service directory's tables, following Open Referral UK (the UK profile of HSDS 3.0).

Table and column names are HSDS's own so that feeds map across one to one. What this field
needs on top (substances, audiences, referral routes, naloxone, confidential addresses,
contract end dates, successors) is carried as taxonomy terms linked through `attribute`, as
HSDS intends, so a feed published from here stays compliant. Only `postcode` is Waymark's own:
it turns what a person types ("LS1 4AP", "ls1", "Leeds") into a point on the map.
"""
from __future__ import annotations

import math
import uuid
from typing import Optional

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    event,
)
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

# FK_ORDER: SQLAlchemy's unit of work orders a flush's INSERTs and DELETEs by relationship(),
# not by foreign keys alone. Every foreign key below has one, even where nothing reads it, so a
# single flush of many new rows (an import writes a batch of services at once) inserts parents
# before children and deletes children first, on PostgreSQL as on SQLite.


def new_id() -> str:
    return str(uuid.uuid4())


def _id() -> Column:
    return Column(String(64), primary_key=True, default=new_id)


class Organization(Base):
    __tablename__ = "organization"
    id = _id()
    name = Column(String(255), nullable=False)
    alternate_name = Column(String(255))
    description = Column(Text)
    email = Column(String(255))
    website = Column(String(512))
    legal_status = Column(String(255))
    uri = Column(String(512))

    services = relationship("Service", back_populates="organization")
    contacts = relationship("Contact", back_populates="organization")


class Service(Base):
    """A thing a person can get: a treatment service, a needle exchange, a helpline."""

    __tablename__ = "service"
    id = _id()
    organization_id = Column(String(64), ForeignKey("organization.id"), index=True)
    name = Column(String(255), nullable=False)
    alternate_name = Column(String(255))
    description = Column(Text)
    url = Column(String(512))
    email = Column(String(255))
    # ORUK statuses: active, inactive, defunct, temporarily closed
    status = Column(String(32), nullable=False, default="active", index=True)
    interpretation_services = Column(Text)
    application_process = Column(Text)
    fees_description = Column(Text)
    accreditations = Column(Text)
    eligibility_description = Column(Text)
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)
    assured_date = Column(Date)  # when a person last confirmed the listing is right
    assurer_email = Column(String(255))
    alert = Column(Text)  # short notice shown with the listing, e.g. "moving in March"
    last_modified = Column(DateTime(timezone=True))

    organization = relationship("Organization", back_populates="services")
    phones = relationship("Phone", back_populates="service", cascade="all, delete-orphan")
    schedules = relationship("Schedule", back_populates="service", cascade="all, delete-orphan")
    service_at_locations = relationship(
        "ServiceAtLocation", back_populates="service", cascade="all, delete-orphan"
    )
    languages = relationship("Language", back_populates="service", cascade="all, delete-orphan")
    cost_options = relationship(
        "CostOption", back_populates="service", cascade="all, delete-orphan"
    )
    contacts = relationship("Contact", back_populates="service", cascade="all, delete-orphan")
    attributes = relationship(
        "Attribute",
        primaryjoin="and_(Service.id == foreign(Attribute.link_id), "
        "Attribute.link_entity == 'service')",
        cascade="all, delete-orphan",
        overlaps="attributes",
    )


class Location(Base):
    __tablename__ = "location"
    id = _id()
    organization_id = Column(String(64), ForeignKey("organization.id"), index=True)
    location_type = Column(String(32), nullable=False, default="physical")  # physical/virtual/postal
    name = Column(String(255))
    description = Column(Text)
    url = Column(String(512))
    latitude = Column(Float)
    longitude = Column(Float)
    # Waymark's own: the grid square the point is in (geo_cell_for), kept up to date on every
    # ORM write, so a distance search reads only nearby squares (see directory.search).
    geo_cell = Column(Integer)

    organization = relationship("Organization")
    addresses = relationship("Address", back_populates="location", cascade="all, delete-orphan")
    accessibility = relationship(
        "Accessibility", back_populates="location", cascade="all, delete-orphan"
    )
    attributes = relationship(
        "Attribute",
        primaryjoin="and_(Location.id == foreign(Attribute.link_id), "
        "Attribute.link_entity == 'location')",
        cascade="all, delete-orphan",
        overlaps="attributes",
    )

    __table_args__ = (
        # Covers the first step of a distance search (directory.search.nearest_locations).
        Index("ix_location_geo_cell", "geo_cell", "latitude", "longitude", "id"),
    )


# The grid behind Location.geo_cell: squares of 0.05 degrees of latitude (5.6 km) by 0.08 of
# longitude (about 5.3 km across England). A cell number is row * 10000 + column, so the cells
# of one row are consecutive numbers and a search box is one index range per row.
CELL_LAT = 0.05
CELL_LON = 0.08


def geo_cell_for(latitude: Optional[float], longitude: Optional[float]) -> Optional[int]:
    if latitude is None or longitude is None:
        return None
    return int(math.floor((latitude + 90.0) / CELL_LAT)) * 10000 + int(math.floor((longitude + 180.0) / CELL_LON))


@event.listens_for(Location, "before_insert")
@event.listens_for(Location, "before_update")
def _keep_geo_cell(_mapper, _connection, location: "Location") -> None:
    location.geo_cell = geo_cell_for(location.latitude, location.longitude)


class SearchEntry(Base):
    """Waymark's own search table, derived from the directory: for every service at a location
    with coordinates, one row under the code "*" and one under each of the service's need and
    feature codes ("need:treatment", "feature:naloxone-families").

    A search reads the rows of its need or feature (or "*") in the grid squares around the
    point, in primary-key order: on SQLite the table is stored in that order (WITHOUT ROWID),
    and each row holds the point, the status, all the service's codes (" need:treatment
    substance:alcohol ", for the other filters) and whether the address is confidential, so
    a search joins nothing and skips other needs' services. Kept in step on every ORM flush
    (directory.search_index); writes that bypass the ORM call search_index.rebuild afterwards.
    """

    __tablename__ = "search_entry"
    code = Column(String(64), primary_key=True)  # "*", or one of the service's need/feature codes
    geo_cell = Column(Integer, primary_key=True)
    place_id = Column(String(64), primary_key=True)  # the service_at_location id
    service_id = Column(String(64), nullable=False, index=True)
    location_id = Column(String(64), nullable=False, index=True)
    status = Column(String(32), nullable=False)
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    codes = Column(Text, nullable=False)
    confidential = Column(Boolean, nullable=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"
    id = _id()
    service_id = Column(String(64), ForeignKey("service.id"), nullable=False, index=True)
    location_id = Column(String(64), ForeignKey("location.id"), nullable=False, index=True)
    description = Column(Text)

    service = relationship("Service", back_populates="service_at_locations")
    location = relationship("Location")


class Address(Base):
    __tablename__ = "address"
    id = _id()
    location_id = Column(String(64), ForeignKey("location.id"), index=True)
    attention = Column(String(255))
    address_1 = Column(String(255))
    address_2 = Column(String(255))
    city = Column(String(255))
    region = Column(String(255))
    state_province = Column(String(255))
    postal_code = Column(String(16))
    country = Column(String(2), default="GB")
    address_type = Column(String(32), default="physical")

    location = relationship("Location", back_populates="addresses")


class Phone(Base):
    __tablename__ = "phone"
    id = _id()
    location_id = Column(String(64), ForeignKey("location.id"), index=True)
    service_id = Column(String(64), ForeignKey("service.id"), index=True)
    organization_id = Column(String(64), ForeignKey("organization.id"))
    contact_id = Column(String(64), ForeignKey("contact.id"))
    service_at_location_id = Column(String(64), ForeignKey("service_at_location.id"))
    number = Column(String(64), nullable=False)
    extension = Column(String(16))
    type = Column(String(16), default="voice")  # voice, text (SMS), fax, cell, video, pager, textphone
    description = Column(Text)

    service = relationship("Service", back_populates="phones")
    # Never read: these tell the unit of work that a phone is written after its location,
    # organisation, contact and service-at-location (FK_ORDER, above).
    location = relationship("Location")
    organization = relationship("Organization")
    contact = relationship("Contact")
    service_at_location = relationship("ServiceAtLocation")


class Schedule(Base):
    """Opening hours. Weekly rows use freq=WEEKLY + byday + opens_at/closes_at.

    Rows bounded by valid_from/valid_to override the weekly pattern on those dates (bank
    holidays, one-off closures); such a row with no opens_at means closed all day.
    Times are wall-clock times in `timezone` (Europe/London unless stated).
    """

    __tablename__ = "schedule"
    id = _id()
    service_id = Column(String(64), ForeignKey("service.id"), index=True)
    location_id = Column(String(64), ForeignKey("location.id"))
    service_at_location_id = Column(String(64), ForeignKey("service_at_location.id"))
    valid_from = Column(Date)
    valid_to = Column(Date)
    dtstart = Column(Date)
    timezone = Column(String(64), default="Europe/London")
    until = Column(Date)
    count = Column(Integer)
    wkst = Column(String(2))
    freq = Column(String(16))  # WEEKLY, MONTHLY
    interval = Column(Integer)
    byday = Column(String(64))  # e.g. "MO,TU,WE"
    byweekno = Column(String(64))
    bymonthday = Column(String(64))
    byyearday = Column(String(64))
    description = Column(Text)
    opens_at = Column(Time)
    closes_at = Column(Time)
    schedule_link = Column(String(512))
    attending_type = Column(Text)  # e.g. "drop-in", "appointment" (free text in HSDS)
    notes = Column(Text)

    service = relationship("Service", back_populates="schedules")
    location = relationship("Location")  # FK_ORDER
    service_at_location = relationship("ServiceAtLocation")  # FK_ORDER


class Taxonomy(Base):
    __tablename__ = "taxonomy"
    id = _id()
    name = Column(String(255), nullable=False)
    description = Column(Text)
    uri = Column(String(512))
    version = Column(String(64))


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_term"
    id = _id()
    code = Column(String(128), index=True)
    name = Column(String(255), nullable=False)
    description = Column(Text)
    parent_id = Column(String(64), ForeignKey("taxonomy_term.id"))
    taxonomy = Column(String(255))
    taxonomy_id = Column(String(64), ForeignKey("taxonomy.id"))
    language = Column(String(8))
    term_uri = Column(String(512))

    parent = relationship("TaxonomyTerm", remote_side=[id])  # FK_ORDER
    taxonomy_record = relationship("Taxonomy")  # FK_ORDER (`taxonomy` is the column of HSDS's name)


class Attribute(Base):
    """Links a taxonomy term to a record: 'this service serves families', 'this address is
    confidential'. `value` carries data for terms that need it (a date, a successor's id)."""

    __tablename__ = "attribute"
    id = _id()
    link_id = Column(String(64), nullable=False)
    link_type = Column(String(64))  # e.g. eligibility, audience, need, substance, access
    link_entity = Column(String(64), nullable=False, default="service")
    taxonomy_term_id = Column(String(64), ForeignKey("taxonomy_term.id"), nullable=False)
    value = Column(Text)
    label = Column(String(255))

    taxonomy_term = relationship("TaxonomyTerm", lazy="joined")

    __table_args__ = (
        Index("ix_attribute_link", "link_entity", "link_id"),
        Index("ix_attribute_term_link", "taxonomy_term_id", "link_id"),
    )


class Language(Base):
    __tablename__ = "language"
    id = _id()
    service_id = Column(String(64), ForeignKey("service.id"), index=True)
    location_id = Column(String(64), ForeignKey("location.id"))
    phone_id = Column(String(64), ForeignKey("phone.id"))
    name = Column(String(128))
    code = Column(String(16))
    note = Column(Text)

    service = relationship("Service", back_populates="languages")
    location = relationship("Location")  # FK_ORDER
    phone = relationship("Phone")  # FK_ORDER


class Accessibility(Base):
    __tablename__ = "accessibility"
    id = _id()
    location_id = Column(String(64), ForeignKey("location.id"), index=True)
    description = Column(Text)
    details = Column(Text)
    url = Column(String(512))

    location = relationship("Location", back_populates="accessibility")


class CostOption(Base):
    __tablename__ = "cost_option"
    id = _id()
    service_id = Column(String(64), ForeignKey("service.id"), index=True)
    valid_from = Column(Date)
    valid_to = Column(Date)
    option = Column(Text)
    currency = Column(String(3))
    amount = Column(Numeric(10, 2, asdecimal=False))  # floats: SQLite has no decimals
    amount_description = Column(Text)

    service = relationship("Service", back_populates="cost_options")


class Contact(Base):
    __tablename__ = "contact"
    id = _id()
    organization_id = Column(String(64), ForeignKey("organization.id"), index=True)
    service_id = Column(String(64), ForeignKey("service.id"), index=True)
    service_at_location_id = Column(String(64), ForeignKey("service_at_location.id"))
    location_id = Column(String(64), ForeignKey("location.id"))
    name = Column(String(255))
    title = Column(String(255))
    department = Column(String(255))
    email = Column(String(255))

    organization = relationship("Organization", back_populates="contacts")
    service = relationship("Service", back_populates="contacts")
    service_at_location = relationship("ServiceAtLocation")  # FK_ORDER
    location = relationship("Location")  # FK_ORDER


class Metadata(Base):
    """Audit trail: every change to a record, who made it and when (HSDS `metadata`)."""

    __tablename__ = "metadata"
    id = _id()
    resource_id = Column(String(64), nullable=False, index=True)
    resource_type = Column(String(64), nullable=False)
    last_action_date = Column(DateTime(timezone=True), nullable=False)
    last_action_type = Column(String(32), nullable=False)  # create, update, verify, close, ...
    field_name = Column(String(128))
    previous_value = Column(Text)
    replacement_value = Column(Text)
    updated_by = Column(String(255), nullable=False)


class Postcode(Base):
    """A postcode or postcode district with its centre point (Waymark's own table).

    `code` is stored upper-case without spaces ("LS14AP", "LS1").
    """

    __tablename__ = "postcode"
    code = Column(String(8), primary_key=True)
    is_district = Column(Boolean, nullable=False, default=False)
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    town = Column(String(128), index=True)
    region = Column(String(128))


# --- Waymark's own tables for looking after the directory (not part of the ORUK feed) ---


class ReviewItem(Base):
    """The review queue: things a person should look at before trusting a listing.

    kind "report": a member of the public reported a problem (POST /oruk/services/{id}/report).
    kind "classification": an import could only guess the service's taxonomy terms from words
    in its text (or found none), so an editor should confirm them.
    kind "data": an import dropped or doubted a value (e.g. coordinates outside the UK).
    An open item is resolved by an editor; imports resolve their own stale flags.
    """

    __tablename__ = "review_item"
    id = _id()
    kind = Column(String(32), nullable=False, index=True)  # report, classification, data
    resource_type = Column(String(64), nullable=False, default="service")
    resource_id = Column(String(64), nullable=False, index=True)
    detail = Column(Text, nullable=False)
    suggested = Column(Text)  # e.g. the guessed codes, "need:treatment substance:alcohol"
    reporter_contact = Column(String(255))  # only if the reporter chose to leave one
    status = Column(String(16), nullable=False, default="open", index=True)  # open, resolved
    created_at = Column(DateTime(timezone=True), nullable=False)
    created_by = Column(String(255), nullable=False)
    resolved_at = Column(DateTime(timezone=True))
    resolved_by = Column(String(255))
    resolution = Column(Text)


class FeedRecord(Base):
    """Which import source last delivered a service, so `--full-feed` can retire only that
    source's services that have disappeared (never the national lines or another feed's)."""

    __tablename__ = "feed_record"
    source = Column(String(128), primary_key=True)
    service_id = Column(String(64), ForeignKey("service.id"), primary_key=True)
    last_seen_at = Column(DateTime(timezone=True), nullable=False)

    service = relationship("Service")  # FK_ORDER


class FeedSyncRun(Base):
    """One pull of a council's ORUK feed (`waymark directory sync`, or the schedule while
    serving): when, from where, what it found and did, or why it failed. A failed or partial
    pull changes nothing in the directory; its row says why (directory.feed_sync)."""

    __tablename__ = "feed_sync_run"
    id = _id()
    source = Column(String(128), nullable=False)  # as feed_record.source
    url = Column(String(1024), nullable=False)
    full = Column(Boolean, nullable=False, default=False)  # services missing from the feed were retired
    modified_after = Column(DateTime(timezone=True))  # an incremental pull: only services changed since
    trigger = Column(String(128), nullable=False)  # "command", "schedule", "editor:NAME"
    status = Column(String(16), nullable=False, index=True)  # running, ok, failed, interrupted
    started_at = Column(DateTime(timezone=True), nullable=False)
    finished_at = Column(DateTime(timezone=True))
    pages = Column(Integer, nullable=False, default=0)
    requests = Column(Integer, nullable=False, default=0)
    bytes_read = Column(Integer, nullable=False, default=0)
    records = Column(Integer, nullable=False, default=0)  # service records the feed gave
    created = Column(Integer, nullable=False, default=0)
    updated = Column(Integer, nullable=False, default=0)
    unchanged = Column(Integer, nullable=False, default=0)
    retired = Column(Integer, nullable=False, default=0)
    quarantined = Column(Integer, nullable=False, default=0)
    refused = Column(Integer, nullable=False, default=0)
    error = Column(Text)
    holder = Column(String(128))  # which process ran it (host:pid:...)

    __table_args__ = (Index("ix_feed_sync_run_source_started", "source", "started_at"),)


class Lease(Base):
    """A named lease in the database: one instance at a time does a job (syncing a feed) while
    several serve the same directory. Held until `expires_at`, or until its holder lets go."""

    __tablename__ = "lease"
    name = Column(String(160), primary_key=True)
    holder = Column(String(128), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class EditorAccount(Base):
    """Someone allowed to change listings: role "editor", or "admin" (can also add users)."""

    __tablename__ = "editor_account"
    id = _id()
    name = Column(String(128), nullable=False, unique=True)  # the login name: never shown to the public
    # What the people a worker talks to see ("Sam from the helpline has joined"); none: "someone".
    display_name = Column(String(64))
    email = Column(String(255))
    password_hash = Column(String(128), nullable=False)  # bcrypt
    role = Column(String(16), nullable=False, default="editor")
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False)


class EditorToken(Base):
    """A bearer token handed out by POST /editor/token. Only its SHA-256 is stored."""

    __tablename__ = "editor_token"
    token_hash = Column(String(64), primary_key=True)
    account_id = Column(String(64), ForeignKey("editor_account.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)

    account = relationship("EditorAccount")
