"""The rule detector: every span-level rule file, run over the candidate's turns.

``match(doc)`` computes findings and nothing else; ``set_annotations`` appends them
to ``doc._.idiag_findings``. A match becomes a finding only when the rule's scope
allows it (speaker, kind, the question being answered, topics the interviewer
raised) and no context cue cancels it (negation, hypothetical, someone else's
words), and no allow-listed phrase stands in its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from interview_diag.components.checks import SpanChecks
from interview_diag.context import (
    ContextCues,
    doc_sentence_starts,
    doc_text,
    load_context_cues,
    sentence_of,
)
from interview_diag.layout import DocInput, evidence_for
from interview_diag.rules.schema import Rule, RuleSet
from interview_diag.types import Finding


class RuleDetector:
    """spaCy component that turns rule matches into findings."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        rules: RuleSet,
        *,
        disable: Iterable[str] = (),
        allow: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Compile the rules.

        Args:
            nlp: the pipeline (its tokenizer tokenises phrases and cues).
            name: the component name.
            rules: the rules in force.
            disable: finding codes or rule ids to leave out.
            allow: per code or rule id, phrases that make a match in the same
                sentence acceptable (an allow-list).
        """
        self.name = name
        self.rules = rules.without(disable)
        self._nlp = nlp
        # One compiled set per input kind, built on first use: a letter rule costs
        # nothing when a transcript is analysed, and the reverse.
        self._checks: dict[str, SpanChecks] = {}
        self.cues: ContextCues = load_context_cues(nlp)
        allow = allow or {}
        self._allow: dict[str, re.Pattern[str] | None] = {}
        for r in self.rules.rules:
            phrases = [*r.exceptions, *allow.get(r.id, ()), *allow.get(r.code, ())]
            self._allow[r.id] = phrase_regex(p.casefold().replace("\u2019", "'") for p in phrases)

    def __call__(self, doc: Doc) -> Doc:
        """Find and record the findings of this Doc."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Finding]:
        """Compute the rule findings of a Doc whose ``doc._.idiag_input`` is set.

        Args:
            doc: a Doc prepared by ``build_docs`` or by the ``idiag_turns`` component.

        Returns:
            Findings in Doc order.
        """
        inp: DocInput | None = doc._.idiag_input
        if inp is None:
            return []
        checks = self.checks_for(inp.kind)
        if not checks.rules:
            return []
        starts = doc_sentence_starts(doc)
        windows = checks.anchor_windows(doc, starts)
        window_starts = [w[0] for w in windows]
        findings: list[Finding] = []
        # The rules in scope depend on the turn's role, its question and the raised
        # topics some rule names in ``unless_raised``, nothing else.
        topics = frozenset(t for r in checks.rules.values() for t in r.unless_raised)
        scopes: dict[tuple[str, str | None, frozenset[str]], frozenset[str]] = {}
        for seg in inp.segments:
            turn = inp.turn(seg.turn)
            span = doc.char_span(seg.doc_start, seg.doc_end, alignment_mode="contract")
            if span is None or len(span) == 0:
                continue
            ctx = inp.contexts[seg.turn]
            key = (turn.role, ctx.question, topics.intersection(ctx.raised))
            scope = scopes.get(key)
            if scope is None:
                scope = frozenset(
                    r.id for r in checks.rules.values() if self._in_scope(r, inp, seg.turn)
                )
                scopes[key] = scope
            for m in checks.run(span, starts, windows, window_starts, scope):
                if m.rule_id not in scope:
                    continue
                rule = checks.rules[m.rule_id]
                sent_start = sentence_of(starts, m.start)
                if self.cues.opens_clause(doc, m.start):
                    mods: frozenset[str] = frozenset()
                else:
                    mods = self.cues.modifiers(doc, m.start, max(sent_start, span.start))
                if mods & set(rule.context):
                    continue
                if self._allowed(rule, doc, starts, m.start, m.end):
                    continue
                char_start = doc[m.start].idx
                last = doc[m.end - 1]
                char_end = last.idx + len(last)
                evidence = evidence_for(inp, char_start, char_end)
                if not evidence:
                    continue
                findings.append(
                    Finding(
                        code=rule.code,
                        severity=rule.severity,
                        score=rule.score,
                        impression=rule.impression,
                        evidence=evidence,
                        message=rule.message,
                        advice=rule.advice,
                        rule_id=rule.id,
                        source="rule",
                        details={} if turn.role == "candidate" else {"speaker_role": turn.role},
                    )
                )
        return findings

    def checks_for(self, kind: str) -> SpanChecks:
        """The span-level rules that apply to one input kind, compiled once."""
        checks = self._checks.get(kind)
        if checks is None:
            checks = SpanChecks(self._nlp, [r for r in self.rules.rules if kind in r.kinds])
            self._checks[kind] = checks
        return checks

    def set_annotations(self, doc: Doc, findings: Sequence[Finding]) -> None:
        """Append the findings to ``doc._.idiag_findings``."""
        doc._.idiag_findings = [*(doc._.idiag_findings or []), *findings]

    def _in_scope(self, rule: Rule, inp: DocInput, turn_index: int) -> bool:
        turn = inp.turn(turn_index)
        if rule.speaker == "candidate" and turn.role != "candidate":
            return False
        if rule.speaker == "interviewer" and turn.role != "interviewer":
            return False
        if inp.kind not in rule.kinds:
            return False
        ctx = inp.contexts[turn_index]
        if rule.after_questions and ctx.question not in rule.after_questions:
            return False
        return not (rule.unless_raised and ctx.raised & set(rule.unless_raised))

    def _allowed(self, rule: Rule, doc: Doc, starts: Sequence[int], start: int, end: int) -> bool:
        pattern = self._allow.get(rule.id)
        if pattern is None:
            return False
        s = sentence_of(starts, start)
        k = bisect_right(starts, s)
        e = starts[k] if k < len(starts) else len(doc)
        stop = max(e, end)
        chars = doc_text(doc)[doc[s].idx : doc[stop - 1].idx + len(doc[stop - 1])]
        text = chars.casefold().replace("\u2019", "'")
        return pattern.search(text) is not None


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """A regex that finds any of the phrases as whole words, or ``None`` when there are none.

    "mind went to" is not found in "mind went totally": a phrase that starts or ends
    with a word character must start or end at a word boundary. Punctuation
    phrases (such as "?") match anywhere.
    """
    parts = []
    for p in sorted({p for p in phrases if p}, key=len, reverse=True):
        lead = r"(?<!\w)" if p[0].isalnum() or p[0] == "_" else ""
        trail = r"(?!\w)" if p[-1].isalnum() or p[-1] == "_" else ""
        parts.append(lead + re.escape(p) + trail)
    return re.compile("|".join(parts)) if parts else None
