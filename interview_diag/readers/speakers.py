"""Deciding whether a short piece of text is a speaker label.

Transcripts mark speakers in many ways (``Name:``, ``[Name]``, ``(Name)``, cue
ids), and ordinary text uses the same shapes ("My goal: to learn.", "[laughs]",
"Situation: ..."). These predicates hold the word lists and shape tests the
readers share, so that every format draws the line in the same place.
"""

from __future__ import annotations

import re

MAX_LABEL_WORDS = 5

# The name part of a "Name: text" line: starts with a letter, at most 60
# characters, none of the characters that mark it as a sentence or as markup.
NAME = r"[^\W\d_](?:[^:;,!?\"\t\r\n*\[\]<>{}]{0,58}[^\s:;,!?\"*\[\]<>{}])?"

# Labels that name a role rather than a person; one occurrence is enough to
# say that a text is a labelled transcript.
_ROLE = re.compile(
    r"(?:q|a|question|answer|interviewer|interviewee|candidate|applicant|recruiter"
    r"|hiring[ _-]manager|manager|host|co-?host|guest|moderator|panel(?:ist)?|me|myself"
    r"|user|assistant|respondent|participant|speaker|person|caller|agent|customer|hr"
    r"|employer|student|coach|mentor|narrator|unknown[ _]speaker|spk)"
    r"(?:[ _#-](?:\d{1,3}|[a-z])|\d{1,3})?",
    re.IGNORECASE,
)

# Words that start lines of ordinary prose as "Word: ...": headings, the STAR
# method, letter headers. As a label of their own they never name a speaker.
_NOT_SPEAKERS = frozenset(
    [
        "situation",
        "task",
        "action",
        "actions",
        "result",
        "results",
        "background",
        "context",
        "challenge",
        "outcome",
        "impact",
        "learning",
        "learnings",
        "lesson",
        "lessons",
        "strengths",
        "strength",
        "weaknesses",
        "weakness",
        "pros",
        "cons",
        "skills",
        "experience",
        "education",
        "summary",
        "objective",
        "objectives",
        "note",
        "notes",
        "ps",
        "p.s",
        "nb",
        "n.b",
        "edit",
        "update",
        "subject",
        "re",
        "date",
        "to",
        "from",
        "cc",
        "bcc",
        "tip",
        "tips",
        "warning",
        "important",
        "example",
        "examples",
        "step",
        "goal",
        "goals",
        "why",
        "what",
        "how",
        "when",
        "where",
        "who",
        "reason",
        "reasons",
        "conclusion",
        "introduction",
        "agenda",
        "topic",
        "location",
        "time",
        "position",
        "role",
        "company",
        "salary",
        "team",
        "title",
        "tl;dr",
        "tldr",
        "first",
        "second",
        "third",
        "finally",
        "also",
        "however",
        "but",
        "so",
        "and",
        "then",
        "today",
        "yesterday",
        "tomorrow",
        "morning",
        "afternoon",
        "evening",
        "day",
        "week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "source",
        "sources",
        "link",
        "links",
        "url",
        "email",
        "phone",
        "address",
        "total",
        "score",
        "feedback",
        "advice",
        "plan",
        "problem",
        "solution",
        "yes",
        "no",
        "ok",
        "okay",
        "well",
        "hint",
        "fact",
        "facts",
        "point",
        "points",
        "caveat",
        "disclaimer",
        "status",
        "next",
        "at",
        "in",
        "on",
        "by",
        "for",
        "with",
        "about",
        "after",
        "before",
        "during",
        "until",
        "since",
        "as",
        "if",
        "because",
        "now",
        "here",
        "there",
        "this",
        "that",
        "my",
        "our",
        "your",
        "key",
        "bottom line",
        "in short",
        "in summary",
    ]
)

# Words of bracketed sound descriptions ("[Music]", "(APPLAUSE)", "[ríen]").
_SOUNDS = frozenset(
    [
        "music",
        "applause",
        "laughter",
        "laughs",
        "laughing",
        "laugh",
        "inaudible",
        "crosstalk",
        "silence",
        "cheering",
        "cheers",
        "noise",
        "noises",
        "sighs",
        "sigh",
        "coughs",
        "cough",
        "indistinct",
        "unintelligible",
        "foreign",
        "blank_audio",
        "background",
        "chuckles",
        "chuckling",
        "chuckle",
        "static",
        "beep",
        "beeping",
        "ringing",
        "rings",
        "sound",
        "sounds",
        "speaking",
        "speaks",
        "singing",
        "playing",
        "audio",
        "video",
        "pause",
        "paused",
        "break",
        "chatter",
        "groans",
        "gasps",
        "whispers",
        "whispering",
        "screams",
        "sniffs",
        "clears",
        "throat",
        "sneezes",
        "sneeze",
        "door",
        "knock",
        "knocking",
        "typing",
        "silent",
        "muted",
        "unmuted",
        "overlapping",
        "crosstalking",
    ]
)

_PARTICLES = frozenset(
    [
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "of",
        "st.",
        "dos",
        "das",
    ]
)


def fits_label(label: str) -> bool:
    """True when ``label`` has one to five words, the most a speaker label has."""
    return 0 < len(label.split()) <= MAX_LABEL_WORDS


def is_role(label: str) -> bool:
    """True for role labels such as ``Q``, ``A``, ``INTERVIEWER``, ``Speaker 2``."""
    return _ROLE.fullmatch(label.strip()) is not None


def is_not_speaker(label: str) -> bool:
    """True for words that start prose lines as ``Word:`` but name no speaker."""
    return label.strip().lower().rstrip(".") in _NOT_SPEAKERS


def is_sound(label: str) -> bool:
    """True for bracketed sound descriptions such as ``Music`` or ``MUSIC PLAYING``."""
    return any(w.strip(".,!?*").lower() in _SOUNDS for w in label.split())


def looks_like_name(label: str) -> bool:
    """True when ``label`` reads like a person's name or a speaker id.

    Every word starts with an upper-case letter or a digit (or is a name particle
    such as ``de`` or ``van``), there are at most five words, and the first word
    starts with a letter. ``Dana Bettinger``, ``NAME OF INTERVIEWEE``, ``Speaker 1``
    and ``Dr. Smith`` pass; ``my goal`` and ``ríen emocionadas`` do not.
    """
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or not words[0][0].isalpha():
        return False
    for i, w in enumerate(words):
        first = w[0]
        if first.isupper() or first.isdigit():
            continue
        if i > 0 and w.lower() in _PARTICLES:
            continue
        return False
    return True


def is_speaker_mark(label: str) -> bool:
    """True when a bracketed ``[label]`` or ``(label)`` names a speaker, not a sound."""
    return looks_like_name(label) and not is_sound(label) and not is_not_speaker(label)
