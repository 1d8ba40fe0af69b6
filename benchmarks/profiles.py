"""What the simulated people say in `benchmarks/conversations.py`: two named load profiles.

realistic   The load issue 24 asks to be measured on. Conversations of 4-12 turns from every
            kind of person who chats (someone who uses, a family member or carer, a young
            person, frontline staff), opening with the long, misspelt, several-needs-at-once
            messages people really send, then follow-ups on the listing they were given.
            Each text is assembled from parts chosen at random (places, substances, relatives,
            days, spellings), so almost every message is one the server has never seen and
            cannot answer from its repeated-message cache; a third or more of the turns ask the
            directory for something near a place.
short       The four short journeys the benchmark used until December 2026 ("hello", "thanks",
            "bye" and a search or two). Half of their turns are short repeats, which the
            repeated-message cache answers without the model: kept so figures stay comparable
            with earlier ones, not as a picture of real load.

Nothing here comes from the held-out sets (tests/heldout/): those must stay unseen, and the
benchmark prints no message text anyway. Every figure the benchmark gives is read beside the
profile's cache-hit share and search share (`ProfileMix`).

    .venv/bin/python benchmarks/profiles.py --help     # print a sample of a profile and its mix
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from understanding.repeats import RepeatedMessages  # noqa: E402  (what the server would keep)

SEARCH, FOLLOW_UP, OTHER = "search", "follow-up", "other"


@dataclass(frozen=True)
class Turn:
    text: str
    kind: str  # SEARCH: asks the directory for something near a place; FOLLOW_UP: about a listing


Journey = list[Turn]

LEEDS = ["LS1", "LS2", "LS3", "LS4", "LS5", "LS6", "LS7", "LS8", "LS9", "LS10", "LS11", "LS12", "LS13",
         "LS14", "LS15", "LS16", "LS17", "LS18", "LS19", "LS25", "LS26", "LS27", "LS28"]
MANCHESTER = ["M1", "M2", "M3", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M15", "M16", "M19", "M20",
              "M21", "M22", "M23"]
SUBSTANCES = {  # how people name them, by what a search would look for
    "drinking": ["drinking", "the drink", "booze", "alcohol", "drinkin"],
    "heroin": ["heroin", "smack", "gear", "brown"],
    "crack": ["crack", "rock", "white"],
    "cocaine": ["coke", "cocaine", "charlie"],
    "cannabis": ["weed", "cannabis", "skunk"],
    "pills": ["pills", "benzos", "xanax", "valium"],
    "spice": ["spice", "mamba"],
    "ketamine": ["ket", "ketamine"],
}
RELATIVES = ["son", "daughter", "partner", "husband", "wife", "brother", "sister", "mum", "dad", "best mate",
             "boyfriend", "girlfriend", "nephew", "grandson"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "weekend"]
ROLES = ["gp receptionist", "housing officer", "probation officer", "hostel support worker",
         "custody nurse", "social worker", "pharmacist", "practice nurse", "family support worker"]
ENDINGS = ["", "", "", " pls", " please", " x", " thanks", " ta", "?", "??", " asap", " tbh", " cheers"]


def _place(rng: random.Random) -> tuple[str, str]:
    """A district and the way its town is written, e.g. ("LS9", "leeds")."""
    if rng.random() < 0.6:
        return rng.choice(LEEDS), rng.choice(["leeds", "Leeds", "leeds", "LEEDS"])
    return rng.choice(MANCHESTER), rng.choice(["manchester", "Manchester", "manc", "mcr"])


def _typo(text: str, rng: random.Random, chance: float = 0.3) -> str:
    """One slip of the thumb (two letters swapped, one dropped or doubled) in one word, sometimes."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long_words or rng.random() > chance:
        return text
    i = rng.choice(long_words)
    w, j = words[i], rng.randrange(1, len(words[i]) - 2)
    words[i] = rng.choice([w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j + 1:], w[:j] + w[j] + w[j:]])
    return " ".join(words)


LEAD_INS = ["ok ", "ok and ", "sorry ", "thanks, ", "right so ", "one more thing, ", "also ", "and ", "hiya ",
            "quick question ", "sorry to ask again but ", "great, ", "oh ", "can i ask ", "um ", "and also "]


