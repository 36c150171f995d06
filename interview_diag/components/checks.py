"""Span-level check types: how a rule's data becomes matches in a Doc.

- ``token_pattern``: spaCy Matcher patterns; each match is a candidate.
- ``phrase``: PhraseMatcher phrases (on ``attr``, LOWER by default); each match is a candidate.
- ``cluster``: PhraseMatcher phrases that only count when at least
  ``params.min_count`` (default 3) of them occur in one sentence; the candidate
  runs from the first to the last of them ("I guess maybe I kind of...").

All rules of all span-level checks share one Matcher and one PhraseMatcher per
attribute, keyed by rule id, so the cost does not grow with the number of files.
Turn-level check types live in ``interview_diag.aggregate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Span

from interview_diag.context import sentence_of
from interview_diag.rules.schema import Rule


@dataclass(frozen=True)
class Match:
    """A stretch of tokens one rule matched: ``doc[start:end]``."""

    rule_id: str
    start: int
    end: int


class SpanChecks:
    """The compiled span-level rules, ready to run over Doc spans."""

    def __init__(self, nlp: Language, rules: Iterable[Rule]) -> None:
        """Compile the rules.

        Args:
            nlp: the pipeline whose vocab and tokenizer the matchers use.
            rules: rules of any check type; only span-level ones are compiled.
        """
        self.rules = {r.id: r for r in rules if r.check in ("phrase", "token_pattern", "cluster")}
        self.matcher = Matcher(nlp.vocab)
        self.phrase_matchers: dict[str, PhraseMatcher] = {}
        for r in self.rules.values():
            if r.check == "token_pattern":
                self.matcher.add(r.id, [[dict(t) for t in p] for p in r.patterns])
            else:
                pm = self.phrase_matchers.get(r.attr)
                if pm is None:
                    pm = PhraseMatcher(nlp.vocab, attr=r.attr)
                    self.phrase_matchers[r.attr] = pm
                # make_doc gives the same tokens a blank or a trained pipeline would.
                pm.add(r.id, [nlp.make_doc(p) for p in r.phrases])
        self._strings = nlp.vocab.strings

    def run(self, span: Span, sent_starts: Sequence[int]) -> list[Match]:
        """Every match of every rule inside ``span``.

        Args:
            span: a turn segment of the Doc.
            sent_starts: sentence start token indices of the Doc (sorted).

        Returns:
            Candidates in Doc token order; for each rule, overlapping matches are
            reduced to the longest.
        """
        raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if len(self.matcher):
            for match in self.matcher(span, as_spans=True):
                raw[match.label_].append((match.start, match.end))
        for pm in self.phrase_matchers.values():
            for match in pm(span, as_spans=True):
                raw[match.label_].append((match.start, match.end))
        out: list[Match] = []
        for rule_id, spans in raw.items():
            rule = self.rules.get(rule_id)
            if rule is None:
                continue
            if rule.check == "cluster":
                out.extend(_clusters(rule, spans, sent_starts))
            else:
                out.extend(Match(rule_id, s, e) for s, e in _longest(spans))
        out.sort(key=lambda c: (c.start, -c.end, c.rule_id))
        return out


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop matches that overlap a longer (or earlier, equally long) one."""
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
    return sorted(chosen)


def _clusters(rule: Rule, spans: list[tuple[int, int]], sent_starts: Sequence[int]) -> list[Match]:
    min_count = int(rule.params.get("min_count", 3))
    by_sent: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, e in _longest(spans):
        by_sent[sentence_of(sent_starts, s)].append((s, e))
    out = []
    for group in by_sent.values():
        if len(group) >= min_count:
            group.sort()
            out.append(Match(rule.id, group[0][0], group[-1][1]))
    return out
