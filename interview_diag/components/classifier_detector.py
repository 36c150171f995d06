"""The classifier detector: scores every candidate sentence with the trained model.

``match(doc)`` gathers the sentences of the candidate's turns, scores them all in
one batched call, and turns each score above its code's threshold into a finding
whose evidence is the sentence. The same scope and context rules as the rule
detector apply: a code only fires where its rules may fire (speaker, kind, the
question answered), and a sentence opened by a negation, a hypothetical or
someone else's words does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from interview_diag.context import ContextCues, load_context_cues, sentence_starts
from interview_diag.layout import DocInput, evidence_for
from interview_diag.rules.schema import RuleSet
from interview_diag.types import Finding


class ScoringModel(Protocol):
    """What the detector needs of a model: labels, thresholds and batched scores."""

    labels: tuple[str, ...]
    thresholds: Mapping[str, float]

    def predict_proba(self, texts: Sequence[str]) -> Any:
        """Scores of shape (len(texts), len(labels))."""
        ...


class ClassifierDetector:
    """spaCy component that turns classifier scores into findings."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        model: ScoringModel | None,
        rules: RuleSet,
        *,
        disable: Iterable[str] = (),
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        """Set up the detector.

        Args:
            nlp: the pipeline (for tokenising the context cues).
            name: the component name.
            model: the scoring model, or ``None`` to do nothing.
            rules: the rules in force; they give each code its defaults and scope.
            disable: codes to leave out.
            thresholds: per-code score thresholds overriding the model's own.
        """
        self.name = name
        self.model = model
        self.rules = rules
        self.disabled = set(disable)
        self.cues: ContextCues = load_context_cues(nlp)
        self.thresholds = dict(model.thresholds) if model is not None else {}
        for code, value in (thresholds or {}).items():
            if isinstance(value, (int, float)):
                self.thresholds[code] = float(value)

    def __call__(self, doc: Doc) -> Doc:
        """Find and record the findings of this Doc."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def _allowed(self, code: str, inp: DocInput, turn_index: int) -> bool:
        rules = self.rules.by_code(code)
        spans = [r for r in rules if r.check in ("phrase", "token_pattern", "cluster")]
        if not spans or code in self.disabled:
            return False
        turn = inp.turn(turn_index)
        if turn.role != "candidate":
            return False
        ok_kind = [r for r in spans if inp.kind in r.kinds and r.speaker != "interviewer"]
        if not ok_kind:
            return False
        question = inp.contexts[turn_index].question
        raised = inp.contexts[turn_index].raised
        for r in ok_kind:
            if r.after_questions and question not in r.after_questions:
                continue
            if r.unless_raised and raised & set(r.unless_raised):
                continue
            return True
        return False

    def match(self, doc: Doc) -> list[Finding]:
        """Compute the classifier findings of a prepared Doc.

        Args:
            doc: a Doc with ``doc._.idiag_input`` set.

        Returns:
            Findings in Doc order, ``source="model"``.
        """
        inp: DocInput | None = doc._.idiag_input
        if inp is None or self.model is None:
            return []
        starts = sentence_starts(doc)
        sents: list[tuple[int, int, int]] = []  # (turn, first token, end token)
        for seg in inp.segments:
            if inp.turn(seg.turn).role != "candidate":
                continue
            span = doc.char_span(seg.doc_start, seg.doc_end, alignment_mode="contract")
            if span is None or len(span) == 0:
                continue
            cuts = [s for s in starts if span.start < s < span.end]
            bounds = [span.start, *cuts, span.end]
            for a, b in zip(bounds, bounds[1:], strict=False):
                while b > a and doc[b - 1].is_space:
                    b -= 1
                if b > a and any(t.is_alpha for t in doc[a:b]):
                    sents.append((seg.turn, a, b))
        if not sents:
            return []
        texts = [doc[a:b].text for _, a, b in sents]
        scores = self.model.predict_proba(texts)
        labels = self.model.labels
        findings: list[Finding] = []
        for row, (turn_index, a, b) in zip(scores, sents, strict=True):
            mods: frozenset[str] | None = None
            for j, code in enumerate(labels):
                p = float(row[j])
                if p < self.thresholds.get(code, 0.5) or not self._allowed(code, inp, turn_index):
                    continue
                if mods is None:
                    mods = self.cues.modifiers(doc, min(b, a + self.cues.window), a)
                rules = self.rules.by_code(code)
                suppress = set(rules[0].context) if rules else set()
                if mods & suppress:
                    continue
                info = self.rules.codes.get(code)
                if info is None:
                    continue
                char_start = doc[a].idx
                char_end = doc[b - 1].idx + len(doc[b - 1].text)
                evidence = evidence_for(inp, char_start, char_end)
                if not evidence:
                    continue
                findings.append(
                    Finding(
                        code=code,
                        severity=info.severity,
                        score=p,
                        impression=info.impression,
                        evidence=evidence,
                        message=f"{info.title} (the classifier scores this sentence {p:.2f}).",
                        advice=info.advice,
                        rule_id=f"MODEL_{code.upper()}",
                        source="model",
                    )
                )
        return findings

    def set_annotations(self, doc: Doc, findings: Sequence[Finding]) -> None:
        """Append the findings to ``doc._.idiag_findings``."""
        doc._.idiag_findings = [*(doc._.idiag_findings or []), *findings]