def _say(text: str, rng: random.Random, lead_in: float = 0.0) -> str:
    """The text as a person would type it: sometimes a lead-in ("ok and …"), a slip of the thumb,
    an ending ("pls", "x"), all lower case or not."""
    if rng.random() < lead_in:
        text = rng.choice(LEAD_INS) + text
    text = _typo(text, rng) + rng.choice(ENDINGS)
    return text.lower() if rng.random() < 0.5 else text


def _asked(turns: list[Turn], rng: random.Random) -> list[Turn]:
    """Follow-ups as typed: most start with a lead-in, as people's second and third messages do."""
    return [Turn(_say(t.text, rng, lead_in=0.6), t.kind) for t in turns]


def _opening(text: str, district: str, town: str, rng: random.Random) -> list[Turn]:
    """The first message; in about a third of conversations the place comes only when asked for."""
    if district in text and rng.random() < 0.35:
        bare = text.replace(f", im in {town} {district}", "").replace(f" {town} {district}", "")
        bare = bare.replace(f" near {district}", "").replace(f", {district}", "").replace(f" {district}", "")
        if district not in bare:
            where = rng.choice([district, f"{town} {district}", f"im in {district}", f"{district} area",
                                f"i live in {town}, {district}", f"{district} {town} pls"])
            return [Turn(_say(bare, rng), OTHER), Turn(where, SEARCH)]
    return [Turn(_say(text, rng), SEARCH)]


def _closing(rng: random.Random) -> list[Turn]:
    """Goodbye, or none: many people just stop once they have the number."""
    if rng.random() < 0.4:
        return []
    return [Turn(rng.choice(["thanks", "thank you so much", "ok thanks", "cheers", "ta", "bye",
                             "thats great thanks", "ok", "brill thank you", "thanks thats helped",
                             "thank you, i'll ring them tomorrow", "ok i'll try them, thanks",
                             "thanks for being there at this time of night"]), OTHER)]


def _follow_ups(rng: random.Random, town: str) -> list[Turn]:
    """Questions about the listing just given, each in one of several wordings."""
    day = rng.choice(DAYS)
    other_district = rng.choice(LEEDS if town.lower().startswith("l") else MANCHESTER)
    asks = [
        Turn(rng.choice([f"when are they open on {day}", f"are they open {day}", f"what times {day}",
                         f"can i go {day}", f"whats the hours on {day}"]), FOLLOW_UP),
        Turn(rng.choice(["whats the address", "where is it exactly", "what's the full address",
                         "where are they based", "address?"]), FOLLOW_UP),
        Turn(rng.choice(["any others", "any other options", "is there anywhere else", "anything closer",
                         "any more", "what else is there"]), SEARCH),
        Turn(rng.choice(["is it free", "does it cost anything", "do i have to pay", "how much is it"]), FOLLOW_UP),
        Turn(rng.choice(["can i just walk in", "do i need an appointment", "do i need my gp to refer me",
                         "can i refer myself"]), FOLLOW_UP),
        Turn(rng.choice([f"how do i get there from {other_district}", "how do i get there",
                         f"is there a bus from {other_district}"]), FOLLOW_UP),
        Turn(rng.choice(["do they do naloxone", "do they give out naloxone", "can i get naloxone there",
                         "do they do needle exchange there"]), FOLLOW_UP),
        Turn(rng.choice(["is it open now", "are they open right now", "open now?", "are they open today"]),
             FOLLOW_UP),
        Turn(rng.choice([f"what about near {other_district}", f"anything in {other_district} instead",
                         f"what about {other_district}"]), SEARCH),
        Turn(rng.choice(["whats their number", "what number do i ring", "can i text them", "phone number?"]),
             FOLLOW_UP),
        Turn(rng.choice([f"wheres the nearest needle exchange to {other_district}",
                         f"is there a family group near {other_district}",
                         f"any aa or na meetings near {other_district}",
                         f"where can i get naloxone near {other_district}",
                         f"is there a chemist that does needles in {other_district}"]), SEARCH),
        Turn(rng.choice(["is there somewhere open now instead", "anywhere open tonight",
                         "is there anything open at the weekend near me", "what's open today near me"]), SEARCH),
    ]
    rng.shuffle(asks)
    return asks


