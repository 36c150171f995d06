"""The records that flow through interview_diag: turns, findings and the report.

Every record is a frozen dataclass. Offsets are always character offsets into the
*original* input string, so that ``source[ev.start:ev.end] == ev.text`` holds for
every piece of evidence the library returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, get_args

SCHEMA_VERSION = "1.0"

Kind = Literal["transcript", "answer", "recap", "letter"]
KINDS: tuple[Kind, ...] = get_args(Kind)

Role = Literal["candidate", "interviewer", "other"]
ROLES: tuple[Role, ...] = get_args(Role)

Impression = Literal[
    "attitude",
    "commitment",
    "preparation",
    "interest",
    "communication",
    "composure",
    "professionalism",
]
IMPRESSIONS: tuple[Impression, ...] = get_args(Impression)

Source = Literal["rule", "model", "both"]
SOURCES: tuple[Source, ...] = get_args(Source)


class Severity(str, Enum):
    """How much a finding is likely to hurt the candidate, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order info < low < medium < high (0..3)."""
        return _SEVERITY_ORDER.index(self)

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Turn ``"high"`` (any case) or a ``Severity`` into a ``Severity``.

        Raises:
            ValueError: the value names no severity.
        """
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}; expected one of {names}") from None


_SEVERITY_ORDER = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH)


@dataclass(frozen=True)
class Chunk:
    """A piece of a turn's text and the piece of the source it came from.

    ``turn.text[text_start:text_end]`` was read from ``source[source_start:source_end]``.
    When both lengths are equal the two are the same characters; otherwise the
    chunk is atomic (for example a JSON escape such as ``\\u00e9``) and maps only as
    a whole.
    """

    text_start: int
    text_end: int
    source_start: int
    source_end: int

    @property
    def exact(self) -> bool:
        """True when text and source have the same length (a character-wise copy)."""
        return self.text_end - self.text_start == self.source_end - self.source_start


