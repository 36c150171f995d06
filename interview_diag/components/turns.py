"""The turns component: prepares a Doc whose text is the raw input.

When a user runs ``nlp(text)`` on a pipeline holding our components, nothing has
read the text as a transcript yet. This component does: it runs the plain-Python
stages on ``doc.text`` and records where each turn sits, in
``doc._.idiag_input`` and ``doc.spans["idiag_turns"]``. A Doc that the Analyzer
prepared already carries its input and is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacy.tokens import Doc, Span

from interview_diag.diagnosis import prepare
from interview_diag.layout import DocInput, segments_from_source


class TurnSegmenter:
    """spaCy component that reads ``doc.text`` as a transcript."""

    def __init__(
        self,
        name: str,
        *,
        fmt: str = "auto",
        kind: str = "auto",
        candidate: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Store the reading options.

        Args:
            name: the component name.
            fmt: input format or ``auto``.
            kind: kind of text or ``auto``.
            candidate: the candidate's speaker label, if known.
            options: company, role, job_description.
        """
        self.name = name
        self.fmt = fmt
        self.kind = kind
        self.candidate = candidate
        self.options = dict(options or {})

    def __call__(self, doc: Doc) -> Doc:
        """Prepare the Doc unless it already carries its input."""
        if doc._.idiag_input is None:
            prepared = prepare(
                doc.text,
                fmt=self.fmt,
                kind=self.kind,
                candidate=self.candidate,
                options=self.options,
            )
            doc._.idiag_prepared = prepared
            doc._.idiag_input = DocInput(
                transcript=prepared.transcript,
                segments=segments_from_source(prepared.transcript),
                kind=prepared.kind,
                candidate=prepared.candidate,
                contexts=prepared.contexts,
                options=prepared.options,
                whole=True,
            )
        set_turn_spans(doc)
        return doc


def set_turn_spans(doc: Doc) -> None:
    """Record each turn segment as a span labelled with its role in ``doc.spans["idiag_turns"]``."""
    inp = doc._.idiag_input
    spans: list[Span] = []
    for seg in inp.segments:
        span = doc.char_span(
            seg.doc_start,
            seg.doc_end,
            label=inp.turn(seg.turn).role,
            alignment_mode="contract",
        )
        if span is not None and len(span):
            spans.append(span)
    doc.spans["idiag_turns"] = spans