def _uses(rng: random.Random) -> Journey:
    district, town = _place(rng)
    sub = rng.choice(list(SUBSTANCES))
    said = rng.choice(SUBSTANCES[sub])
    months = rng.randint(2, 30)
    opening = rng.choice([
        f"i need help with my {said} {district}",
        f"been using {said} every day for about {months} months now and i want to stop but i dont know "
        f"where to start, im in {town} {district}",
        f"where can i get clean needles near {district}",
        f"any drug services near {district}, need to sort my {said} out",
        f"i want to stop {said} where do i go {district}",
        f"can i get a script for {said} in {town} {district}, been on it {months} months",
        f"im sleeping rough in {town} and using {said} again, is there anywhere i can go today {district}",
        f"just got out of prison and living in {district} now, need a drug service for my {said}",
        f"need naloxone {district}",
    ])
    turns = _opening(opening, district, town, rng)
    if rng.random() < 0.2:
        turns.append(Turn(_say(rng.choice(["are you a real person", "is this confidential",
                                           "will my gp find out"]), rng, lead_in=0.5), OTHER))
    return turns + _asked(_follow_ups(rng, town)[:rng.randint(2, 8)], rng) + _closing(rng)


def _family(rng: random.Random) -> Journey:
    district, town = _place(rng)
    sub = rng.choice(list(SUBSTANCES))
    said, rel = rng.choice(SUBSTANCES[sub]), rng.choice(RELATIVES)
    opening = rng.choice([
        f"my {rel} is on {said} and im at breaking point, is there anything for me? im in {district}",
        f"my {rel} has been {said if sub == 'drinking' else 'using ' + said} for years and it's tearing the "
        f"family apart. I don't know who to talk to. We live in {town} {district}",
        f"is there any support for families near {district}, my {rel} uses {said}",
        f"how do i get a carers assessment, i look after my {rel} who uses {said}, {town} {district}",
        f"can i get naloxone for the house, my {rel} uses {said}, {district}",
    ])
    turns = _opening(opening, district, town, rng)
    extra = [Turn(rng.choice(["do i count as a carer", "what is a carers assessment",
                              "what happens at a family group", "can i go on my own without him"]), FOLLOW_UP),
             Turn(f"is there anything for my {rel} as well", SEARCH)]
    return turns + _asked(extra[:rng.randint(0, 2)] + _follow_ups(rng, town)[:rng.randint(1, 6)], rng) \
        + _closing(rng)


def _young(rng: random.Random) -> Journey:
    district, town = _place(rng)
    age = rng.randint(13, 19)
    said = rng.choice(SUBSTANCES[rng.choice(["drinking", "cannabis", "cocaine", "ketamine", "pills"])])
    opening = rng.choice([
        f"im {age} and using {said} most days, is there anywhere for people my age in {town} {district}",
        f"im {age}, my mates say ive got a problem with {said}, {district}",
        f"my mum drinks every night and im {age}, is there anyone i can talk to near {district}",
        f"im {age} and want to cut down on {said} without my parents knowing {district}",
    ])
    turns = _opening(opening, district, town, rng) + _asked([Turn(rng.choice(
        ["will my parents find out", "is it confidential", "do i have to give my name", "will school be told"]),
        OTHER)], rng)
    return turns + _asked(_follow_ups(rng, town)[:rng.randint(1, 6)], rng) + _closing(rng)


def _staff(rng: random.Random) -> Journey:
    district, town = _place(rng)
    role = rng.choice(ROLES)
    said = rng.choice(SUBSTANCES[rng.choice(list(SUBSTANCES))])
    opening = rng.choice([
        f"im a {role}, how do i refer someone for {said} treatment in {district}",
        f"hi, {role} here, i have a patient at the desk who wants help with {said} today, they live in {district}",
        f"who runs the drug and alcohol service in {town} now, i need to refer a client in {district}",
        f"as a {role} can i refer a client for alcohol detox, {town} {district}",
    ])
    turns = _opening(opening, district, town, rng)
    if rng.random() < 0.6:
        turns.append(Turn(_say(rng.choice(["im a professional", f"i'm a {role}", "it's for a client"]), rng), OTHER))
    asks = [Turn(rng.choice(["what do i need to include in the referral", "how do i refer",
                             "can i refer by phone", "is there a referral form"]), FOLLOW_UP),
            Turn(rng.choice(["how long is the wait", "can they be seen today", "do they take self referrals"]),
                 FOLLOW_UP)]
    return turns + _asked(asks[:rng.randint(1, 2)] + _follow_ups(rng, town)[:rng.randint(1, 5)], rng) \
        + _closing(rng)


