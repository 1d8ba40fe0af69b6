"""Classifying imported services into Waymark's taxonomy (`directory/taxonomy.py`).

Two sources, in order of trust:

1. The feed's own taxonomy terms. A term whose code is one of ours ("need:treatment",
   or "waymark:need:treatment" as its id) maps directly; any other term's name is matched
   against the keyword rules below ("Alcohol" -> substance:alcohol). A publisher chose those
   terms, so they count as confident.
2. Keyword rules over the service's name, description and eligibility text. Words in the
   name count as confident; what is only found in the longer text is a guess.

`classify()` says how confident the result is. An import files a review item
(`review_item.kind == "classification"`) for every service whose needs were only guessed from
its text, or that matched no need at all, so an editor confirms them before people rely on it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from directory.taxonomy import TAXONOMY_ID, TERMS

# (pattern, code). Patterns are matched case-insensitively on word boundaries.
RULES: list[tuple[str, str]] = [
    # needs
    (r"needle (and syringe )?(exchange|programme|program)|\bnsp\b|syringe|clean (needles|works)|"
     r"injecting equipment|sharps bins?", "need:needle-exchange"),
    (r"naloxone|prenoxad|nyxoid", "need:naloxone"),
    # Detox and rehab are needs of their own (reached through the local service's assessment),
    # and still count as treatment below so existing treatment searches keep finding them.
    (r"detox(ification)?|medically (assisted|supported) withdrawal|inpatient withdrawal",
     "need:detox"),
    (r"residential (rehab|rehabilitation|treatment)|rehab\b|rehabilitation (centre|unit)",
     "need:rehab"),
    (r"drug (and|&) alcohol (treatment|service|support|team)|substance (mis)?use|treatment|"
     r"detox|rehab|recovery (hub|service|team|support)|prescribing|opioid substitution|"
     r"key ?work", "need:treatment"),
    (r"support(ing)? (for )?(famil(y|ies)|carers|parents)|famil(y|ies) support|"
     r"affected by (someone|a loved one|a family member)|family (and|&) carers? support|"
     r"(parents|families|family members|partners),? (and|or) carers", 
     "need:family-support"),
    (r"carer'?s'? assessment", "need:carers-assessment"),
    (r"advocacy|legal advice|welfare rights", "need:advocacy"),
    (r"housing|homeless(ness)?|rough sleep|hostel|night shelter", "need:housing"),
    (r"mental health|dual diagnosis|anxiety|depression", "need:mental-health"),
    (r"young people'?s?|youth|teenagers?|under[- ]18s?|aged (1[0-8]|9) to 1[6-9]", "need:young-people"),
    (r"mutual aid|peer support|alcoholics anonymous|narcotics anonymous|smart recovery|"
     r"\b(aa|na|ca) meetings?", "need:mutual-aid"),
    (r"helpline|advice line|phone line", "need:helpline"),
    (r"pregnan(t|cy)|maternity|midwi(fe|ves|fery)|antenatal", "need:pregnancy"),
    (r"leaving prison|prison release|released from prison|through the gate|ex-offenders?",
     "need:prison-release"),
    (r"employment|jobs?\b|volunteering|cv writing|into work", "need:employment"),
    (r"custody|courts?\b|probation|criminal justice|arrest referral", "need:criminal-justice"),
    (r"service user (forum|involvement|voice)|user involvement|lived experience forum",
     "need:user-involvement"),
    # Issue 20, needs 4-6. Sexual health clinics test for blood-borne viruses too.
    (r"money advice|debt (advice|help|support)|benefits? (advice|help|claims?|checks?)|welfare benefits|"
     r"food ?banks?|food parcels?|(help with|cost of|paying for) (fares|travel|bus fares|childcare)|"
     r"travel (costs|warrants?)|bus fares?|childcare costs|citizens advice|budgeting",
     "need:money-advice"),
    (r"blood[- ]borne virus(es)?|\bbbv\b|hepatitis|hep [abc]\b|\bhiv\b|dry blood spot|"
     r"sexual health (clinic|service)", "need:bbv-testing"),
    (r"domestic (abuse|violence)|\bidvas?\b|coercive control|women'?s aid|refuges?\b|"
     r"abusive relationships?", "need:domestic-abuse"),
    # substances
    (r"alcohol|drinking|drinkers?|drink problems?|booze", "substance:alcohol"),
    (r"heroin|opiates?|opioids?|methadone|buprenorphine|subutex|fentanyl", "substance:opioids"),
    (r"crack", "substance:crack"),
    (r"cocaine|coke", "substance:cocaine"),
    (r"cannabis|weed|skunk", "substance:cannabis"),
    (r"benzo(diazepine)?s?|diazepam|xanax|valium", "substance:benzodiazepines"),
    (r"spice|legal highs|new psychoactive|\bnps\b|synthetic cannabinoids?", "substance:nps"),
    (r"ketamine", "substance:ketamine"),
    (r"\bghb\b|\bgbl\b", "substance:ghb"),
    (r"chemsex", "substance:chemsex"),
    (r"amphetamines?|speed|mephedrone|stimulants?|\bmdma\b|ecstasy", "substance:stimulants"),
    (r"prescri(bed|ption) (drugs|medicines?|medication)|over[- ]the[- ]counter|painkillers?|"
     r"codeine|pregabalin|gabapentin", "substance:prescription"),
    # audiences
    (r"famil(y|ies)|carers?\b|parents?\b|partners?\b|loved ones?|friends and family",
     "audience:family"),
    (r"young (people|person)|youth|teenagers?|under[- ]18s?|children and young", "audience:young-person"),
    (r"professionals?|practitioners?|frontline staff|key workers?|agencies can refer",
     "audience:professional"),
    (r"\badults?\b|over[- ]18s?|aged 18 (and|or) over", "audience:adult"),
    # access
    (r"self[- ]?referr?(al|als)?|refer yourself|you can refer|ring (us )?(or|and) (come|walk)",
     "access:self-referral"),
    (r"walk[- ]?in|drop[- ]in|no appointment", "access:walk-in"),
    (r"referral form|online form", "access:referral-form"),
    # features
    (r"women only|women-only|for women\b", "feature:women-only"),
    (r"children welcome|child[- ]friendly|creche|bring (your )?(children|kids)", "feature:child-friendly"),
]

_COMPILED = [(re.compile(rf"(?<![\w-])(?:{pattern})", re.IGNORECASE), code) for pattern, code in RULES]


@dataclass
class Classification:
    codes: dict[str, str] = field(default_factory=dict)  # code -> where it came from
    confident: bool = False
    reason: str = ""

    @property
    def needs(self) -> list[str]:
        return sorted(c for c in self.codes if c.startswith("need:"))


def keyword_codes(text: Optional[str]) -> set[str]:
    """Waymark codes whose keyword rules match `text` (only codes that exist in TERMS)."""
    if not text:
        return set()
    return {code for regex, code in _COMPILED if code in TERMS and regex.search(text)}


def term_code(term: dict) -> Optional[str]:
    """The Waymark code a feed taxonomy term stands for exactly, if it is one of ours."""
    code = str(term.get("code") or "").strip()
    term_id = str(term.get("id") or "").strip()
    if code in TERMS:
        return code
    prefix = f"{TAXONOMY_ID}:"
    if term_id.startswith(prefix) and term_id[len(prefix):] in TERMS:
        return term_id[len(prefix):]
    return None


def codes_from_terms(terms: Iterable[dict]) -> set[str]:
    """Waymark codes from a feed's terms: exact codes first, else the term name's keywords."""
    codes: set[str] = set()
    for term in terms:
        exact = term_code(term)
        if exact:
            codes.add(exact)
        else:
            codes |= keyword_codes(term.get("name"))
    return codes


def classify(
    name: str,
    texts: Iterable[Optional[str]],
    feed_terms: Iterable[dict] = (),
    minimum_age: Optional[float] = None,
    maximum_age: Optional[float] = None,
) -> Classification:
    result = Classification()
    for code in sorted(codes_from_terms(feed_terms)):
        result.codes.setdefault(code, "feed taxonomy term")
    for code in sorted(keyword_codes(name)):
        result.codes.setdefault(code, "words in the name")
    guessed = set()
    for text in texts:
        for code in sorted(keyword_codes(text)):
            if code not in result.codes:
                result.codes[code] = "words in the description"
                guessed.add(code)
    if maximum_age is not None and maximum_age <= 18:
        result.codes.setdefault("audience:young-person", "maximum age")
    if minimum_age is not None and minimum_age >= 18:
        result.codes.setdefault("audience:adult", "minimum age")
        result.codes.pop("audience:young-person", None)
    needs = result.needs
    if not needs:
        result.confident = False
        result.reason = "no need (treatment, needle exchange, ...) could be recognised"
    elif all(c in guessed for c in needs):
        result.confident = False
        result.reason = "needs guessed only from words in the description: " + ", ".join(needs)
    else:
        result.confident = True
        result.reason = "needs from the feed's terms or the service name"
    return result
