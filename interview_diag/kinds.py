"""Tell a transcript from a single answer, a recap and a follow-up letter.

Plain Python over the transcript and its text. Cue patterns are few and
ordered; the reason for the decision is returned with it.
"""

from __future__ import annotations

import re

from interview_diag.types import Kind, Transcript

_GREETING = re.compile(
    r"^\s*(dear|hi|hello|hey|good (morning|afternoon|evening))\b[^\n]{0,60}[,!:\n]", re.I
)
# An e-mail pasted with its headers: the letter starts after them.
_EMAIL_HEADERS = re.compile(
    r"\A(?:[ \t]*(?:from|to|cc|bcc|date|sent|subject|re)[ \t]*:[^\n]*\n)+", re.I
)
_SUBJECT_THANKS = re.compile(r"^[ \t]*(?:subject|re)[ \t]*:[^\n]*\b(thank|follow)", re.I | re.M)
_SIGNOFF = re.compile(
    r"\n\s*(best|best regards|kind regards|regards|warm regards|warmly|sincerely|yours sincerely|"
    r"yours faithfully|yours truly|many thanks|thanks again|with thanks|cheers|all the best|"
    r"respectfully|thank you again)\s*,?\s*(\n|$)",
    re.I,
)
_LETTER_PHRASE = re.compile(
    r"\bthank you (so much |very much )?for (taking the time|the opportunity|meeting|interviewing|"
    r"speaking|talking|your time|considering)|"
    r"\bfollow(ing)?[- ]up on (our|my|the) (interview|conversation|meeting)|"
    r"\bi look forward to hearing\b",
    re.I,
)
_RECAP_CUES = re.compile(
    r"\b(the interviewer|interviewers|hiring manager|the panel|the recruiter|my interview|"
    r"the interview|"
    r"they asked( me)?|he asked( me)?|she asked( me)?|i told (them|him|her)|i said|i answered|"
    r"i was asked|asked me|went in|walked in|they said|he said|she said|i froze|i blanked|"
    r"interviewed (me|today|yesterday))\b",
    re.I,
)
_PAST = re.compile(
    r"\b(was|were|asked|said|told|went|felt|thought|had|did|got|kept|looked|ended)\b", re.I
)


def detect_kind(transcript: Transcript) -> tuple[Kind, str]:
    """Decide what kind of text the transcript is.

    Args:
        transcript: what the reader made of the input.

    Returns:
        The kind and a short reason.
    """
    speakers = transcript.speakers
    if len(speakers) >= 2:
        return "transcript", f"{len(speakers)} speakers"
    if transcript.format not in ("prose",) and len(speakers) == 1:
        return "answer", "a single labelled speaker"
    text = transcript.source
    headers = _EMAIL_HEADERS.match(text.lstrip("\ufeff"))
    if headers and _SUBJECT_THANKS.search(headers.group()):
        return "letter", "an e-mail whose subject is a thank-you or follow-up"
    if headers:
        text = text.lstrip("\ufeff")[headers.end() :]
    if _GREETING.search(text[:200]) and (_SIGNOFF.search(text) or _LETTER_PHRASE.search(text)):
        return "letter", "a greeting and a sign-off or thank-you line"
    if _LETTER_PHRASE.search(text) and _SIGNOFF.search(text):
        return "letter", "a thank-you line and a sign-off"
    recap = len(_RECAP_CUES.findall(text))
    past = len(_PAST.findall(text))
    words = max(1, len(text.split()))
    if recap >= 2 or (recap >= 1 and past / words > 0.04):
        return "recap", f"{recap} mention(s) of the interview in the past tense"
    if _GREETING.search(text[:200]) and words < 400:
        return "letter", "opens with a greeting"
    return "answer", "prose without letter or recap cues"
