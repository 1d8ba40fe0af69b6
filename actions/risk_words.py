"""Reply texts for issue 20's topics (detox, rehab, overdose risk, drinking check, withdrawal).

Channel-free plain text: channels shorten and speak it. Facts follow the design notes (DESIGN.md)
(FRANK/drug-service harm reduction, the UK CMOs' guideline). National numbers come from the
directory (passed in), never written here, so a changed number is fixed in one place.
"""
from __future__ import annotations

from typing import Optional

from understanding import risky_moments as rm

DETOX = ("A detox is usually arranged by your local drug and alcohol service. They do an assessment, "
         "plan it with you and arrange the funding, so that is the place to start. There can be a wait: "
         "ring and ask how long it is.")
REHAB = ("Residential rehab is usually arranged by your local drug and alcohol service. They do an "
         "assessment, refer you and arrange the funding. There is often a wait: ring and ask how long it is.")
OVERDOSE_RISK = ("Please be careful: after prison, a detox, rehab, a hospital stay or any break, your "
                 "tolerance drops within days, and your old amount can kill you. Use much less, don't use "
                 "alone, and carry naloxone. Ask the prison's drug team or your local drug service for a "
                 "kit before you leave. Mixing with drink, benzos or gabapentin makes it more dangerous.")
# The same facts for a worker writing about a client (a probation officer, a hostel worker): about
# "them", so the worker is not spoken to as the person leaving prison.
OVERDOSE_RISK_CLIENT = ("Please make sure they know: after prison, a detox, rehab, a hospital stay or any break, "
                        "tolerance drops within days, and their old amount can kill them. Using much less, not "
                        "using alone and carrying naloxone all help. The prison's drug team or the local drug "
                        "service can give them a kit before they leave. Mixing with drink, benzos or gabapentin "
                        "makes it more dangerous.")
WITHDRAWAL_CLIENT = ("If they drink heavily every day, they shouldn't stop suddenly on their own: withdrawal can "
                     "cause fits. Their GP, the local alcohol service or NHS 111 can help them cut down or stop "
                     "safely.")
# The same facts for a family member or a worker writing about someone else (issue 20 item 2):
# the person leaving prison or treatment is "them", and the family can keep a kit at home too.
OVERDOSE_RISK_OTHERS = ("Please be careful: after prison, a detox, rehab, a hospital stay or any break, tolerance "
                        "drops within days, and their old amount can kill them. Tell them: use much less, don't use "
                        "alone, and carry naloxone. They can ask the prison's drug team or their local drug service "
                        "for a kit before they leave, and you can get a naloxone kit for the house too. Mixing with "
                        "drink, benzos or gabapentin makes it more dangerous.")
DRINK_CHECK = ("A quick check: the UK guideline is no more than 14 units a week, spread over 3 or more days. "
               "A pint of 4% beer is about 2.3 units, a medium glass of wine (175ml) about 2, a bottle of "
               "wine about 9, a single spirit 1. If you're over that most weeks, it's worth talking to someone.")
WITHDRAWAL = ("If you drink heavily every day, please don't stop suddenly on your own: withdrawal can "
              "cause fits. Speak to your GP, your local alcohol service or NHS 111 first, and they can "
              "help you cut down or stop safely.")


def drink_next_steps(drinkline_number: Optional[str]) -> str:
    """Where to go after the self-check. Drinkline's number comes from the directory."""
    line = f"Drinkline ({drinkline_number})" if drinkline_number else "Drinkline"
    return f"You can talk it over with {line}, free and confidential, with your GP, or with your local alcohol service."


def topic_reply(topic: Optional[str], drinkline_number: Optional[str] = None,
                for_worker: bool = False, about_someone_else: bool = False) -> Optional[str]:
    """The reply for a topic from understanding.risky_moments, or None when it's not one of ours.
    `for_worker`: a professional is writing about a client; `about_someone_else`: a relative (or
    worker) is writing about the person at risk. Either way the words are about "them"."""
    if for_worker and topic in (rm.OVERDOSE_RISK, rm.WITHDRAWAL):
        return OVERDOSE_RISK_CLIENT if topic == rm.OVERDOSE_RISK else WITHDRAWAL_CLIENT
    if topic == rm.DRINK_CHECK:
        return f"{DRINK_CHECK} {drink_next_steps(drinkline_number)}"
    if topic == rm.OVERDOSE_RISK and about_someone_else:
        return OVERDOSE_RISK_OTHERS
    return {rm.DETOX: DETOX, rm.REHAB: REHAB, rm.OVERDOSE_RISK: OVERDOSE_RISK, rm.WITHDRAWAL: WITHDRAWAL}.get(topic)
