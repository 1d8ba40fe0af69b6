"""Crisis triage: recall on the crisis corpus, false alarms on the near-miss corpus,
priority between types, the guards, and normalisation."""
from __future__ import annotations

import dataclasses
import os
from collections import Counter
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safety.triage import PRIORITY, CrisisMatch, CrisisType, normalise, triage, triage_patterns

ROOT = Path(__file__).resolve().parents[2]
# The development half is the product's training data (safety/data/, also what the classifier
# learns from); the held-out half stays under tests/ and is never training data.
DEVELOPMENT = ROOT / "safety" / "data"
HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"
MAX_FALSE_ALARM_RATE = 0.01
# The held-out half is a measurement, not a target the patterns were fitted to: the test keeps
# it from getting worse than last measured (`make eval-crisis`), and the targets (100 %
# recall, at most 1 % false alarms) stay open until it meets them. Raise these as it improves.
# Measured 3 December 2026, patterns + crisis classifier (threshold 0.969): 757/813, 14/1004.
HELDOUT_RECALL_FLOOR = 0.93
HELDOUT_FALSE_ALARM_CEILING = 0.014
MIN_CRISES = 750
MIN_NEAR_MISSES = 750
CRISIS_TYPES = {t.value for t in PRIORITY}


def _load(path: Path) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, message = line.partition("\t")
        assert sep and message.strip(), f"{path.name}:{number} is not '<label>\\t<message>'"
        rows.append((label, message))
    return rows


def _key(message: str) -> str:
    """How two corpus lines are compared: lower case, whitespace collapsed."""
    return " ".join(message.lower().split())


CRISIS = _load(DEVELOPMENT / "crisis_train.tsv")
NEAR_MISS = _load(DEVELOPMENT / "near_miss_train.tsv")