def realistic(rng: random.Random) -> Journey:
    """One conversation of 4-12 turns, the kind of person drawn in proportion to who texts."""
    make: Callable[[random.Random], Journey] = rng.choices([_uses, _family, _young, _staff],
                                                           weights=[4, 3, 1, 2])[0]
    journey = make(rng)
    while len(journey) < 4:  # a short draw gets one more question before its goodbye
        journey += _asked(_follow_ups(rng, "leeds")[:1], rng)
    return journey[:12]


SHORT_JOURNEYS = [
    ["hello", "I need help with my drinking near LS1 4AP", "thanks", "bye"],
    ["hi", "wheres the nearest needle exchange", "LS6", "what about in Manchester instead"],
    ["can i talk to a real person", "i want help for my drinking", "leeds", "cheers"],
    ["help with crack near M1 2AA", "are you a bot", "thanks"],
]
_SHORT_KINDS = {"I need help with my drinking near LS1 4AP": SEARCH, "LS6": SEARCH, "leeds": SEARCH,
                "what about in Manchester instead": SEARCH, "help with crack near M1 2AA": SEARCH}


def short(rng: random.Random) -> Journey:
    return [Turn(text, _SHORT_KINDS.get(text, OTHER)) for text in rng.choice(SHORT_JOURNEYS)]


PROFILES: dict[str, Callable[[random.Random], Journey]] = {"realistic": realistic, "short": short}


class ProfileMix:
    """What share of the turns sent could be answered from the server's repeated-message cache,
    and what share asked the directory for something. A turn counts as a possible cache hit when
    the server's cache would keep its text (short, no digits) and the same text was sent before in
    this run: with several workers each has its own cache, so this is the most it can be."""

    def __init__(self, sent_before: set[str] | None = None) -> None:
        """`sent_before`: texts this server has already been sent (its cache lives as long as it
        does); shared and added to, so successive runs on one server are counted as it sees them."""
        self._cache = RepeatedMessages()
        self._sent = sent_before if sent_before is not None else set()
        self.turns = self.cacheable_repeats = self.searches = 0

    def count(self, turn: Turn) -> None:
        self.turns += 1
        self.searches += turn.kind == SEARCH
        if self._cache.keeps(turn.text) and turn.text in self._sent:
            self.cacheable_repeats += 1
        self._sent.add(turn.text)

    def share(self, part: int) -> float:
        return round(part / self.turns, 3) if self.turns else 0.0

    def summary(self) -> dict[str, float]:
        return {"turns": self.turns, "cache_hit_share": self.share(self.cacheable_repeats),
                "new_message_share": self.share(self.turns - self.cacheable_repeats),
                "search_share": self.share(self.searches)}


def sample(profile: str, conversations: int, seed: int = 0) -> tuple[list[Journey], dict[str, float]]:
    rng, mix = random.Random(seed), ProfileMix()
    journeys = [PROFILES[profile](rng) for _ in range(conversations)]
    for journey in journeys:
        for turn in journey:
            mix.count(turn)
    return journeys, mix.summary()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="realistic")
    parser.add_argument("--conversations", type=int, default=500, help="how many to draw (default 500)")
    parser.add_argument("--show", type=int, default=3, help="print this many conversations (default 3)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    journeys, mix = sample(args.profile, args.conversations)
    for journey in journeys[:args.show]:
        print("\n".join(f"  [{t.kind}] {t.text}" for t in journey), end="\n\n")
    lengths = sorted(len(j) for j in journeys)
    print(f"{args.profile}: {args.conversations} conversations, {lengths[0]}-{lengths[-1]} turns; {mix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
