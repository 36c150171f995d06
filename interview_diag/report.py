"""Assemble the ``Report`` and render it for a terminal. No NLP happens here."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from interview_diag.questions import TurnContext
from interview_diag.types import (
    Candidate,
    Finding,
    InputStats,
    Kind,
    Report,
    Transcript,
    TurnInfo,
)


def build_report(
    transcript: Transcript,
    *,
    kind: Kind,
    candidate: Candidate,
    contexts: Sequence[TurnContext],
    findings: Sequence[Finding],
    warnings: Sequence[str] = (),
    id: str | None = None,
    summary: Mapping[str, Any] | None = None,
) -> Report:
    """Put the pieces of one analysis into a ``Report``.

    Args:
        transcript: the turns with roles.
        kind: the kind of input.
        candidate: who the candidate is and why.
        contexts: per turn, the question context (``turn_contexts``); each
            interviewer turn shows the question it asks.
        findings: the final findings, already ordered.
        warnings: reading problems and notes.
        id: the record id, in a batch.
        summary: the overall picture, when computed.

    Returns:
        The report.
    """
    turns = []
    for t, ctx in zip(transcript.turns, contexts, strict=True):
        turns.append(
            TurnInfo(
                index=t.index,
                speaker=t.speaker,
                role=t.role,
                start=t.start,
                end=t.end,
                words=len(t.text.split()),
                question=ctx.asks,
            )
        )
    words = sum(t.words for t in turns)
    cand_words = sum(t.words for t in turns if t.role == "candidate")
    stats = InputStats(
        chars=len(transcript.source),
        words=words,
        turns=len(turns),
        candidate_words=cand_words,
        format=transcript.format,
    )
    return Report(
        kind=kind,
        candidate=candidate,
        turns=tuple(turns),
        findings=tuple(findings),
        warnings=tuple(warnings),
        stats=stats,
        id=id,
        summary=summary,
    )


_MARK = {"info": "i", "low": "-", "medium": "!", "high": "!!"}


def render_text(report: Report, width: int = 88) -> str:
    """A plain-text rendering of a report, for a terminal.

    Args:
        report: the report.
        width: the line width to wrap to.

    Returns:
        The text, ending with a newline.
    """
    lines: list[str] = []
    who = report.candidate.speaker or "the author"
    lines.append(f"interview_diag report: {report.kind}, candidate {who}")
    lines.append(f"  ({report.candidate.reason})")
    s = report.stats
    lines.append(f"  {s.words} words in {s.turns} turn(s), {s.candidate_words} by the candidate")
    for w in report.warnings:
        lines.append(f"  warning: {w}")
    if report.summary:
        level = report.summary.get("level")
        if level:
            lines.append("")
            lines.append(f"Overall: {level}")
        for imp in report.summary.get("impressions", []) or []:
            lines.extend(textwrap.wrap(f"- {imp.get('text', '')}", width, subsequent_indent="  "))
        steps = report.summary.get("next_steps", []) or []
        if steps:
            lines.append("Next steps:")
            for i, step in enumerate(steps, 1):
                lines.extend(textwrap.wrap(f"{i}. {step}", width, subsequent_indent="   "))
    lines.append("")
    if not report.findings:
        lines.append("No findings.")
    for f in report.findings:
        mark = _MARK[f.severity.value]
        lines.append(f"[{mark}] {f.severity.value.upper()} {f.code} ({f.impression}) {f.rule_id}")
        lines.extend(
            textwrap.wrap(f.message, width, initial_indent="    ", subsequent_indent="    ")
        )
        for e in f.evidence[:3]:
            quote = " ".join(e.text.split())
            if len(quote) > 160:
                quote = quote[:157] + "..."
            lines.append(f'    > "{quote}"  ({e.speaker}, chars {e.start}-{e.end})')
        if len(f.evidence) > 3:
            lines.append(f"    > ... and {len(f.evidence) - 3} more")
        lines.extend(
            textwrap.wrap(
                "Advice: " + f.advice, width, initial_indent="    ", subsequent_indent="    "
            )
        )
    return "\n".join(lines) + "\n"


def load_schema() -> dict[str, Any]:
    """The JSON Schema that ``Report.to_dict()`` follows (shipped in the package)."""
    import json
    from importlib import resources

    text = (
        resources.files("interview_diag").joinpath("schema/report.schema.json").read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data
