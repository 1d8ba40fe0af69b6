"""Turning the assistant's replies into text messages a person can read on any phone.

Plain functions, no I/O:
- `to_gsm7` keeps text in the GSM-7 alphabet every handset shows (curly quotes, long dashes
  and ellipses become their plain forms; emoji and other symbols are dropped), so a message
  costs 160 characters a segment instead of 70.
- `segment_count` and `split_for_sms` keep each message within three segments, splitting
  longer content at sentence boundaries.
- `numbered_choices` / `choice_from_reply` turn buttons into "Reply 1 for ..." and back.
- `is_discreet` / `make_discreet`: what a lock screen shows (the first 40 characters) never
  spells out drugs or alcohol.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional, Sequence

# The GSM 03.38 default alphabet (without the escape character) and its extension table,
# whose characters cost two septets each.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
SINGLE_SEGMENT = 160
CONCATENATED_SEGMENT = 153
UCS2_SINGLE, UCS2_CONCATENATED = 70, 67
MAX_SEGMENTS = 3

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u2022": "-", "\u00b7": "-", "\u00d7": "x",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ", "\t": " ",
}


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def _fold(char: str) -> str:
    """One character in GSM-7: itself, a plain replacement, its unaccented letter, or nothing."""
    if char in GSM7_BASIC or char in GSM7_EXTENDED:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and base != char and all(c in GSM7_BASIC for c in base):
        return base
    return ""  # emoji, pictographs, zero-width joiners, variation selectors, other scripts


def to_gsm7(text: str) -> str:
    """Normalise text to the GSM-7 alphabet; tidy the spaces that dropped characters leave."""
    text = "".join(_fold(c) for c in text.replace("\r\n", "\n"))
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def septets(text: str) -> int:
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def segment_count(text: str) -> int:
    """How many SMS segments the text is sent as (GSM-7 if it fits the alphabet, else UCS-2)."""
    if not text:
        return 1
    if not is_gsm7(text):
        units = len(text.encode("utf-16-le")) // 2
        return 1 if units <= UCS2_SINGLE else -(-units // UCS2_CONCATENATED)
    if septets(text) <= SINGLE_SEGMENT:
        return 1
    segments, used = 1, 0
    for c in text:  # an escaped character is never split across two segments
        cost = 2 if c in GSM7_EXTENDED else 1
        if used + cost > CONCATENATED_SEGMENT:
            segments, used = segments + 1, 0
        used += cost
    return segments


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segment_count(text) <= max_segments


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


def _split_long(sentence: str, budget: int) -> list[str]:
    """A sentence too long for one message is cut between words (mid-word only if it must)."""
    pieces, current = [], ""
    for word in sentence.split(" "):
        while septets(word) > budget:
            head, word = word[:budget], word[budget:]
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current} {word}" if current else word
        if septets(candidate) <= budget:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def split_for_sms(text: str, max_segments: int = MAX_SEGMENTS, reserve: int = 0) -> list[str]:
    """Split GSM-7 text into messages of at most `max_segments` segments each, at sentence
    boundaries (paragraphs kept apart with a blank line). `reserve` septets are kept free in
    every message for a lead-in added afterwards."""
    budget = (SINGLE_SEGMENT if max_segments == 1 else CONCATENATED_SEGMENT * max_segments) - reserve
    if septets(text) <= budget:
        return [text] if text else []
    messages: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()):
        if current and septets(f"{current}\n\n{paragraph}") <= budget:
            current = f"{current}\n\n{paragraph}"
            continue
        if septets(paragraph) <= budget:  # a paragraph that fits a message of its own is kept whole
            if current:
                messages.append(current)
            current = paragraph
            continue
        for s_index, sentence in enumerate(_sentences(paragraph)):
            joiner = "\n\n" if s_index == 0 else " "
            for piece in _split_long(sentence, budget) if septets(sentence) > budget else [sentence]:
                candidate = f"{current}{joiner}{piece}" if current else piece
                if septets(candidate) <= budget:
                    current = candidate
                else:
                    messages.append(current)
                    current = piece
                joiner = " "
    if current:
        messages.append(current)
    return messages


# --- numbered choices -------------------------------------------------------------------

def title_in_sentence(title: str) -> str:
    title = to_gsm7(title).rstrip(".")
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        return title[0].lower() + title[1:]
    return title


def numbered_choices(buttons: Sequence[dict]) -> tuple[str, list[dict]]:
    """Buttons as one line of numbered choices, and the choices to remember for the reply."""
    choices = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in buttons if b.get("payload")]
    if not choices:
        return "", []
    parts = [f"{n} for {title_in_sentence(c['title'])}" for n, c in enumerate(choices, start=1)]
    if len(parts) == 1:
        line = f"Reply {parts[0]}."
    else:
        line = "Reply " + ", ".join(parts[:-1]) + f" or {parts[-1]}."
    return line, choices


_NUMBER_REPLY = re.compile(r"^\s*(?:option\s*)?#?(\d{1,2})\s*[.)!]?\s*$", re.IGNORECASE)


def choice_from_reply(text: str, choices: Sequence[dict]) -> Optional[str]:
    """The payload a reply such as "1", "2." or a choice's own title stands for, if any."""
    if not choices:
        return None
    match = _NUMBER_REPLY.match(text)
    if match:
        index = int(match.group(1)) - 1
        return choices[index]["payload"] if 0 <= index < len(choices) else None
    said = text.strip().strip(".!").lower()
    for choice in choices:
        if said and said == choice["title"].strip().lower():
            return choice["payload"]
    return None


