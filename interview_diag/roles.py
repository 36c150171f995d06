"""Decide who the candidate is, and give every turn its role.

Plain Python over the transcript. The order of evidence: the caller's
``candidate=``; role names in the labels (``Candidate``, ``Interviewer``, ``Q``/``A``);
then who asks the questions; then the two-speaker heuristics.
"""

from __future__ import annotations

import re
from dataclasses import replace

from interview_diag.errors import ConfigError, Messages
from interview_diag.types import Candidate, Role, Transcript, Turn

_CANDIDATE_LABELS = re.compile(
    r"^(a|answer|candidate|interviewee|applicant|me|jobseeker|job seeker)\b", re.IGNORECASE
)
_INTERVIEWER_LABELS = re.compile(
    r"^(q|question|interviewer|hiring manager|recruiter|panel|hr|host|moderator|panelist)\b",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"\?\s*$|\?[\"')\]]*\s*$")


def is_role_label(label: str) -> bool:
    """True when a speaker label names a role (``Candidate``, ``A``, ``Q``...), not a person."""
    text = label.strip()
    return bool(_CANDIDATE_LABELS.fullmatch(text) or _INTERVIEWER_LABELS.fullmatch(text))


def _fold(label: str) -> str:
    return " ".join(label.casefold().split())


def _question_share(turns: list[Turn]) -> float:
    if not turns:
        return 0.0
    asked = sum(1 for t in turns if "?" in t.text)
    return asked / len(turns)


def infer_candidate(transcript: Transcript, candidate: str | None = None) -> Candidate:
    """Work out which speaker is the candidate.

    Args:
        transcript: the turns as read.
        candidate: the caller's answer, which always wins (matched case-insensitively).

    Returns:
        The candidate's speaker label (``None`` when the input has no labels, in
        which case all of it is taken as the candidate's) and the reason.

    Raises:
        ConfigError: ``candidate`` names no speaker of a labelled transcript.
    """
    speakers = transcript.speakers
    if candidate is not None:
        if not speakers:
            return Candidate(None, "given by the caller; the input has no speaker labels")
        for s in speakers:
            if _fold(s) == _fold(candidate):
                return Candidate(s, "given by the caller")
        raise ConfigError(Messages.IDG007.format(candidate=candidate, speakers=", ".join(speakers)))
    if not speakers:
        return Candidate(None, "no speaker labels: the whole text is taken as the candidate's")
    named = [s for s in speakers if _CANDIDATE_LABELS.match(s.strip())]
    interviewers = [s for s in speakers if _INTERVIEWER_LABELS.match(s.strip())]
    if len(named) == 1:
        return Candidate(named[0], f"the speaker label {named[0]!r} names the candidate")
    if len(speakers) == 1:
        only = speakers[0]
        if interviewers:
            return Candidate(None, f"the only speaker, {only!r}, is the interviewer")
        return Candidate(only, "the only speaker")
    others = [s for s in speakers if s not in interviewers]
    if interviewers and len(others) == 1:
        return Candidate(
            others[0], f"the other speaker besides the interviewer label {interviewers[0]!r}"
        )
    by_speaker: dict[str, list[Turn]] = {s: [] for s in speakers}
    for t in transcript.turns:
        if t.speaker is not None:
            by_speaker[t.speaker].append(t)
    pool = others or list(speakers)
    words = {s: sum(len(t.text.split()) for t in by_speaker[s]) for s in pool}
    share = {s: _question_share(by_speaker[s]) for s in pool}
    # The candidate answers: fewest questions asked, then most words spoken.
    ranked = sorted(pool, key=lambda s: (round(share[s], 2), -words[s], speakers.index(s)))
    best = ranked[0]
    if len(pool) == 2:
        other = ranked[1]
        if share[best] < share[other]:
            reason = (
                f"of the two speakers, {best!r} asks fewer questions "
                f"({share[best]:.0%} of turns) than {other!r} ({share[other]:.0%})"
            )
        else:
            reason = f"of the two speakers, {best!r} speaks more ({words[best]} words)"
    else:
        reason = (
            f"{best!r} asks the fewest questions ({share[best]:.0%} of turns) "
            f"and speaks {words[best]} words"
        )
    return Candidate(best, reason)


def assign_roles(transcript: Transcript, candidate: Candidate) -> Transcript:
    """A copy of the transcript whose turns carry their roles.

    The candidate's turns (all turns when the candidate is ``None`` and the input
    has no labels) become ``candidate``; every other labelled speaker is an
    ``interviewer``; unlabelled turns in a labelled transcript are ``other``.
    """
    has_labels = bool(transcript.speakers)
    turns = []
    for t in transcript.turns:
        role: Role
        if not has_labels:
            role = "candidate"
        elif t.speaker is None:
            role = "other"
        elif candidate.speaker is not None and t.speaker == candidate.speaker:
            role = "candidate"
        else:
            role = "interviewer"
        turns.append(replace(t, role=role))
    return replace(transcript, turns=tuple(turns))
