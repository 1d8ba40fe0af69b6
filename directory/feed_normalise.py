"""What councils' live ORUK feeds carry, read the way Waymark keeps it (issue 21).

- HTML in a text field becomes plain text: paragraphs, headings and list items stay as lines,
  entities are decoded, scripts and styles are dropped (BeautifulSoup, Python's own parser).
- Phone numbers are written the UK way ("0113 496 0555"; other countries' as "+1 415-555-2671");
  short numbers (999, 111, 116 123) are kept as given; anything that cannot be a phone number
  is refused (None).
- Web addresses must be http(s) with a host ("www.example.org" gets "https://"); emails must
  look like one ("mailto:" is dropped). Anything else is refused (None).
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urlsplit

import phonenumbers
from bs4 import BeautifulSoup, Comment
from phonenumbers import shortnumberinfo

# A tag (<p>, </li>, <br/>, <!-- -->) or an entity (&amp; &#39; &#x27;).
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>|<!--|&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_DROPPED = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_BLOCKS = ("p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote", "pre",
           "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "table", "ul", "ol", "dl",
           "address", "figure", "figcaption", "hr", "form", "fieldset", "nav")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def html_to_text(text: str) -> str:
    """Plain text with one line per paragraph, heading or list item (unchanged if no HTML)."""
    if not looks_like_html(text):
        return text
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = []
    for line in soup.get_text().replace("\xa0", " ").splitlines():
        line = re.sub(r"[ \t\r\f\v]+", " ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def phone_number(text: str) -> Optional[tuple[str, Optional[str]]]:
    """(the number written the UK way, its extension if it had one), or None when it cannot be
    a phone number."""
    raw = re.sub(r"^\s*(tel|phone|call)\s*:?\s*", "", str(text), flags=re.I).strip()
    if not raw or not re.search(r"\d", raw):
        return None
    try:
        parsed = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    extension = parsed.extension or None
    parsed.extension = None
    if parsed.country_code == 44 and shortnumberinfo.is_valid_short_number_for_region(parsed, "GB"):
        return re.sub(r"\s+", " ", raw), extension  # 999, 111, 116 123: as people write them
    # A UK number of the right length is kept even when not (yet) allocated: Ofcom's ranges for
    # drama (07700 900xxx) are used by the sample data and by feeds' test records.
    if phonenumbers.is_possible_number(parsed) and (phonenumbers.is_valid_number(parsed)
                                                   or parsed.country_code == 44):
        style = (phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 44
                 else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        formatted = phonenumbers.format_number(parsed, style)
        # A UK number the publisher already grouped is kept as they grouped it: helplines are
        # known by their own spacing ("0808 2000 247", not the library's "0808 200 0247").
        written = re.sub(r"\s+", " ", raw.split(";")[0].split(" ext")[0]).strip()
        if (parsed.country_code == 44 and re.fullmatch(r"0\d+(?: \d+)+", written)
                and written.replace(" ", "") == formatted.replace(" ", "")):
            return written, extension
        return formatted, extension
    return None


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$", re.I)


def web_address(text: str) -> Optional[str]:
    value = str(text).strip()
    if not value or re.search(r"\s", value):
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        if value.lower().startswith(("mailto:", "tel:", "javascript:", "data:")):
            return None
        value = "https://" + value.lstrip("/")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(host):
        return None
    return value


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                    r"[A-Za-z]{2,63}$")


def email_address(text: str) -> Optional[str]:
    value = re.sub(r"^mailto:", "", str(text).strip(), flags=re.I)
    return value if _EMAIL.match(value) and ".." not in value else None