# --- discretion ---------------------------------------------------------------------------

LOCK_SCREEN_CHARS = 40
# Whole words, and stems that match any word starting with them ("drink" -> drinking, drinker).
SENSITIVE_WORDS = frozenset({
    "crack", "coke", "meth", "weed", "spice", "smack", "ghb", "mdma", "pills", "pill",
    "drunk", "booze", "sober", "detox", "rehab", "sharps",
})
SENSITIVE_STEMS = (
    "heroin", "cocaine", "drug", "alcohol", "drink", "needle", "syringe", "inject", "overdos",
    "naloxone", "nyxoid", "prenoxad", "methadone", "buprenorphine", "subutex", "opioid", "opiate",
    "cannabis", "ketamine", "ecstasy", "amphetamine", "benzo", "chemsex", "addict", "substance",
    "recovery", "relapse", "narcotic", "withdrawal", "intoxicat",
)
NEUTRAL_LEADS = ("Waymark: ", "Here is what I found. ")
# Long enough on its own to fill what a lock screen shows, so it is always clean.
FALLBACK_LEAD = "Waymark: here is the reply to your message.\n\n"
MAX_LEAD = max(len(x) for x in NEUTRAL_LEADS + (FALLBACK_LEAD,))


def lock_screen_words(text: str, limit: int = LOCK_SCREEN_CHARS) -> list[str]:
    """The words within the first `limit` characters, including a word the limit cuts."""
    shown = text[:limit] + re.match(r"\S*", text[limit:]).group()
    return re.findall(r"[a-z]+", shown.lower())


def sensitive_words(text: str, limit: int = LOCK_SCREEN_CHARS) -> list[str]:
    return [w for w in lock_screen_words(text, limit) if w in SENSITIVE_WORDS or w.startswith(SENSITIVE_STEMS)]


def is_discreet(text: str, limit: int = LOCK_SCREEN_CHARS) -> bool:
    return not sensitive_words(text, limit)


def make_discreet(text: str) -> str:
    """Prefix a neutral lead-in so the first 40 characters never spell out drugs or alcohol.
    A text that already opens with "Waymark" and is clean is left as it is."""
    if text.startswith("Waymark") and is_discreet(text):
        return text
    for lead in NEUTRAL_LEADS:
        if is_discreet(lead + text):
            return lead + text
    return FALLBACK_LEAD + text


def format_replies(texts: Iterable[str], buttons: Sequence[dict] = ()) -> tuple[list[str], list[dict]]:
    """The assistant's replies for one turn as SMS bodies: joined, GSM-7, numbered choices at
    the end, split at sentence boundaries into messages of at most three segments, each with
    a discreet opening. Returns the bodies and the choices offered."""
    body = "\n\n".join(t for t in (to_gsm7(t) for t in texts) if t)
    line, choices = numbered_choices(buttons)
    if line:
        body = f"{body}\n\n{line}" if body else line
    return [make_discreet(part) for part in split_for_sms(body, reserve=MAX_LEAD)], choices
