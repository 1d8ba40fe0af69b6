"""Waymark's own taxonomy: the words this field needs, carried as HSDS taxonomy terms.

Each term has a stable code ("need:treatment", "substance:alcohol") that search filters, the
assistant and imports all use, so a feed published from here says the same things in the
standard's own shape.
"""
from __future__ import annotations

from dataclasses import dataclass

TAXONOMY_ID = "waymark"
TAXONOMY_NAME = "Waymark drug and alcohol services taxonomy"


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    link_type: str  # how the term relates to a service: need, substance, audience, access, ...

    @property
    def id(self) -> str:
        return f"{TAXONOMY_ID}:{self.code}"


NEEDS = {
    "treatment": "Drug and alcohol treatment",
    "detox": "Detox (medically supported withdrawal)",
    "rehab": "Residential rehab",
    "needle-exchange": "Needle and syringe programme",
    "naloxone": "Take-home naloxone",
    "family-support": "Support for families and carers",
    "carers-assessment": "Carer's assessment",
    "advocacy": "Advocacy and legal advice",
    "housing": "Housing and homelessness",
    "mental-health": "Mental health",
    "young-people": "Young people's service",
    "mutual-aid": "Mutual aid and peer support",
    "helpline": "Helpline",
    "pregnancy": "Pregnancy and maternity",
    "prison-release": "Leaving prison",
    "employment": "Employment and training",
    "criminal-justice": "Criminal justice: custody, courts and probation",
    "user-involvement": "Having a say: service user forums",
    # Issue 20, needs 4-6: money and getting there, blood-borne viruses, domestic abuse.
    "money-advice": "Money, benefits, debt, food and fares",
    "bbv-testing": "Hepatitis and HIV testing and vaccination",
    "domestic-abuse": "Domestic abuse support",
}

SUBSTANCES = {
    "alcohol": "Alcohol",
    "opioids": "Heroin and other opioids",
    "crack": "Crack cocaine",
    "cocaine": "Cocaine",
    "cannabis": "Cannabis",
    "benzodiazepines": "Pills and benzodiazepines",
    "nps": "Spice and new psychoactive substances",
    "ketamine": "Ketamine",
    "ghb": "GHB and GBL",
    "chemsex": "Chemsex drugs",
    "stimulants": "Amphetamine, mephedrone and other stimulants",
    "prescription": "Prescribed and over-the-counter medicines",
}

AUDIENCES = {
    "adult": "Adults who use drugs or alcohol",
    "young-person": "Young people",
    "family": "Families and carers",
    "professional": "Professionals referring someone",
}

ACCESS = {
    "self-referral": "Accepts self-referral",
    "walk-in": "Walk-in without appointment",
    "referral-phone": "Referral by phone",
    "referral-form": "Referral by form",
    "referral-email": "Referral by email",
}

FEATURES = {
    "naloxone-clients": "Supplies naloxone to people who use opioids",
    "naloxone-families": "Supplies naloxone to families and friends",
    "naloxone-training": "Trains staff to use naloxone",
    "women-only": "Women only",
    "child-friendly": "Children welcome",
    "confidential-address": "Address is confidential",
    "contract-end": "Contract end date",
    "successor": "Replaced by another service",
    "referral-include": "What to include in a referral",
    "sample-data": "Sample data, not a real service",
    "national": "National service",
    "live-handover": "Helpline that takes conversations handed over by Waymark",
}

TERMS: dict[str, Term] = {}
for _group, _link_type in (
    (NEEDS, "need"),
    (SUBSTANCES, "substance"),
    (AUDIENCES, "audience"),
    (ACCESS, "access"),
    (FEATURES, "feature"),
):
    for _code, _name in _group.items():
        _full = f"{_link_type}:{_code}"
        TERMS[_full] = Term(code=_full, name=_name, link_type=_link_type)


def term(code: str) -> Term:
    """The term for a code like "need:treatment"; raises KeyError for an unknown code."""
    return TERMS[code]
