"""The editing service layer: editor accounts and tokens, changes to listings, the review queue.

The editor API (`directory/api_editor.py`) and the `waymark users` command call these
functions; they hold every query, so handlers stay thin. Every change to a listing writes
one `metadata` row per changed field with who made it and when.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Optional

import bcrypt
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, selectinload

import timekeeping
from directory.models import (
    Address,
    Attribute,
    EditorAccount,
    EditorToken,
    Location,
    Metadata,
    Organization,
    Phone,
    ReviewItem,
    Service,
    ServiceAtLocation,
    new_id,
)
from directory.seed import ensure_taxonomy
from directory.taxonomy import TERMS, term

# editor: keeps listings current; admin: also adds accounts and sees the commissioner's reports;
# agent: a helpline worker on the handover console; staff: frontline staff on the /staff page.
ROLES = ("editor", "admin", "agent", "staff")
EDITING_ROLES = ("editor", "admin")
TOKEN_MINUTES = int(os.environ.get("WAYMARK_EDITOR_TOKEN_MINUTES", "120"))
EDITABLE_FIELDS = ("name", "alternate_name", "description", "url", "email", "application_process",
                   "eligibility_description", "minimum_age", "maximum_age", "fees_description",
                   "interpretation_services", "alert", "organization_id")
VALUED_TERMS = ("feature:successor", "feature:contract-end", "feature:referral-include")
_DUMMY_HASH = bcrypt.hashpw(b"not a real password", bcrypt.gensalt(rounds=4))


class EditingError(ValueError):
    """The request cannot be done as asked (bad value, unknown successor...)."""


class NotFound(EditingError):
    pass


def _now() -> datetime:
    return timekeeping.now().astimezone(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def audit(session: Session, resource_type: str, resource_id: str, action: str, who: str,
          field_name: Optional[str] = None, previous: Any = None, new: Any = None) -> None:
    session.add(Metadata(resource_id=resource_id, resource_type=resource_type, last_action_date=_now(),
                         last_action_type=action, field_name=field_name,
                         previous_value=None if previous is None else str(previous),
                         replacement_value=None if new is None else str(new), updated_by=who))


# --- accounts and tokens -------------------------------------------------------------------


def check_display_name(name: str, display_name: Optional[str]) -> Optional[str]:
    """The name people see, tidied; never the login name (that would make it public again)."""
    display_name = " ".join((display_name or "").split()) or None
    if display_name is None:
        return None
    if len(display_name) > 64:
        raise EditingError("the display name must be at most 64 characters")
    if display_name.casefold() == (name or "").strip().casefold():
        raise EditingError("the display name must not be the login name: people would see the login name")
    return display_name


def add_account(session: Session, name: str, password: str, role: str = "editor",
                email: Optional[str] = None, who: str = "waymark users add",
                display_name: Optional[str] = None) -> EditorAccount:
    name = (name or "").strip()
    if not name:
        raise EditingError("a name is needed")
    display_name = check_display_name(name, display_name)
    if role not in ROLES:
        raise EditingError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password)
    if session.scalar(select(EditorAccount).where(EditorAccount.name == name)) is not None:
        raise EditingError(f"there is already an account called '{name}'")
    account = EditorAccount(name=name, display_name=display_name, email=email, role=role, active=True,
                            created_at=_now(),
                            password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode())
    session.add(account)
    session.flush()
    audit(session, "editor_account", account.id, "create", who, "role", None, role)
    return account


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise EditingError("the password must be at least 10 characters")
    if len(password.encode()) > 72:
        raise EditingError("the password must be at most 72 bytes (bcrypt's limit)")


def _account_named(session: Session, name: str) -> EditorAccount:
    account = session.scalar(select(EditorAccount).where(EditorAccount.name == (name or "").strip()))
    if account is None:
        raise NotFound(f"there is no account called '{name}'")
    return account


def _revoke_all(session: Session, account: EditorAccount) -> int:
    tokens = list(session.scalars(select(EditorToken).where(EditorToken.account_id == account.id)))
    for row in tokens:
        session.delete(row)
    return len(tokens)


def reset_password(session: Session, name: str, password: str, who: str = "waymark users reset-password") -> EditorAccount:
    """A new password (an admin's answer to "I forgot it" or "someone may know it"); every
    token the account holds stops working, and a deactivated account stays deactivated."""
    _check_password(password)
    account = _account_named(session, name)
    account.password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()
    _revoke_all(session, account)
    session.flush()
    audit(session, "editor_account", account.id, "reset_password", who)
    return account


def deactivate_account(session: Session, name: str, who: str = "waymark users deactivate") -> EditorAccount:
    """Someone who has left: they can't sign in, and their tokens stop working now. Their name
    stays in the audit trail."""
    account = _account_named(session, name)
    account.active = False
    _revoke_all(session, account)
    session.flush()
    audit(session, "editor_account", account.id, "deactivate", who, "active", True, False)
    return account


def set_display_name(session: Session, name: str, display_name: Optional[str],
                     who: str = "waymark users display-name") -> EditorAccount:
    account = _account_named(session, name)
    previous, account.display_name = account.display_name, check_display_name(account.name, display_name)
    session.flush()
    audit(session, "editor_account", account.id, "display_name", who, "display_name", previous, account.display_name)
    return account


def authenticate(session: Session, name: str, password: str) -> Optional[EditorAccount]:
    account = session.scalar(select(EditorAccount).where(EditorAccount.name == name))
    candidate = password.encode()[:72]
    if account is None or not account.active:
        bcrypt.checkpw(candidate, _DUMMY_HASH)  # same work either way: no hint that a name exists
        return None
    return account if bcrypt.checkpw(candidate, account.password_hash.encode()) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, account: EditorAccount, minutes: int = TOKEN_MINUTES) -> tuple[str, datetime]:
    """A new bearer token for `account`; only its SHA-256 is stored. Expired ones are swept."""
    now = _now()
    for old in session.scalars(select(EditorToken).where(EditorToken.expires_at < now)):
        session.delete(old)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=minutes)
    session.add(EditorToken(token_hash=_token_hash(token), account_id=account.id, created_at=now,
                            expires_at=expires))
    session.flush()
    return token, expires


def revoke_token(session: Session, token: str) -> bool:
    """Sign-out: the token stops working at once (not when it would have expired)."""
    row = session.get(EditorToken, _token_hash(token))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def account_for_token(session: Session, token: str) -> Optional[EditorAccount]:
    row = session.get(EditorToken, _token_hash(token))
    if row is None or _aware(row.expires_at) <= _now():
        return None
    account = session.get(EditorAccount, row.account_id)
    return account if account is not None and account.active else None


# --- listings --------------------------------------------------------------------------------


def get_service(session: Session, service_id: str) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound(f"no service with id '{service_id}'")
    return service


def _set(session: Session, service: Service, field_name: str, value: Any, who: str, action: str = "update") -> bool:
    old = getattr(service, field_name)
    if old == value:
        return False
    setattr(service, field_name, value)
    audit(session, "service", service.id, action, who, field_name, old, value)
    return True


def _touch(service: Service) -> None:
    service.last_modified = _now()


def _check_codes(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if c not in TERMS]
    if unknown:
        raise EditingError(f"unknown taxonomy code '{unknown[0]}' (e.g. need:treatment, substance:alcohol)")
    return codes


def set_codes(session: Session, service: Service, codes: Iterable[str], who: str) -> None:
    """Make the service's Waymark terms exactly `codes` (terms carrying a value are kept)."""
    ensure_taxonomy(session)
    codes = _check_codes(codes)
    wanted = {term(c).id for c in codes}
    current = [a for a in service.attributes if a.taxonomy_term_id in {t.id for t in TERMS.values()}]
    valued = {term(c).id for c in VALUED_TERMS}
    have = set()
    for attr in current:
        if attr.taxonomy_term_id in valued:
            continue
        if attr.taxonomy_term_id not in wanted:
            audit(session, "attribute", attr.id, "delete", who, "taxonomy_term_id", attr.taxonomy_term_id, None)
            service.attributes.remove(attr)
        else:
            have.add(attr.taxonomy_term_id)
    for code in codes:
        if term(code).id not in have and code not in VALUED_TERMS:
            attr = Attribute(id=new_id(), link_id=service.id, link_entity="service",
                             link_type=term(code).link_type, taxonomy_term_id=term(code).id, label="editor")
            service.attributes.append(attr)
            audit(session, "attribute", attr.id, "create", who, "taxonomy_term_id", None, attr.taxonomy_term_id)
    # An editor has now decided the classification: close the import's question about it.
    for item in session.scalars(select(ReviewItem).where(
            ReviewItem.kind == "classification", ReviewItem.resource_id == service.id,
            ReviewItem.status == "open")):
        item.status, item.resolved_at, item.resolved_by = "resolved", _now(), who
        item.resolution = "classification set by an editor"


def _set_valued_term(session: Session, service: Service, code: str, value: Optional[str], who: str) -> None:
    ensure_taxonomy(session)
    term_id = term(code).id
    existing = next((a for a in service.attributes if a.taxonomy_term_id == term_id), None)
    if existing is None and value is not None:
        attr = Attribute(id=new_id(), link_id=service.id, link_entity="service", link_type=term(code).link_type,
                         taxonomy_term_id=term_id, value=value, label="editor")
        service.attributes.append(attr)
        audit(session, "attribute", attr.id, "create", who, code, None, value)
    elif existing is not None and existing.value != value:
        audit(session, "attribute", existing.id, "update", who, code, existing.value, value)
        if value is None:
            service.attributes.remove(existing)
        else:
            existing.value = value


@dataclass
class LocationInput:
    name: Optional[str] = None
    address_1: Optional[str] = None
    city: Optional[str] = None
    postcode: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    confidential: bool = False


def create_service(session: Session, values: dict, who: str, codes: Iterable[str] = (),
                   phones: Iterable[dict] = (), location: Optional[LocationInput] = None,
                   service_id: Optional[str] = None) -> Service:
    values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    if not (values.get("name") or "").strip():
        raise EditingError("a service needs a name")
    if values.get("organization_id") and session.get(Organization, values["organization_id"]) is None:
        raise EditingError(f"no organisation with id '{values['organization_id']}'")
    sid = service_id or new_id()
    if session.get(Service, sid) is not None:
        raise EditingError(f"there is already a service with id '{sid}'")
    codes = _check_codes(codes)
    service = Service(id=sid, status="active", last_modified=_now(), **values)
    session.add(service)
    session.flush()
    audit(session, "service", sid, "create", who)
    for i, phone in enumerate(phones):
        service.phones.append(Phone(id=new_id(), number=phone["number"], type=phone.get("type") or "voice",
                                    description=phone.get("description")))
    if location is not None:
        loc = Location(id=new_id(), organization_id=values.get("organization_id"), name=location.name or values["name"],
                       latitude=location.latitude, longitude=location.longitude, location_type="physical")
        if location.latitude is None and location.postcode:
            from directory.geo import resolve_place

            place = resolve_place(session, location.postcode)
            if place is not None:
                loc.latitude, loc.longitude = place.latitude, place.longitude
        loc.addresses.append(Address(id=new_id(), address_1=location.address_1, city=location.city,
                                     postal_code=location.postcode, country="GB", address_type="physical"))
        if location.confidential:
            ensure_taxonomy(session)
            loc.attributes.append(Attribute(id=new_id(), link_id=loc.id, link_entity="location",
                                            link_type="feature", label="editor",
                                            taxonomy_term_id=term("feature:confidential-address").id))
        session.add(loc)
        service.service_at_locations.append(ServiceAtLocation(id=new_id(), location=loc))
    set_codes(session, service, codes, who)
    session.flush()
    return service


def update_service(session: Session, service_id: str, changes: dict, who: str,
                   codes: Optional[Iterable[str]] = None) -> Service:
    service = get_service(session, service_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise EditingError(f"these fields cannot be edited here: {', '.join(sorted(unknown))}")
    if "name" in changes and not (changes["name"] or "").strip():
        raise EditingError("a service needs a name")
    if changes.get("organization_id") and session.get(Organization, changes["organization_id"]) is None:
        raise EditingError(f"no organisation with id '{changes['organization_id']}'")
    changed = False
    for name, value in changes.items():
        changed |= _set(session, service, name, value, who)
    if codes is not None:
        set_codes(session, service, codes, who)
        changed = True
    if changed:
        _touch(service)
    session.flush()
    return service


def verify_service(session: Session, service_id: str, who: str, email: Optional[str] = None,
                   today: Optional[date] = None) -> Service:
    """"Still correct as of today": sets assured_date (and the assurer's email)."""
    service = get_service(session, service_id)
    _set(session, service, "assured_date", today or timekeeping.today(), who, "verify")
    if email:
        _set(session, service, "assurer_email", email, who, "verify")
    audit(session, "service", service.id, "verify", who)
    _touch(service)
    session.flush()
    return service


def suspend_service(session: Session, service_id: str, who: str, alert: Optional[str] = None) -> Service:
    service = get_service(session, service_id)
    if service.status == "defunct":
        raise EditingError("this service is closed; it cannot be suspended")
    _set(session, service, "status", "temporarily closed", who, "suspend")
    if alert is not None:
        _set(session, service, "alert", alert, who, "suspend")
    _touch(service)
    session.flush()
    return service


def reactivate_service(session: Session, service_id: str, who: str) -> Service:
    service = get_service(session, service_id)
    _set(session, service, "status", "active", who, "reactivate")
    _touch(service)
    session.flush()
    return service


def close_service(session: Session, service_id: str, who: str, successor_id: Optional[str] = None) -> Service:
    """Close for good (status defunct), recording the service that replaces it, if any."""
    service = get_service(session, service_id)
    if successor_id is not None:
        if successor_id == service_id:
            raise EditingError("a service cannot succeed itself")
        successor = session.get(Service, successor_id)
        if successor is None:
            raise EditingError(f"no service with id '{successor_id}' to take over")
        from directory.search import resolve_successor

        if successor.status == "defunct" and resolve_successor(session, successor_id) is None:
            raise EditingError(f"'{successor_id}' is closed too and has no open successor")
    _set(session, service, "status", "defunct", who, "close")
    _set_valued_term(session, service, "feature:successor", successor_id, who)
    _touch(service)
    session.flush()
    return service


# --- the review queue ----------------------------------------------------------------------------


def report_problem(session: Session, service_id: str, problem: str, contact: Optional[str] = None) -> ReviewItem:
    get_service(session, service_id)
    problem = (problem or "").strip()
    if not problem:
        raise EditingError("say what is wrong with the listing")
    item = ReviewItem(kind="report", resource_type="service", resource_id=service_id, detail=problem,
                      reporter_contact=(contact or "").strip() or None, status="open", created_at=_now(),
                      created_by="public report")
    session.add(item)
    session.flush()
    return item


# A reporter's contact is for answering their report. It is wiped once the report has been
# resolved for the retention period, or after this long if nobody ever resolves it.
UNRESOLVED_REPORT_CONTACT_DAYS = 365


def forget_reporter_contacts(session: Session, cutoff: datetime) -> int:
    """Wipe the contact left with reports resolved before `cutoff` (naive or aware UTC), and
    with reports still open a year before it. The report itself stays: it is the listing's
    history, and names nobody once the contact is gone. Returns how many were wiped."""
    cutoff = cutoff if cutoff.tzinfo else cutoff.replace(tzinfo=timezone.utc)
    unresolved_cutoff = cutoff - timedelta(days=UNRESOLVED_REPORT_CONTACT_DAYS)
    return session.execute(update(ReviewItem).where(
        ReviewItem.reporter_contact.is_not(None),
        or_(and_(ReviewItem.status == "resolved", ReviewItem.resolved_at < cutoff),
            ReviewItem.created_at < unresolved_cutoff),
    ).values(reporter_contact=None).execution_options(synchronize_session=False)).rowcount or 0


def open_review_items(session: Session, kind: Optional[str] = None, include_resolved: bool = False) -> list[ReviewItem]:
    stmt = select(ReviewItem).order_by(ReviewItem.created_at, ReviewItem.id)
    if kind:
        stmt = stmt.where(ReviewItem.kind == kind)
    if not include_resolved:
        stmt = stmt.where(ReviewItem.status == "open")
    return list(session.scalars(stmt))


def resolve_review_item(session: Session, item_id: str, who: str, resolution: Optional[str] = None) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item with id '{item_id}'")
    item.status, item.resolved_at, item.resolved_by, item.resolution = "resolved", _now(), who, resolution
    audit(session, "review_item", item.id, "resolve", who, "status", "open", "resolved")
    session.flush()
    return item


def service_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    ids = list(set(ids))
    if not ids:
        return {}
    return dict(session.execute(select(Service.id, Service.name).where(Service.id.in_(ids))).all())


def load_service(session: Session, service_id: str) -> Service:
    stmt = select(Service).where(Service.id == service_id).options(selectinload(Service.attributes))
    service = session.scalar(stmt)
    if service is None:
        raise NotFound(f"no service with id '{service_id}'")
    return service