@dataclass(frozen=True)
class Turn:
    """One stretch of speech by one speaker (or one paragraph of prose).

    Attributes:
        index: position of the turn in the transcript, from 0.
        speaker: the speaker label as written in the input (``None`` when the input
            names no speaker).
        text: the words of the turn, with markup and timestamps removed.
        chunks: how ``text`` maps onto the original input, in order.
        role: ``candidate``, ``interviewer`` or ``other``; set once the candidate is known.
    """

    index: int
    speaker: str | None
    text: str
    chunks: tuple[Chunk, ...]
    role: Role = "other"

    @property
    def start(self) -> int:
        """Source offset of the first character of the turn (0 for an empty turn)."""
        return self.chunks[0].source_start if self.chunks else 0

    @property
    def end(self) -> int:
        """Source offset just past the last character of the turn."""
        return self.chunks[-1].source_end if self.chunks else 0

    def to_source(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """Map the text range ``[start, end)`` of this turn onto source ranges.

        The range is split wherever the source has something in between that is not
        part of the text (a timestamp, a tag, a speaker label). Characters of the text
        that no chunk covers (separators the reader inserted) are skipped.

        Args:
            start: start offset in ``self.text``.
            end: end offset in ``self.text`` (exclusive).

        Returns:
            The source ranges in order, adjacent ranges merged; empty when nothing maps.
        """
        out: list[tuple[int, int]] = []
        for c in self.chunks:
            if c.text_end <= start or c.text_start >= end:
                continue
            if c.exact:
                s = c.source_start + max(start, c.text_start) - c.text_start
                e = c.source_start + min(end, c.text_end) - c.text_start
            else:
                s, e = c.source_start, c.source_end
            if s >= e:
                continue
            if out and out[-1][1] == s:
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        return tuple(out)


@dataclass(frozen=True)
class Transcript:
    """What the reader made of an input: the original string and its turns.

    Attributes:
        source: the original input string, unchanged.
        format: the format that was read (``prose``, ``labelled``, ``vtt``, ``srt``, ``json``...).
        turns: the turns in input order.
        warnings: problems met while reading that did not stop it (each names the line).
    """

    source: str
    format: str
    turns: tuple[Turn, ...]
    warnings: tuple[str, ...] = ()

    @property
    def speakers(self) -> tuple[str, ...]:
        """Distinct speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for t in self.turns:
            if t.speaker is not None:
                seen.setdefault(t.speaker, None)
        return tuple(seen)


@dataclass(frozen=True)
class Evidence:
    """The exact words a finding rests on: ``source[start:end] == text``."""

    start: int
    end: int
    text: str
    speaker: str | None
    turn: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "turn": self.turn,
        }


@dataclass(frozen=True)
class Finding:
    """One thing that is likely to hurt the candidate, with its evidence and advice.

    Attributes:
        code: the finding code (``badmouthing``, ``job_leaving``...).
        severity: info, low, medium or high.
        score: confidence 0..1.
        impression: what it makes the interviewer think about (attitude, commitment...).
        evidence: the exact spans of the input it rests on, in order.
        message: what was found, in one sentence.
        advice: what to do about it.
        rule_id: the rule that fired (or the model label, for model-only findings).
        source: ``rule``, ``model`` or ``both``.
        details: extra figures some findings carry (counts, ratios), JSON-serialisable.
    """

    code: str
    severity: Severity
    score: float
    impression: Impression
    evidence: tuple[Evidence, ...]
    message: str
    advice: str
    rule_id: str
    source: Source = "rule"
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> int:
        """Source offset of the first evidence (or -1 when there is none)."""
        return self.evidence[0].start if self.evidence else -1

    def sort_key(self) -> tuple[int, int, str, str]:
        """Order by position, then higher severity first, then code and rule id."""
        start = self.start if self.evidence else 1 << 62
        return (start, -self.severity.rank, self.code, self.rule_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "score": round(float(self.score), 4),
            "impression": self.impression,
            "evidence": [e.to_dict() for e in self.evidence],
            "message": self.message,
            "advice": self.advice,
            "rule_id": self.rule_id,
            "source": self.source,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class TurnInfo:
    """A turn as the report shows it: who spoke, where, and what was asked."""

    index: int
    speaker: str | None
    role: Role
    start: int
    end: int
    words: int
    question: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "index": self.index,
            "speaker": self.speaker,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "question": self.question,
        }


@dataclass(frozen=True)
class Candidate:
    """Who the candidate is, and why the library thinks so."""

    speaker: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"speaker": self.speaker, "reason": self.reason}


@dataclass(frozen=True)
class InputStats:
    """Size of the input."""

    chars: int
    words: int
    turns: int
    candidate_words: int
    format: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "chars": self.chars,
            "words": self.words,
            "turns": self.turns,
            "candidate_words": self.candidate_words,
            "format": self.format,
        }


@dataclass(frozen=True)
class Report:
    """Everything the library found in one input.

    Attributes:
        kind: transcript, answer, recap or letter.
        candidate: who the candidate is and why.
        turns: the turns with their roles and question types.
        findings: ordered by position, then severity (highest first).
        warnings: reading problems and other notes (empty input, guessed format...).
        stats: input size.
        id: the record id in a batch, else ``None``.
        summary: the overall picture, when computed (a JSON-ready mapping).
    """

    kind: Kind
    candidate: Candidate
    turns: tuple[TurnInfo, ...]
    findings: tuple[Finding, ...]
    warnings: tuple[str, ...]
    stats: InputStats
    id: str | None = None
    summary: Mapping[str, Any] | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Distinct finding codes in order of first appearance."""
        return tuple(dict.fromkeys(f.code for f in self.findings))

    def highest_severity(self) -> Severity | None:
        """The highest severity among the findings, or ``None`` when there are none."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form that follows the shipped JSON Schema (``schema_version``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "kind": self.kind,
            "candidate": self.candidate.to_dict(),
            "stats": self.stats.to_dict(),
            "warnings": list(self.warnings),
            "turns": [t.to_dict() for t in self.turns],
            "findings": [f.to_dict() for f in self.findings],
            "summary": None if self.summary is None else dict(self.summary),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`, keys in a fixed order."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        """A readable rendering for a terminal."""
        from interview_diag.report import render_text

        return render_text(self)
