"""Classify what the interviewer asked, from the cue list in ``cues/questions.json``.

Plain Python over turn text: the question type of an interviewer turn decides
how the candidate's answer that follows is read (an answer that declines to ask
anything is only ``no_questions`` when it answers "any questions for us?").
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from interview_diag.types import Turn


@dataclass(frozen=True)
class QuestionType:
    """One question type and the phrases that reveal it."""

    type: str
    open: bool
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def question_types() -> tuple[QuestionType, ...]:
    """The question types from ``cues/questions.json``, in priority order (cached, immutable)."""
    raw = json.loads(
        resources.files("interview_diag.cues").joinpath("questions.json").read_text("utf-8")
    )
    out = []
    for entry in raw["types"]:
        phrases = sorted(entry["phrases"], key=len, reverse=True)
        alt = "|".join(re.escape(p) for p in phrases)
        out.append(
            QuestionType(
                type=entry["type"],
                open=bool(entry["open"]),
                pattern=re.compile(rf"(?<![\w'])(?:{alt})(?![\w'])", re.IGNORECASE),
            )
        )
    return tuple(out)


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def classify_question(text: str) -> str | None:
    """The type of the question in an interviewer turn, or ``None`` when it asks nothing known.

    The last question in the turn counts most (interviewers often chat, then ask),
    so the text from the last sentence holding a question mark is tried first.

    Args:
        text: the interviewer's turn.

    Returns:
        A question type such as ``why_left`` or ``questions_for_us``, or ``None``.

    Example:
        >>> classify_question("Great. Do you have any questions for us?")
        'questions_for_us'
    """
    norm = _norm(text)
    parts = [p for p in re.split(r"(?<=[.!?])\s+", norm) if p.strip()]
    asked = [p for p in parts if "?" in p]
    candidates = [asked[-1]] if asked else []
    candidates.append(norm)
    for part in candidates:
        for qt in question_types():
            if qt.pattern.search(part):
                if qt.type == "small_talk":
                    # "How are you? Tell me about yourself." asks the second.
                    other = _first_match(norm, skip=("small_talk", "other_open"))
                    return other or qt.type
                return qt.type
    return None


def _first_match(text: str, skip: tuple[str, ...]) -> str | None:
    for qt in question_types():
        if qt.type not in skip and qt.pattern.search(text):
            return qt.type
    return None


def topics_raised(text: str) -> frozenset[str]:
    """Every question type whose phrases occur anywhere in the text."""
    norm = _norm(text)
    return frozenset(qt.type for qt in question_types() if qt.pattern.search(norm))


def is_open(question: str | None) -> bool:
    """True when the question type calls for more than a one-line answer."""
    return any(qt.type == question and qt.open for qt in question_types())


@dataclass(frozen=True)
class TurnContext:
    """What the interviewer had said before a turn.

    Attributes:
        question: the type of the question this turn answers (the nearest earlier
            interviewer turn), or ``None``.
        raised: every question type the interviewer raised in any earlier turn.
        asks: for an interviewer turn, the type of the question it asks itself.
    """

    question: str | None
    raised: frozenset[str]
    asks: str | None = None


def turn_contexts(turns: Sequence[Turn]) -> tuple[TurnContext, ...]:
    """For each turn, the question it answers and the topics raised before it.

    Args:
        turns: turns with roles already assigned.

    Returns:
        One context per turn, in order.
    """
    out: list[TurnContext] = []
    last_question: str | None = None
    raised: frozenset[str] = frozenset()
    for t in turns:
        asks = classify_question(t.text) if t.role == "interviewer" else None
        out.append(TurnContext(question=last_question, raised=raised, asks=asks))
        if t.role == "interviewer":
            last_question = asks
            raised = raised | topics_raised(t.text)
    return tuple(out)
