"""The stages around the spaCy pipeline: prepare an input, then finish its report.

``prepare`` runs the plain-Python stages (read, who is the candidate, what kind of
text, which question each turn answers). ``finish`` runs the interview-level
stage and assembles the report. The ``Analyzer`` and the spaCy components both
call these two, so there is one way through the system.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from interview_diag import ingest
from interview_diag.aggregate import InterviewInput, aggregate
from interview_diag.errors import ConfigError, Messages
from interview_diag.kinds import detect_kind
from interview_diag.questions import TurnContext, turn_contexts
from interview_diag.report import build_report
from interview_diag.roles import assign_roles, infer_candidate
from interview_diag.rules.schema import RuleSet
from interview_diag.summary import summarize
from interview_diag.types import KINDS, Candidate, Finding, Kind, Report, Transcript


@dataclass(frozen=True)
class Prepared:
    """An input after the plain-Python stages."""

    transcript: Transcript
    kind: Kind
    candidate: Candidate
    contexts: tuple[TurnContext, ...]
    warnings: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


def check_text(text: object) -> str:
    """Return ``text`` if it is a ``str``.

    Raises:
        TypeError: naming the type received (``bytes`` included: encodings are not guessed).
    """
    if not isinstance(text, str):
        raise TypeError(Messages.IDG001.format(type=type(text).__name__))
    return text


def prepare(
    text: str,
    *,
    fmt: str = "auto",
    kind: str = "auto",
    candidate: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Prepared:
    """Read an input and work out who is speaking, what kind of text it is and what was asked.

    Args:
        text: the input.
        fmt: the input format, or ``auto``.
        kind: ``auto`` or one of transcript, answer, recap, letter.
        candidate: the candidate's speaker label, when the caller knows it.
        options: company, role, job_description... passed on to the checks.

    Returns:
        The prepared input.

    Raises:
        TypeError: ``text`` is not a ``str``.
        ConfigError: an unknown kind or format, or a candidate who is not a speaker.
        ParseError: the input cannot be read in the requested format.
    """
    check_text(text)
    if kind != "auto" and kind not in KINDS:
        raise ConfigError(Messages.IDG004.format(kind=kind, choices=", ".join(("auto", *KINDS))))
    transcript = ingest.read(text, fmt=fmt)
    who = infer_candidate(transcript, candidate)
    transcript = assign_roles(transcript, who)
    warnings = list(transcript.warnings)
    if kind == "auto":
        found_kind, _reason = detect_kind(transcript)
    else:
        found_kind = kind  # type: ignore[assignment]
    if not text.strip() and Messages.IDG002 not in warnings:
        warnings.append(Messages.IDG002)
    if candidate is not None and who.speaker is None and text.strip():
        warnings.append(Messages.IDG014.format(candidate=candidate))
    return Prepared(
        transcript=transcript,
        kind=found_kind,
        candidate=who,
        contexts=turn_contexts(transcript.turns),
        warnings=tuple(warnings),
        options=dict(options or {}),
    )


def finish(
    prepared: Prepared,
    findings: Sequence[Finding],
    rules: RuleSet,
    *,
    thresholds: Mapping[str, Mapping[str, Any]] | None = None,
    id: str | None = None,
) -> Report:
    """Run the interview-level checks and assemble the report.

    Args:
        prepared: the prepared input.
        findings: what the detectors found, from every Doc of the input.
        rules: the rules in force.
        thresholds: parameter overrides for turn-level checks, by code or rule id.
        id: the record id, in a batch.

    Returns:
        The report, with its summary (level, impressions, next steps).
    """
    inp = InterviewInput(
        transcript=prepared.transcript,
        kind=prepared.kind,
        contexts=prepared.contexts,
        options=prepared.options,
        thresholds=dict(thresholds or {}),
    )
    final = aggregate(findings, inp, rules)
    # Every report carries its overall picture (see interview_diag.summary).
    words = sum(len(t.text.split()) for t in prepared.transcript.turns)
    return build_report(
        prepared.transcript,
        kind=prepared.kind,
        candidate=prepared.candidate,
        contexts=prepared.contexts,
        findings=final,
        warnings=prepared.warnings,
        id=id,
        summary=summarize(final, kind=prepared.kind, words=words),
    )
