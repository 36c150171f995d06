"""The report component: interview-level checks, then the report on the Doc.

Sets ``doc._.interview_diag`` (the ``Report``) and ``doc.spans["interview_diag"]``
(each piece of evidence as a span labelled with its finding code), so that
``displacy.render(doc, style="span", options={"spans_key": "interview_diag"})``
shows the findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacy.tokens import Doc, Span

from interview_diag.diagnosis import Prepared, finish
from interview_diag.layout import DocInput, source_to_doc
from interview_diag.rules.schema import RuleSet
from interview_diag.types import Report


class ReportWriter:
    """spaCy component that finishes the analysis of a whole-input Doc."""

    def __init__(
        self,
        name: str,
        rules: RuleSet,
        *,
        thresholds: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Store the rules whose interview-level checks run here.

        Args:
            name: the component name.
            rules: the rules in force.
            thresholds: parameter overrides for turn-level checks.
        """
        self.name = name
        self.rules = rules
        self.thresholds = dict(thresholds or {})

    def __call__(self, doc: Doc) -> Doc:
        """Finish the report of a Doc that holds a whole input."""
        inp: DocInput | None = doc._.idiag_input
        if inp is None or not inp.whole:
            return doc
        prepared: Prepared | None = doc._.idiag_prepared
        if prepared is None:
            prepared = Prepared(
                transcript=inp.transcript,
                kind=inp.kind,
                candidate=inp.candidate,
                contexts=inp.contexts,
                warnings=inp.transcript.warnings,
                options=inp.options,
            )
        report = finish(
            prepared, doc._.idiag_findings or [], self.rules, thresholds=self.thresholds
        )
        set_report(doc, report)
        return doc


def set_report(doc: Doc, report: Report) -> None:
    """Put the report on the Doc and its evidence in ``doc.spans["interview_diag"]``."""
    inp: DocInput = doc._.idiag_input
    doc._.interview_diag = report
    spans: list[Span] = []
    for f in report.findings:
        for e in f.evidence:
            where = source_to_doc(inp, e.turn, e.start, e.end)
            if where is None:
                continue
            span = doc.char_span(where[0], where[1], label=f.code, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["interview_diag"] = spans
