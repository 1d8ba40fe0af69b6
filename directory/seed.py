"""Loading Waymark's shipped records: the taxonomy, the national lines and the sample area.

Seeding is idempotent: records are matched by id and updated in place, and each change is
written to the audit table. Serving never seeds by itself; `waymark directory seed` does.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timezone
from pathlib import Path
from typing import Any, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

import timekeeping
from directory import postcodes
from directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.taxonomy import TAXONOMY_ID, TAXONOMY_NAME, TERMS, term

SAMPLE_DATA = Path(__file__).resolve().parent / "sample_data"
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated"


def ensure_taxonomy(session: Session) -> None:
    if session.get(Taxonomy, TAXONOMY_ID) is None:
        session.add(Taxonomy(id=TAXONOMY_ID, name=TAXONOMY_NAME, version="1"))
    existing = set(session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == TAXONOMY_ID)))
    for t in TERMS.values():
        if t.id not in existing:
            session.add(
                TaxonomyTerm(id=t.id, code=t.code, name=t.name, taxonomy=TAXONOMY_NAME,
                             taxonomy_id=TAXONOMY_ID, language="en")
            )
    session.flush()


def _schedules(spec: Any) -> list[Schedule]:
    if spec is None:
        return []
    if spec == "24/7":
        return [Schedule(freq="WEEKLY", byday=ALL_DAYS, opens_at=time(0, 0), closes_at=time(0, 0),
                         description="Open 24 hours, every day")]
    return [
        Schedule(
            freq="WEEKLY",
            byday=row["days"],
            opens_at=time.fromisoformat(row["opens"]),
            closes_at=time.fromisoformat(row["closes"]),
            attending_type=row.get("attending_type"),
        )
        for row in spec
    ]


def _attributes(service_id: str, spec: dict, note_term: str) -> list[Attribute]:
    codes = [f"need:{c}" for c in spec.get("needs", [])]
    codes += [f"substance:{c}" for c in spec.get("substances", [])]
    codes += [f"audience:{c}" for c in spec.get("audiences", [])]
    codes += [f"access:{c}" for c in spec.get("access", [])]
    codes += [f"feature:{c}" for c in spec.get("features", [])]
    codes.append(note_term)
    attrs = [
        Attribute(link_id=service_id, link_entity="service", link_type=term(c).link_type,
                  taxonomy_term_id=term(c).id)
        for c in dict.fromkeys(codes)
    ]
    if spec.get("referral_include"):
        attrs.append(Attribute(link_id=service_id, link_entity="service", link_type="feature",
                               taxonomy_term_id=term("feature:referral-include").id,
                               value=spec["referral_include"]))
    return attrs


def _audit(session: Session, resource_id: str, action: str, who: str) -> None:
    session.add(Metadata(resource_id=resource_id, resource_type="service",
                         last_action_date=timekeeping.now().astimezone(timezone.utc),
                         last_action_type=action, updated_by=who))


def load_yaml_services(session: Session, path: Path, note_term: str, who: str) -> SeedReport:
    """Upsert the organisations and services described in one of our YAML files."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ensure_taxonomy(session)
    report = SeedReport()
    assured = data.get("assured_date")
    note = data.get("sample_note") or data.get("verified_note")
    for org in data.get("organizations", []):
        row = session.get(Organization, org["id"]) or Organization(id=org["id"])
        row.name, row.description = org["name"], org.get("description")
        session.add(row)
    default_org = data["organizations"][0]["id"]
    for spec in data["services"]:
        sid = spec["id"]
        service = session.get(Service, sid)
        if service is None:
            service = Service(id=sid)
            session.add(service)
            report.created += 1
            _audit(session, sid, "create", who)
        else:
            report.updated += 1
            _audit(session, sid, "update", who)
            # Children are replaced whole; the Service row keeps its id.
            service.phones.clear()
            service.schedules.clear()
            service.attributes.clear()
            service.languages.clear()
            for sal in list(service.service_at_locations):
                session.delete(sal.location)
            service.service_at_locations.clear()
            session.flush()
        service.organization_id = spec.get("organization", default_org)
        service.name = spec["name"]
        description = spec.get("description", "")
        service.description = f"{description} {note}".strip() if note_term == "feature:sample-data" else description
        service.status = spec.get("status", "active")
        service.application_process = spec.get("application_process")
        service.eligibility_description = spec.get("eligibility")
        service.email = spec.get("email")
        service.minimum_age = spec.get("minimum_age")
        service.maximum_age = spec.get("maximum_age")
        service.assured_date = spec.get("assured_date", assured)
        service.alert = note if note_term == "feature:national" else spec.get("alert")
        service.last_modified = timekeeping.now().astimezone(timezone.utc)
        service.phones.extend(
            Phone(id=f"{sid}-phone-{i}", number=p["number"], type=p.get("type", "voice"),
                  description=p.get("description"))
            for i, p in enumerate(spec.get("phones", []))
        )
        service.languages.extend(  # the languages the service speaks besides English (issue 20, need 9)
            Language(id=f"{sid}-language-{i}", name=lang["name"], code=lang.get("code"))
            for i, lang in enumerate(spec.get("languages", []))
        )
        schedules = _schedules(spec.get("hours")) or ([Schedule()] if spec.get("notes") else [])
        if spec.get("notes"):
            schedules[0].notes = spec["notes"]
        service.schedules.extend(schedules)
        service.attributes.extend(_attributes(sid, spec, note_term))
        loc_spec = spec.get("location")
        if loc_spec:
            location = Location(id=f"{sid}-location", organization_id=service.organization_id,
                                name=spec["name"], latitude=loc_spec["latitude"],
                                longitude=loc_spec["longitude"])
            location.addresses.append(
                Address(address_1=loc_spec["address_1"], city=loc_spec["city"],
                        postal_code=loc_spec["postcode"], country="GB")
            )
            if spec.get("confidential_address"):
                location.attributes.append(
                    Attribute(link_id=location.id, link_entity="location", link_type="feature",
                              taxonomy_term_id=term("feature:confidential-address").id)
                )
            session.add(location)
            service.service_at_locations.append(
                ServiceAtLocation(id=f"{sid}-at-location", location=location)
            )
    session.flush()
    return report


def seed_national(session: Session) -> SeedReport:
    return load_yaml_services(session, SAMPLE_DATA / "national.yml", "feature:national", "seed:national")


def seed_sample(session: Session) -> SeedReport:
    postcodes.import_csv(session, SAMPLE_DATA / "sample_postcodes.csv")
    return load_yaml_services(session, SAMPLE_DATA / "sample_area.yml", "feature:sample-data", "seed:sample")


def national_line(session: Session, service_id: str) -> Optional[str]:
    """The first phone number of a national record, e.g. national_line(s, "national-samaritans")."""
    service = session.get(Service, service_id)
    if service is None or service.status != "active" or not service.phones:
        return None
    return service.phones[0].number
