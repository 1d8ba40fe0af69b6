"""The words of each journey, as plain functions of what the directory says. Tested alone.

Facts come from Waymark's design notes ("Facts the assistant relies on"); phone numbers
always come from directory records passed in, never from this file. Short sentences,
person-first, SMS-sized.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from actions.replies import hours_sentence
from directory import hours
from directory.search import ServiceMatch

SELF, FAMILY, YOUNG, PRO = "self", "family", "young-person", "professional"

# --- who is asking ----------------------------------------------------------------------

ASK_PERSONA = "Who is it for? It helps me give you the right answer."

PERSONA_THANKS = {
    SELF: "Thanks. I'll keep that in mind.",
    FAMILY: "Thanks. Families and carers can get help in their own right, not just the person who uses.",
    YOUNG: "Thanks for telling me. Young people have their own services, and they are confidential.",
    PRO: "Thanks. I'll give you referral routes: who can refer, how, and what to include.",
}

PERSONA_NEXT = {
    SELF: [("Find help near me", '/find_service{"need": "treatment"}'),
           ("Clean needles", '/find_service{"need": "needle-exchange"}'),
           ("Naloxone", "/ask_naloxone")],
    FAMILY: [("Support for me", "/ask_family_support"),
             ("Carer's assessment", "/ask_carer_info"),
             ("Naloxone", "/ask_naloxone")],
    YOUNG: [("Help near me", "/ask_young_people"),
            ("Is it private?", "/ask_confidentiality"),
            ("Talk to someone", "/ask_human")],
    PRO: [("Referral route", "/ask_referral_route"),
          ("Naloxone for staff", "/ask_naloxone"),
          ("Custody referrals", '/ask_referral_route{"need": "criminal-justice"}')],
}


def buttons(pairs: Iterable[tuple[str, str]]) -> list[dict]:
    return [{"title": t, "payload": p} for t, p in pairs]


# --- naloxone ---------------------------------------------------------------------------

NALOXONE_WHAT = (
    "Naloxone is a medicine that can undo an overdose from heroin, methadone or other opioids "
    "for a short time. It comes as an injection or a nose spray."
)
NALOXONE_WHO = (
    "Drug services can give a kit without a prescription to anyone who might need it to save a life: "
    "the person who uses, family, friends, carers, and hostel or outreach staff. Some pharmacies and "
    "needle exchanges give kits too. Not every place does, so ring first to check."
)
# Provision is patchy (DESIGN.md): every naloxone listing says to ring first.
NALOXONE_RING_FIRST = "Ring first to check they have kits."
NALOXONE_NOT_CRISIS = "If someone has overdosed now, ring 999."

NALOXONE_TIP = {
    SELF: "Keep your kit with you, and show the people you use with where it is.",
    FAMILY: "Family and friends can get a kit too. Ask them to show you how to use it.",
    YOUNG: "You can ask a young people's worker about naloxone. They can talk it through with you.",
    PRO: "Staff in hostels, housing and outreach can get kits and training for the team. Ask for naloxone training.",
}

NALOXONE_FEATURE = {
    SELF: "feature:naloxone-clients",
    FAMILY: "feature:naloxone-families",
    YOUNG: "feature:naloxone-families",
    PRO: "feature:naloxone-training",
}


def naloxone_intro() -> str:
    return f"{NALOXONE_WHAT} {NALOXONE_WHO}"


def naloxone_fit(match: ServiceMatch, persona: Optional[str]) -> str:
    """What this service offers to this person, from its listing."""
    if persona == PRO and "feature:naloxone-training" in match.codes:
        return f"They train staff to use naloxone and can supply kits. {NALOXONE_RING_FIRST}"
    if persona in (FAMILY, YOUNG) and "feature:naloxone-families" in match.codes:
        return f"They give naloxone kits to family and friends. {NALOXONE_RING_FIRST}"
    if persona in (FAMILY, YOUNG, PRO):
        return "Ring first to check they can give a kit to you."
    return f"They give out naloxone kits. {NALOXONE_RING_FIRST}"


# --- harm reduction ---------------------------------------------------------------------

def needle_exchange_extra(match: ServiceMatch) -> Optional[str]:
    parts = []
    if "need:naloxone" in match.codes:
        parts.append(f"They can give you naloxone too. {NALOXONE_RING_FIRST}")
    if "pharmacy" in match.name.lower():
        parts.append("It's a pharmacy scheme: ask at the counter.")
    return " ".join(parts) or None


# --- families and carers ----------------------------------------------------------------

CARER_WHAT = (
    "If you give unpaid help to someone, you're a carer. That counts even if they're your son, "
    "partner or parent, and even if they say they're fine."
)
CARER_ASSESSMENT = (
    "You can ask the council for a carer's assessment. It's free. It's about your needs, not theirs. "
    "It can happen even if the person you care for doesn't want help."
)
YOUNG_CARER = (
    "If you're under 18 and help look after someone, you're a young carer. "
    "You can ask for a young carer's needs assessment. A young people's service can help you ask."
)
ASK_CARED_FOR_PLACE = (
    "Where does the person you care for live? The assessment is done by their council. "
    "A town or postcode is fine."
)
# A kinship carer brings the child up at home, so the council is their own (issue 20, need 12).
ASK_KINSHIP_PLACE = (
    "Where do you live? The carer's assessment is done by the council where the child lives, "
    "so that's your council. A town or postcode is fine."
)
NATIONS_NOTE = "Wales and Scotland have their own rules, so ask their council."


def carer_intro(persona: Optional[str], kinship: bool = False) -> str:
    if persona == YOUNG:
        return YOUNG_CARER
    if kinship:
        return KINSHIP_CARER
    return f"{CARER_WHAT} {CARER_ASSESSMENT}"


def carers_assessment_reply(name: str, phone: Optional[str], place_label: str, opening: str) -> str:
    ring = f"Ring {phone}" if phone else "Get in touch"
    return (
        f"For someone who lives in {place_label}: {name}. {ring} and say you'd like a carer's assessment. "
        f"{opening}"
    ).strip()


def no_carers_team_reply(place_label: str, line_name: Optional[str], line_number: Optional[str]) -> str:
    text = (
        f"I don't have the carers team for {place_label} yet. Ring the council for {place_label} "
        "and ask adult social care for a carer's assessment."
    )
    if line_name and line_number:
        text += f" {line_name} can help you ask: {line_number}."
    return text


FAMILY_EXTRA = "You can also ask for a carer's assessment, and for a naloxone kit for the house."
# Kinship carers (issue 20, need 12): a grandparent, aunt or friend bringing up a child because
# a parent uses is a carer, whether or not they call themselves one.
KINSHIP_CARER = (
    "If you're bringing up a child because their parent uses drugs or alcohol, you're a carer too. "
    "This is often called kinship care. You can ask the council for a carer's assessment. It's free, "
    "and it's about what you need. Family support services are for you as well, in your own right."
)

# --- young people -----------------------------------------------------------------------

# The real limits (DESIGN.md, "Confidentiality"): a serious risk to the person or someone else, a
# child's safety, and criminal-justice or court-ordered treatment (shared with probation or the court).
CONFIDENTIAL_YOUNG = (
    "What you tell a young people's service stays private. They won't tell your parents or school "
    "just because you asked for help. There are limits. If they think you or someone else is in serious "
    "danger, or a child isn't safe, they may have to tell someone to keep you safe. If a court sent you, "
    "they may share how you're doing with the court and the team that sent you. "
    "Ask them to explain their rules at the start."
)
CONFIDENTIAL_ADULT = (
    "Drug and alcohol services are confidential. They don't tell your family, your boss or the police "
    "that you asked for help. There are limits. They may have to share what you say if there is a serious "
    "risk to you or someone else, or if a child may not be safe. If a court or probation sent you, they "
    "share how you're doing with probation or the court. Using drugs or alcohol is not on its own a "
    "reason to tell social services. Ask them to explain their rules at the start."
)
CONFIDENTIAL_BOT = "I'm an automated assistant. You don't have to give me your name."
# A parent's fear that asking means losing their children (issue 20, need 8): what keeps many
# mothers from asking. Honest both ways: using is not on its own a reason to tell social
# services, and a child at risk may have to be shared.
CONFIDENTIAL_PARENT = (
    "Lots of parents worry about this, so it's good you asked. Drug and alcohol services want to help "
    "parents keep their children safe and well. Using drugs or alcohol doesn't on its own mean social "
    "services are told. If a service thinks a child is at risk of harm, they may have to share that. "
    "The other limits are a serious risk to you or someone else, and if a court or probation sent you, "
    "when they share how you're doing with probation or the court. Ask the service to explain its rules "
    "before you start, so you know where you stand."
)


def confidentiality_reply(persona: Optional[str], about_children: bool = False) -> str:
    """The real limits; for a parent afraid of losing their children, the answer to that first."""
    if about_children and persona != YOUNG:
        return f"{CONFIDENTIAL_PARENT} {CONFIDENTIAL_BOT}"
    body = CONFIDENTIAL_YOUNG if persona == YOUNG else CONFIDENTIAL_ADULT
    return f"{body} {CONFIDENTIAL_BOT}"


def childline_line(name: str, number: str, open_now: bool) -> str:
    when = "They're open now." if open_now else "Ring to check when they're open."
    return f"You can also talk to {name} about anything. It's free and private: {number}. {when}"


# --- frontline staff --------------------------------------------------------------------

REFERRAL_WAYS = {
    "access:referral-phone": "by phone",
    "access:referral-form": "with their referral form",
    "access:referral-email": "by email",
}


def referral_route(
    name: str,
    phone: Optional[str],
    codes: set[str],
    include: Optional[str],
    eligibility: Optional[str],
    min_age: Optional[int],
    max_age: Optional[int],
) -> str:
    """Who can refer, how, what to include and who it is for, for a professional."""
    ways = [w for code, w in REFERRAL_WAYS.items() if code in codes]
    parts = [f"How to refer to {name}."]
    if ways:
        how = ", ".join(ways[:-1]) + (" or " if len(ways) > 1 else "") + ways[-1]
        parts.append(f"Refer {how}" + (f" on {phone}." if phone and "by phone" in ways else "."))
    elif phone:
        parts.append(f"Ring {phone}.")
    if "access:self-referral" in codes:
        parts.append("The person can ring them too.")
    else:
        parts.append("The person can't ring them direct: you need to refer.")
    if include:
        parts.append(f"Include: {include.rstrip('.')}.")
    if eligibility:
        parts.append(f"Who it's for: {eligibility.rstrip('.')}.")
    elif min_age or max_age:
        if min_age and max_age:
            parts.append(f"Ages {min_age} to {max_age}.")
        elif min_age:
            parts.append(f"Ages {min_age} and over.")
        else:
            parts.append(f"Up to age {max_age}.")
    return " ".join(parts)


OFFER_CLIENT_TEXT = "Want a short version to text to your client?"
CLIENT_TEXT_NOTE = ("I can't send texts from this chat. The staff page can: sign in at {staff_page} with a "
                    "staff account. Or copy this into a text to them:")


def client_text_note(public_url: str = "") -> str:
    return CLIENT_TEXT_NOTE.format(staff_page=f"{public_url.rstrip('/')}/staff")


def client_text(name: str, phone: Optional[str], walk_in: bool, address: Optional[str], opening_hours: str) -> str:
    """An SMS-sized summary a worker can send to a client."""
    parts = [f"{name.replace(' (sample)', '')}:"]
    if phone:
        parts.append(f"ring {phone}" + (" or walk in." if walk_in else "."))
    elif walk_in:
        parts.append("walk in.")
    if address:
        parts.append(f"{address}.")
    if opening_hours:
        parts.append(hours_sentence(opening_hours).removeprefix("Hours: "))
    return " ".join(parts)


# --- wider needs ------------------------------------------------------------------------

WIDER_INTRO = {
    "housing": "If you're sleeping rough or might lose your home, an outreach or housing team can help. "
               "Using drugs or alcohol shouldn't stop you getting help. A worker will ask where you're "
               "staying now and what you need, then help you look for a safe place to stay.",
    "prison-release": "Leaving prison: what matters most is the release date, where you'll live, and keeping "
                      "any script going. Tell the prison team and the drug service your release date and "
                      "where you'll live, so your script doesn't stop.",
    "pregnancy": "You won't be judged for asking. A specialist midwife can help you plan, alongside your drug "
                 "service and GP. Talk to them before you change what you take.",
    "mental-health": "Your mood and your drug or alcohol use can be looked at together. "
                     "You shouldn't have to sort one out first.",
    "employment": "Work, training and volunteering can be part of recovery. There's help with CVs, courses "
                  "and getting back to work.",
    "advocacy": "An advocate is on your side. They help you say what you want and make sure you're heard. "
                "They don't work for the service.",
    "user-involvement": "Services should listen to the people who use them. At a user forum you can tell them "
                        "what works and what needs to change.",
    "criminal-justice": "Here is who takes drug and alcohol referrals from custody and the courts.",
    "family-support": "Families and carers can get support in their own right, even if the person "
                      "you're worried about doesn't want help.",
    "young-people": "Young people have their own services. They are not the same as adult ones, and they are private.",
}

# Said after the introduction, plainly and without judgement (DESIGN.md, "Tolerance and
# overdose risk"): after time inside, tolerance drops within days and the old amount can kill.
TOLERANCE_AFTER_PRISON = (
    "A warning, with no judgement: after time inside, your body can't take as much. If you use "
    "heroin or other opioids again, your old amount could kill you. Use much less than before. "
    "Don't use alone. Carry naloxone: ask the prison's drug team or your local service for a kit on release."
)
TOLERANCE_AFTER_PRISON_CLIENT = (
    "A warning to pass on, with no judgement: after time inside, their body can't take as much. If they use "
    "heroin or other opioids again, their old amount could kill them. Much less than before, never alone, and "
    "naloxone with them: the prison's drug team or the local service can give a kit on release."
)
WIDER_SAFETY = {"prison-release": TOLERANCE_AFTER_PRISON}
WIDER_SAFETY_CLIENT = {"prison-release": TOLERANCE_AFTER_PRISON_CLIENT}  # said to a worker about their client
WIDER_INTRO_CLIENT = {"prison-release": (
    "Leaving prison: what matters most is the release date, where they'll live, and keeping any script going. "
    "Tell the prison team and the drug service the release date and where they'll live, so the script doesn't stop.")}
# For a family member or worker writing about the person leaving prison (issue 20 item 2): the same
# steps about "them"; the tolerance warning about them has been said first (actions/risk_words.py).
PRISON_RELEASE_OTHERS = (
    "Leaving prison: what matters most is the release date, where they'll live, and keeping any script "
    "going. Tell the prison team and the drug service the release date and where they'll live, so their "
    "script doesn't stop. You can ring the drug service too."
)

ASK_PLACE = {
    "prison-release": "Where will you (or they) live after release? A town or postcode is fine.",
    "carers-assessment": ASK_CARED_FOR_PLACE,
}
ASK_PLACE_DEFAULT = "Where are you? A postcode like LS1 4AP or a town name is fine."


def ask_place(need: Optional[str], persona: Optional[str]) -> str:
    if need in ASK_PLACE:
        return ASK_PLACE[need]
    if persona == PRO:
        return "Which area is it for? A postcode like LS1 4AP or a town name is fine."
    if persona == FAMILY:
        return "Where do you (or they) live? A postcode like LS1 4AP or a town name is fine."
    return ASK_PLACE_DEFAULT


# The whole route (issue 20, need 10; DESIGN.md, "Complaints"), in the order to take it.
COMPLAINT = (
    "You have a right to complain. First, ask the service for its complaints procedure. You can ask "
    "for it in writing. If that doesn't sort it, complain to the council that pays for the service: "
    "ask for its public health team. If you're still not happy, you can go to the Local Government "
    "and Social Care Ombudsman. If the service is run by the NHS, it's the Parliamentary and Health "
    "Service Ombudsman instead. Your local Healthwatch can give you advice along the way. "
    "An independent advocate can help you at every step."
)


LEGAL_ALSO = "A solicitor or Citizens Advice can help with legal questions too."
# When Release is not in the directory: the right kinds of help, never NHS 111 (a health line).
NO_LEGAL_LINE = (
    "I can't find a legal advice line in my directory right now. For advice about drug law, the police "
    "or your rights, try Release's drugs and legal helpline, a solicitor or Citizens Advice."
)


def legal_reply(name: str, number: str, description: Optional[str], notes: Optional[str]) -> str:
    parts = [description or f"{name} gives advice about drug law and your rights.",
             f"Ring {name} on {number}."]
    if notes:
        parts.append(notes)
    parts.append(LEGAL_ALSO)
    return " ".join(parts)


def samaritans_line(name: str, number: str) -> str:
    return f"If you're struggling right now, {name} are there any time: {number}."


# --- waiting and staying in -------------------------------------------------------------

WAITING_INTRO = "Waiting is hard, and it's easy to lose heart. Here's what you can do in the meantime."
RELAPSE = (
    "Thank you for telling me. Lots of people use again after a break. It doesn't undo what you've done, "
    "and nobody should judge you for it. You can ask your service, or another local service, to see you "
    "again. Ring them and ask how soon they can."
)
# After a break, tolerance falls within days (DESIGN.md): the old amount can kill.
RELAPSE_NALOXONE = (
    "After a break, your body can't take as much. If you use opioids, use less than before: your old "
    "amount could kill you. Don't use alone, and keep a naloxone kit with you."
)
RELAPSE_USE_LESS = ("After a break, your body may not take as much. If you use again, use less than before, "
                    "and try not to use alone.")
REMINDER_OFFER = "Would you like a reminder before your appointment?"
REMINDER_ASK_DATE = "When is the appointment? For example: Tuesday, or 14 March."
REMINDER_UNSURE = "Sorry, I couldn't work out that date. Try a day like Tuesday, or a date like 14 March."
REMINDER_NO = "OK. If you miss it, ring them and ask for a new time. You can message me any time."


def waiting_option(label: str, name: str, phone: Optional[str], detail: str) -> str:
    ring = f" Ring {phone}." if phone else ""
    return f"{label}: {name}. {detail}{ring}".replace("..", ".")


def online_option(name: str, number: str, notes: Optional[str]) -> str:
    extra = f" {notes}" if notes else ""
    return f"Talk now: {name} on {number}, free and private.{extra}"


def reminder_set(when_text: str) -> str:
    return (
        f"OK. I'll try to remind you here {when_text}. Put it in your phone too, in case my message doesn't reach you."
    )


def reminder_message(day_text: str) -> str:
    return f"Reminder: your appointment is {day_text}. If you can't go, ring them to change it. Good luck."


# --- asking for a person, when nobody can take the conversation here ---------------------

NOBODY_HERE = "Nobody can chat with you here right now."
NOBODY_ON_THE_LINE = "I can't put you through to a person right now."


def helpline_reply(name: str, phone: Optional[str], text_number: Optional[str], open_now: bool,
                   opens: Optional[str], weekly: str, can_chat_here: bool, on_voice: bool = False) -> str:
    """A national line to ring or text, with its hours. Unless a person can take this
    conversation here now, say so first: the reply then offers no "Talk to a person here"."""
    parts = [] if can_chat_here else [NOBODY_ON_THE_LINE if on_voice else NOBODY_HERE]
    parts.append(f"You can talk to a real person at {name}.")
    parts.append(how_to_reach(phone, text_number))
    parts.append("It is confidential.")
    if weekly == hours.ALWAYS_OPEN:
        parts.append(hours_sentence(weekly))
    else:
        if open_now:
            parts.append("They are open now.")
        else:
            parts.append(f"They are closed now. They open {opens}." if opens else "They are closed now.")
        parts.append(hours_sentence(weekly))
    return " ".join(p for p in parts if p)


# --- service details (journey 10) -------------------------------------------------------

NO_SERVICE_YET = "I haven't suggested a service yet. Tell me what you need and where, and I'll find one."
FIND_ANOTHER = "Tell me what you need and where, and I'll find another service."


def closed_reply(name: str, status: str, successor: Optional[str], alert: Optional[str] = None) -> str:
    """A service that is no longer open, and (from the directory) the one that took over."""
    if status == "temporarily closed":
        text = f"{name} is closed for now."
        if alert:
            text += f" {alert.strip().rstrip('.')}."
    elif status == "defunct":
        text = f"{name} has closed."
    else:  # inactive: gone from its provider's latest listings
        text = f"{name} may have closed. It is not in the latest listings."
    if successor:
        return f"{text} {successor} has taken over from it."
    return f"{text} {FIND_ANOTHER}"


def open_now_reply(name: str, is_open: bool, next_opens: Optional[datetime], now: datetime, weekly: str) -> str:
    if is_open:
        text = f"Yes, {name} is open now."
    elif next_opens is not None:
        text = f"{name} is closed now. It opens {hours.describe_time(next_opens, now)}."
    else:
        text = f"{name} is closed now. Ring to check when it opens."
    if weekly:
        text += f" {hours_sentence(weekly)}"
    return text


def number_reply(name: str, phone: Optional[str], text_number: Optional[str]) -> str:
    if not phone and not text_number:
        return f"I don't have a number for {name}."
    parts = [f"{name}:"]
    if phone:
        parts.append(f"ring {phone}.")
    if text_number:
        parts.append(f"Text {text_number}.")
    return " ".join(parts)


# Why there is no address to give. Only a confidential place (a refuge, a women-only group)
# "keeps its address private to keep people safe"; a phone or text line has no premises.
CONFIDENTIAL, LINE, NO_ADDRESS = "confidential", "line", "no-address"


def directions_reply(name: str, address: Optional[str], postcode: Optional[str], phone: Optional[str],
                     why_no_address: str = NO_ADDRESS, text_number: Optional[str] = None,
                     weekly: str = "") -> str:
    if address:
        text = f"{name} is at {address}."
        if postcode:
            text += f" Put {postcode} into a maps app for directions."
        return text
    if why_no_address == LINE:
        return line_reply(name, phone, text_number, weekly)
    ask = f"Ring {phone} and they'll tell you where to go." if phone else "Ring them to ask where to go."
    if why_no_address == CONFIDENTIAL:
        return f"{name} keeps its address private to keep people safe. {ask}"
    return f"I don't have an address for {name}. {ask}"


def how_to_reach(phone: Optional[str], text_number: Optional[str]) -> str:
    """'Ring {phone} or text {number}.', 'Ring {phone}.', 'Text {number}.' or nothing."""
    if phone and text_number:
        return f"Ring {phone} or text {text_number}."
    if phone:
        return f"Ring {phone}."
    return f"Text {text_number}." if text_number else ""


def line_reply(name: str, phone: Optional[str], text_number: Optional[str], weekly: str = "") -> str:
    """A national line described as a line: no place to visit, how to reach it, and its hours."""
    kind = "text line" if text_number and not phone else "phone line"
    parts = [f"{name} is a {kind}, so there's no address to visit."]
    parts.append(how_to_reach(phone, text_number))
    parts.append(hours_sentence(weekly))
    return " ".join(p for p in parts if p)