def _heldout() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The held-out half (tests/safety/corpus/heldout/), written apart from the patterns and
    never read while writing them. On CI it must be there; elsewhere its tests skip."""
    files = (HELDOUT / "crisis.tsv", HELDOUT / "near_miss.tsv")
    if not all(f.exists() for f in files):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"the held-out corpus is missing: {files[0]} and {files[1]} are required on CI")
        pytest.skip("no held-out corpus in this checkout (tests/safety/corpus/heldout/)")
    return _load(files[0]), _load(files[1])


HALVES = ["development", "heldout"]


def _half(name: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return (CRISIS, NEAR_MISS) if name == "development" else _heldout()


# ------------------------------------------------------------------------------ corpora


@pytest.mark.parametrize("half", HALVES)
def test_corpus_sizes_meet_the_minimums(half):
    crisis, near_miss = _half(half)
    by_type = Counter(label for label, _ in crisis)
    assert set(by_type) == CRISIS_TYPES, by_type
    assert len(crisis) >= MIN_CRISES, f"{half}: {len(crisis)} crises, want {MIN_CRISES}"
    assert len(near_miss) >= MIN_NEAR_MISSES, f"{half}: {len(near_miss)} near misses"
    for crisis_type in CRISIS_TYPES:
        assert by_type[crisis_type] >= 60, f"{half}: only {by_type[crisis_type]} {crisis_type}"
    assert len({_key(m) for _, m in crisis}) == len(crisis), f"{half}: duplicate crisis lines"
    assert len({_key(m) for _, m in near_miss}) == len(near_miss), f"{half}: duplicate near misses"
    assert not {_key(m) for _, m in crisis} & {_key(m) for _, m in near_miss}, (
        f"{half}: a line is both a crisis and a near miss")


def test_no_message_is_in_both_halves():
    """Not even after normalisation ("he's not breathing." is "hes not breathing")."""
    heldout_crisis, heldout_near = _heldout()
    development = {normalise(m) for _, m in CRISIS + NEAR_MISS}
    shared = development & {normalise(m) for _, m in heldout_crisis + heldout_near}
    # Only the count is shown (`assert not shared` would make pytest print the set): the held-out
    # lines are not for reading while writing patterns.
    assert len(shared) == 0, f"{len(shared)} messages are in both the development and held-out halves"


@pytest.mark.parametrize("half", HALVES)
def test_every_crisis_line_triages_to_its_type(half):
    """The development half: the patterns alone catch every line, with its kind (the classifier
    learnt these lines, so it would hide a pattern that stopped working). The held-out half:
    triage as every channel runs it, patterns and classifier."""
    crisis, _ = _half(half)
    misses, unanswered = [], 0
    for label, message in crisis:
        match = triage(message) if half == "heldout" else triage_patterns(message)
        got = match.type.value if match else None
        unanswered += match is None
        if got != label:
            misses.append(f"  expected {label}, got {got}: {message!r}")
    total = len(crisis)
    answered = total - unanswered
    print(f"\n{half} crisis recall: {answered}/{total} ({answered / total:.1%}) got a crisis reply, "
          f"{total - len(misses)}/{total} of the right kind")
    if half == "heldout":
        # Counted, not shown: looking at held-out misses would turn them into development lines.
        # Any crisis reply counts here (each starts with 999); the kind is reported beside it.
        floor_met = answered >= HELDOUT_RECALL_FLOOR * total
        assert floor_met, f"held-out recall fell below the last measured {HELDOUT_RECALL_FLOOR:.0%}"
    else:
        assert not misses, f"{len(misses)} crisis lines missed or mislabelled:\n" + "\n".join(misses)


@pytest.mark.parametrize("half", HALVES)
def test_near_misses_rarely_raise_a_false_alarm(half):
    _, near_miss = _half(half)
    alarms = []
    for category, message in near_miss:
        match = triage(message)
        if match is not None:
            alarms.append(f"  [{category}] {message!r} -> {match.type.value} ({match.rule})")
    print(f"\n{half} near-miss false alarms: {len(alarms)}/{len(near_miss)} "
          f"({len(alarms) / len(near_miss):.1%})")
    if half == "development":
        for alarm in alarms:
            print(alarm)
    limit = MAX_FALSE_ALARM_RATE * len(near_miss)
    if half == "heldout":
        count, limit = len(alarms), HELDOUT_FALSE_ALARM_CEILING * len(near_miss)
        assert count <= limit, f"{count} held-out false alarms (at most {limit:.0f}, as last measured)"
    else:
        assert len(alarms) <= limit, "\n".join(alarms)


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
        # reported by a tester (issue 18)
        ("my friend has taken an over dose", CrisisType.OVERDOSE),
        ("my mate has od", CrisisType.OVERDOSE),
        ("OD help now", CrisisType.OVERDOSE),
        ("suicidal", CrisisType.SUICIDE),
        ("he's outside the door screaming and trying to get in", CrisisType.DOMESTIC_ABUSE),
        ("suic\u00adidal", CrisisType.SUICIDE),
        ("k\u00adms tbh", CrisisType.SUICIDE),
        ("my son says he wants to kill him\u00adself", CrisisType.SUICIDE),
        ("my toddler swal\u00adlowed some of my methadone", CrisisType.CHILD_AT_RISK),
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
        # reported by a tester (issue 18)
        "Where should I take out my friend for dinner?",
        "my hangover is killing me, any tips",
        "my mum died of an overdose in 2015 and i want to talk to someone about it",
        "how do I kill a Python process",
        "this traffic is killing me",
        "i could murder a pint",
        "i'd kill for a cigarette",
        "\udfff",
    ],
)
def test_not_a_crisis(message):
    assert triage(message) is None


# ------------------------------------------------------------- a 3am round (issue 18, round 8)
# Written apart from the patterns, as people text at 3am from a cheap phone; each missed or was a
# false alarm before this round's rules, and is also in the development files.


@pytest.mark.parametrize(
    "message, expected",
    [
        ("hes gouching out on the settee n i cant get him 2 answer me", CrisisType.OVERDOSE),
        ("shes been sick and is lying on her back passed out", CrisisType.OVERDOSE),
        ("teenage daughter took her dads tramadol and is sleepy", CrisisType.OVERDOSE),
        ("i done 3 bags and i feel like im gonna pass out", CrisisType.OVERDOSE),
        ("naloxone not working what now", CrisisType.OVERDOSE),
        ("i cant stop cutting and theres so much blood", CrisisType.SUICIDE),
        ("thinking of drinking bleach", CrisisType.SUICIDE),
        ("tonights the night, got everything ready", CrisisType.SUICIDE),
        ("kid next door been crying for hours and i think her mum is passed out", CrisisType.CHILD_AT_RISK),
        ("my kids are home alone, i am stuck in a cell", CrisisType.CHILD_AT_RISK),
        ("my son 5 years he eat the pills of my husband", CrisisType.CHILD_AT_RISK),
        ("my child take medicine from the cupboard, many tablet", CrisisType.CHILD_AT_RISK),
        ("my neighbours kid has been shut out in the cold all night", CrisisType.CHILD_AT_RISK),
        ("my daughters boyfriend is hitting her and shes 14", CrisisType.CHILD_AT_RISK),
        # a kinship carer whose sister turns up tonight: the child is at risk again
        ("my sisters kids live with me but tonight she turned up off her face and took the baby",
         CrisisType.CHILD_AT_RISK),
        ("my ex is here and hes broke in", CrisisType.DOMESTIC_ABUSE),
        ("partner drunk and violent, hes punching walls and me", CrisisType.DOMESTIC_ABUSE),
        ("locked in the bathroom, he is going crazy outside", CrisisType.DOMESTIC_ABUSE),
        ("the dealers in my flat just battered me", CrisisType.DOMESTIC_ABUSE),
        ("he booted me in the stomach and im 6 months pregnant", CrisisType.DOMESTIC_ABUSE),
        # cuckooing with violence now is still an emergency
        ("my mate is being cuckooed and they are beating him up", CrisisType.DOMESTIC_ABUSE),
    ],
)
def test_round_8_crises_are_caught_by_the_patterns(message, expected):
    """The patterns alone, so the classifier cannot hide a rule that stopped working."""
    match = triage_patterns(message)
    assert match is not None and match.type is expected, (message, match)


@pytest.mark.parametrize(
    "message",
    [
        # a kinship carer: the children are safe with them
        "my sisters kids live with me because shes using",
        "my grandaughter lives with us now because my son is using drugs",
        "the grandkids live with us now since their mum started using",
        "ive had my nephew since his dad went to prison",
        "im raising my granddaughter because her dad is in prison and her mum is using",
        "my brothers kids moved in with us because hes using again",
        # the development half's pattern false alarms
        "i got hit by my partner in my last relationship",
        "we're at the top of the car park, where's the entrance",
        "stood on the ledge of the climbing wall",
        "end it all? no i mean the meeting",
        "end it all? nah i mean the group chat",
        # od_person_not_responding: someone who will not comply or improve, not a body that will not stir
        "my son is not responding to treatment",
        "he is not responding to the methadone",
        "my dad will not move into a care home",
        "the guy upstairs will not move his bins",
        "my daughter will not answer me when i ask about school",
        # da_round4: a story, a carving knife, a toddler
        "in the soap tonight she stabbed her husband",
        "he has got the knife for carving the turkey",
        "my toddler sat on my chest and woke me up",
        # cuckooing asked about, with no violence now
        "my mate is being cuckooed, people coming and going, what can he do",
        # stories, and a worker's record keeping
        "the book i am reading is about a girl who self harms",
        "the song is about wanting to die but its actually uplifting",
        "in the film the dad beats his son, really hard to watch",
        "one of my clients mentioned suicidal thoughts in the past, how do i record it",
    ],
)
def test_round_8_near_misses_get_no_crisis_reply(message):
    assert triage(message) is None, (message, triage(message))


@pytest.mark.parametrize(
    "crisis",
    [
        "i want to end it all, no i mean it",
        "i want to end it tonight no i mean the relationship",
        "im at the top of the car park and i want to jump",
        "my mum is not responding to me",
        "he is not responding to the naloxone",
        "hes not answering me when i shake him",
        "he has got a knife",
    ],
)
def test_round_8_mends_keep_the_crises_beside_them(crisis):
    """Each narrowing above leaves the emergency it sits next to answered."""
    assert triage_patterns(crisis) is not None, crisis


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


@pytest.mark.parametrize(
    "text, expected",
    [
        # format characters (category Cf) are dropped, not turned into spaces
        ("suic\u00adidal", "suicidal"),
        ("not bre\u200bathing", "not breathing"),
        ("wo\u200cn\u200dt wake", "will not wake"),
        ("over\u2060dose\ufeff", "overdose"),
        ("\u200fi want to die\u200e", "i want to die"),
        # lookalike letters and full-width forms
        ("\u043everd\u043ese", "overdose"),  # Cyrillic o
        ("k\u0456ll m\u0443self", "kill myself"),  # Cyrillic i, y
        ("\u03bfverd\u03bfse", "overdose"),  # Greek omicron
        ("\u0421\u0410\u041c\u0415", "came"),  # Cyrillic capitals
        ("\uff48\uff45\uff4c\uff50", "help"),  # full width
        ("na\u0303loxone", "naloxone"),  # combining tilde
        # digits and symbols inside words, but real numbers and postcodes kept
        ("k1ll mys3lf", "kill myself"),
        ("su1c1dal", "suicidal"),
        ("0verdose", "overdose"),
        ("$uicide", "suicide"),
        ("p1lls", "pills"),
        ("LS1 4AB", "ls1 4ab"),
        ("ls14ab m4 b1", "ls14ab m4 b1"),
        ("took 10mg at 3pm in 2015 call 999", "took 10mg at 3pm in 2015 call 999"),
        ("help!me", "help me"),
        # stretched and doubled letters
        ("diiiie", "die"),
        ("helpppp", "help"),
        ("suiicidal", "suicidal"),
        ("tabllets", "tablets"),
        ("acting odd", "acting odd"),
        ("feed the kids", "feed the kids"),
        # words split or spelled out
        ("over dose", "overdose"),
        ("o.d", "overdose"),
        ("o d", "overdose"),
        ("k i l l", "kill"),
        ("s-u-i-c-i-d-e", "suicide"),
        ("kill my self", "kill myself"),
        ("kill him self", "kill himself"),
        ("swal lowed", "swallowed"),
        ("i m a mess", "i m a mess"),
        # SMS and slang
        ("my mate has od", "my mate has overdosed"),
        ("he od'd", "he overdosed"),
        ("she's ODing", "she is overdosing"),
        ("od-ing", "overdosing"),
        ("kms", "kill myself"),
        ("kys", "kill myself"),
        ("unalive myself", "kill myself"),
        ("he unalived himself", "he killed himself"),
    ],
)
def test_normalise_sees_through_disguise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    ["help!me!" * 2000, "k i l l " * 1000, "aabbccddeeff" * 1000, "o" * 20000, "a " * 3000,
     "k1ll3d " * 1000, "\u200b" * 20000],
)
def test_odd_long_input_stays_cheap(text):
    """The repairs are linear: nothing a message can hold makes triage slow (these took
    seconds when a stretched word was scanned once per letter)."""
    started = time.perf_counter()
    triage(text)
    assert time.perf_counter() - started < 5


def test_normalise_survives_bad_unicode():
    assert normalise("\udfff") == ""
    assert normalise("he\udfffs not breathing") in ("he s not breathing", "he is not breathing")
    assert triage("\ud800\udc00 not breathing \udfff") is not None


# ------------------------------------------------------------------------------- fuzzing
# One disguise per crisis line from the development corpus must not hide it. Bounded and
# derandomised, so CI sees the same examples every run.

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
LOOKALIKES = {
    "a": ["\u0430", "\u03b1"], "e": ["\u0435", "\u03b5"], "o": ["\u043e", "\u03bf"],
    "p": ["\u0440", "\u03c1"], "c": ["\u0441"], "y": ["\u0443"], "x": ["\u0445", "\u03c7"],
    "i": ["\u0456", "\u03b9"], "s": ["\u0455"], "j": ["\u0458"], "k": ["\u03ba"],
    "v": ["\u03bd"], "t": ["\u03c4"], "u": ["\u03c5"],
}
# Crisis keywords a stray space is put inside ("overdose" -> "over dose").
KEYWORDS = {
    "overdose", "overdosed", "overdosing", "suicidal", "suicide", "myself", "himself", "herself",
    "themselves", "breathing", "breathe", "unconscious", "unresponsive", "tablets", "pills",
    "methadone", "swallowed", "kill", "killing", "die", "dying", "dead", "wake", "blue", "grey",
    "collapsed", "fitting", "seizure", "hurt", "hurting", "hit", "hitting", "knife", "scared",
    "threatened", "threatening", "alone", "baby", "toddler", "strangled", "punched", "beats",
    "beating", "cutting", "harm", "hang", "jump", "end", "life", "live", "naloxone", "heroin",
    "paracetamol", "needle", "drunk", "screaming",
}
# Doubling a letter can make another real word ("son" -> "soon", "to" -> "too"): such a
# message says something else, so it is not a disguise.
REAL_DOUBLES = {
    "soon", "too", "off", "odd", "feed", "been", "good", "moon", "poor", "boot", "food", "hell",
    "well", "tell", "bell", "sell", "fell", "will", "ill", "all", "see", "wee", "bee", "fee",
    "agree", "need", "seed", "weed", "deed", "reed", "week", "seek", "cheek", "sleep", "keep",
    "door", "floor", "look", "took", "book", "cook", "hook", "loose", "choose", "noose", "boss",
    "miss", "kiss", "less", "mess", "pass", "class", "grass", "glass", "butt", "putt", "fill",
    "kill", "pill", "hill", "bill", "mill", "still", "doll", "roll", "toll", "full", "pull",
    "hopping", "planned", "dinner", "latter", "bitter", "litter", "matter", "letter", "better",
}
WORD = re.compile(r"[A-Za-z]{2,}")
FUZZ_LINES = [(label, message) for label, message in CRISIS if WORD.search(message)]


def _word_spans(message: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(message)]


@st.composite
def disguised(draw):
    label, message = draw(st.sampled_from(FUZZ_LINES))
    spans = _word_spans(message)
    kind = draw(st.sampled_from(["invisible", "lookalike", "double", "case", "split"]))
    if kind == "invisible":
        start, end = draw(st.sampled_from(spans))
        at = draw(st.integers(start + 1, end - 1))
        message = message[:at] + draw(st.sampled_from(INVISIBLE)) + message[at:]
    elif kind == "lookalike":
        places = [i for s, e in spans for i in range(s, e) if message[i].lower() in LOOKALIKES]
        if places:
            at = draw(st.sampled_from(places))
            message = message[:at] + draw(st.sampled_from(LOOKALIKES[message[at].lower()])) + message[at + 1:]
    elif kind == "double":
        # a doubled letter inside a word of three letters or more; one that only turns a word
        # into another ("to" -> "too", "od" -> "odd") is a different message
        long_words = [(s, e) for s, e in spans if e - s >= 3] or spans
        start, end = draw(st.sampled_from(long_words))
        at = draw(st.integers(start, end - 1))
        doubled = message[:at] + message[at] + message[at:]
        assume(doubled[start:end + 1].lower() not in REAL_DOUBLES)
        message = doubled
    elif kind == "case":
        # only where case carries no meaning ("ODd" is "overdosed", "ODD" is not)
        if normalise(message.lower()) == normalise(message) and message.isascii():
            message = draw(st.sampled_from([message.upper(), message.title(), message.swapcase()]))
    else:
        keywords = [(s, e) for s, e in spans if message[s:e].lower() in KEYWORDS and e - s >= 3]
        if keywords:
            start, end = draw(st.sampled_from(keywords))
            at = draw(st.integers(start + 1, end - 1))
            message = message[:at] + " " + message[at:]
    return kind, label, message


@settings(max_examples=1000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_one_disguise_does_not_hide_a_crisis(case):
    kind, label, message = case
    match = triage(message)
    assert match is not None and match.type.value == label, (kind, message, normalise(message), match)
