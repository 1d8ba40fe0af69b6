"""Crisis triage: recall on the crisis corpus, false alarms on the near-miss corpus,
priority between types, the guards, and normalisation."""
from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from safety.triage import PRIORITY, CrisisMatch, CrisisType, normalise, triage

CORPUS = Path(__file__).resolve().parent / "corpus"
MAX_FALSE_ALARM_RATE = 0.03


def _load(name: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate((CORPUS / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label, sep, message = line.partition("\t")
        assert sep and message.strip(), f"{name}:{number} is not '<label>\\t<message>'"
        rows.append((label, message))
    return rows


CRISIS = _load("crisis.tsv")
NEAR_MISS = _load("near_miss.tsv")


# ------------------------------------------------------------------------------ corpora


def test_corpus_sizes_meet_the_minimums():
    by_type = Counter(label for label, _ in CRISIS)
    assert set(by_type) == {t.value for t in PRIORITY}, by_type
    assert len(CRISIS) >= 170
    assert by_type["overdose"] >= 70
    assert by_type["suicide"] >= 50
    assert by_type["child_at_risk"] >= 20
    assert by_type["domestic_abuse"] >= 20
    assert len(NEAR_MISS) >= 170
    assert len({m.lower() for _, m in CRISIS}) == len(CRISIS), "duplicate crisis lines"
    assert len({m.lower() for _, m in NEAR_MISS}) == len(NEAR_MISS), "duplicate near misses"


def test_every_crisis_line_triages_to_its_type():
    misses = []
    for label, message in CRISIS:
        match = triage(message)
        got = match.type.value if match else None
        if got != label:
            misses.append(f"  expected {label}, got {got}: {message!r}")
    recall = 1 - len(misses) / len(CRISIS)
    print(f"\ncrisis recall: {len(CRISIS) - len(misses)}/{len(CRISIS)} ({recall:.1%})")
    assert not misses, f"{len(misses)} crisis lines missed or mislabelled:\n" + "\n".join(misses)


def test_near_misses_rarely_raise_a_false_alarm():
    alarms = []
    for category, message in NEAR_MISS:
        match = triage(message)
        if match is not None:
            alarms.append(f"  [{category}] {message!r} -> {match.type.value} ({match.rule})")
    print(f"\nnear-miss false alarms: {len(alarms)}/{len(NEAR_MISS)}")
    for alarm in alarms:
        print(alarm)
    assert len(alarms) <= MAX_FALSE_ALARM_RATE * len(NEAR_MISS), "\n".join(alarms)


# ------------------------------------------------------------------------- the brief's cases


@pytest.mark.parametrize(
    "message",
    [
        "hes gone grey and making a weird snoring noise, i cant get him to answer",
        "she wont wake up",
        "lips going blue",
        "hes not breathing properly",
        "found him on the bathroom floor",
        "she took a load of tablets",
        "i think he's overdosed",
        "i think he's overdosed what do i do",
        "mate's gouching out and wont respond",
        "shes fitting",
        "he took a whole packet of paracetamol",
        "HE\u2019S NOT BREATHING \U0001F62D\U0001F62D",
    ],
)
def test_overdose_emergencies(message):
    match = triage(message)
    assert match is not None and match.type is CrisisType.OVERDOSE, (message, match)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("honestly everyone would be better off if i was dead", CrisisType.SUICIDE),
        ("i cant go on, im going to end it tonight", CrisisType.SUICIDE),
        ("im going to take all my pills tonight", CrisisType.SUICIDE),
        ("kids home alone while shes out of it", CrisisType.CHILD_AT_RISK),
        ("baby swallowed his methadone", CrisisType.CHILD_AT_RISK),
        ("he hits me when hes had a drink and im scared to go home", CrisisType.DOMESTIC_ABUSE),
        ("she threatened me with a knife", CrisisType.DOMESTIC_ABUSE),
    ],
)
def test_other_crises(message, expected):
    match = triage(message)
    assert match is not None and match.type is expected, (message, match)


@pytest.mark.parametrize(
    "message",
    [
        "I could murder a pint",
        "nearly died laughing",
        "this queue is killing me",
        "dead tired",
        "my phone died",
        "do you have overdose awareness leaflets",
        "how long do naloxone kits last",
        "what are the signs of an overdose",
        "where can I get naloxone training",
        "my brother overdosed last year and survived, where can I get support",
        "I od'd in 2019",
        "i use gear every day",
        "/ask_human",
        "",
        "   ",
    ],
)
def test_not_a_crisis(message):
    assert triage(message) is None


# -------------------------------------------------------------------------------- priority


def test_priority_order_is_overdose_child_suicide_abuse():
    assert PRIORITY == (
        CrisisType.OVERDOSE,
        CrisisType.CHILD_AT_RISK,
        CrisisType.SUICIDE,
        CrisisType.DOMESTIC_ABUSE,
    )


@pytest.mark.parametrize(
    "message, expected",
    [
        # suicidal words, but the tablets are already taken: overdose is the emergency
        ("ive taken all my tablets because i want to die", CrisisType.OVERDOSE),
        # a child present, and someone who will not wake: overdose first
        ("the baby is crying and her mum wont wake up", CrisisType.OVERDOSE),
        # violence against the person writing and a child at risk: the child first
        ("dad is drunk and threatening to hurt us", CrisisType.CHILD_AT_RISK),
        # threats to the writer and a threat of suicide: suicide before abuse
        ("he hit me and now says hes going to kill himself", CrisisType.SUICIDE),
    ],
)
def test_the_most_urgent_type_wins(message, expected):
    match = triage(message)
    assert match is not None and match.type is expected, (message, match)


def test_crisis_match_names_the_rule_and_is_frozen():
    match = triage("she wont wake up")
    assert isinstance(match, CrisisMatch)
    assert match.rule and isinstance(match.rule, str)
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.type = CrisisType.SUICIDE  # type: ignore[misc]


def test_crisis_type_values_are_stable_strings():
    assert [t.value for t in CrisisType] == [
        "overdose",
        "suicide",
        "child_at_risk",
        "domestic_abuse",
        "general",
    ]
    assert CrisisType("overdose") == "overdose"


# ---------------------------------------------------------------------------------- guards


@pytest.mark.parametrize(
    "crisis, calm",
    [
        # a general question vs a named person
        ("what do i do hes not breathing", "what do you do if someone is not breathing"),
        ("what do i do if he wont wake up", "what do you do if someone wont wake up"),
        # the past vs again / now
        ("he od'd last year and now hes done it again, think hes overdosed", "he overdosed last year"),
        ("she took a load of tablets an hour ago", "she took a load of tablets years ago"),
        # negation, unless a "but" follows
        ("im not suicidal but i keep thinking about ending it all", "im not suicidal"),
        # habit vs now
        ("my dad is passed out and wont wake up", "my dad passes out on the sofa every night"),
    ],
)
def test_guards_suppress_the_calm_version_only(crisis, calm):
    assert triage(crisis) is not None, crisis
    assert triage(calm) is None, calm


def test_odd_input_never_raises():
    assert triage(None) is None  # type: ignore[arg-type]
    assert triage(12345) is None  # type: ignore[arg-type]
    assert triage("\x00\ufffd\U0001F480") is None
    long_message = "i need help with my drinking " * 400 + "and my mate is not breathing"
    assert triage(long_message).type is CrisisType.OVERDOSE


# --------------------------------------------------------------------------- normalisation


def test_normalise_straightens_curly_quotes_and_expands_contractions():
    assert normalise("He\u2019s not breathing, she\u2019s scared") == (
        "he is not breathing she is scared"
    )
    assert normalise("\u201cI can\u2019t wake him\u201d") == "i cannot wake him"


def test_normalise_collapses_stretched_letters_sensibly():
    assert normalise("helpppp") == "help"
    assert normalise("HELPPPP pleeeease") == "help please"
    assert normalise("hes stilllll not breathinnnn") == "he is still not breathing"
    assert normalise("too") == "too"  # real double letters are kept


def test_normalise_drops_emoji_and_accents():
    assert normalise("she wont wake up \U0001F62D\U0001F62D\U0001F64F") == "she will not wake up"
    assert normalise("caf\u00e9 na\u00efve") == "cafe naive"


def test_normalise_expands_sms_spellings():
    assert normalise("hes") == "he is"
    assert normalise("cant") == "cannot"
    assert normalise("isnt") == "is not"
    assert normalise("wont") == "will not"
    assert normalise("u") == "you"
    assert normalise("ur") == "your"
    assert normalise("pls") == "please"
    assert normalise("bc") == "because"
    assert normalise("want 2 die") == "want to die"


def test_normalise_reads_overdose_shorthand():
    assert normalise("he od'd") == "he overdosed"
    assert normalise("she ODd") == "she overdosed"
    assert normalise("my mates OD'ing") == "my mates overdosing"
    assert normalise("he's acting odd") == "he is acting odd"
