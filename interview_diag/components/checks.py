"""Span-level check types: how a rule's data becomes matches in a Doc.

- ``token_pattern``: spaCy Matcher patterns; each match is a candidate.
- ``phrase``: PhraseMatcher phrases (on ``attr``, LOWER by default); each match is a candidate.
- ``cluster``: PhraseMatcher phrases that only count when at least
  ``params.min_count`` (default 3) of them occur in one sentence; the candidate
  runs from the first to the last of them ("I guess maybe I kind of..."). With
  ``params.max_tokens``, they must also lie within that many tokens of each other,
  so a run-on sentence that is a whole spoken answer is not one cluster.

All rules of all span-level checks share one Matcher and one PhraseMatcher per
attribute, keyed by rule id, so the cost does not grow with the number of files.

The Matcher's cost grows with tokens times patterns, so token patterns are
*anchored*: the required tokens of a pattern whose possible words are known (a
``LOWER``/``ORTH``/``TEXT`` value or ``IN`` list) can only all be present in a
sentence that holds one word of each. One vectorised look-up per Doc finds the
sentences where each pattern could match, and the pattern's own Matcher runs
only there. Patterns without such a token run over the whole turn segment.
A consequence, on purpose: an anchored pattern never matches across a sentence
end, since a mistake is said within a sentence and a match that spans two is
far more often a false alarm.
Turn-level check types live in ``interview_diag.turn_checks``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

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
        # Readiness is worked out per pattern (a sentence must hold a word of each
        # of its anchored tokens); each anchored pattern has a Matcher of its own,
        # run only on the sentences where that pattern is ready (a Matcher per rule
        # would run all of a large rule's patterns wherever one of them is ready).
        # Anchored pattern i has Matcher self._matchers[i], of rule self._matcher_rule[i].
        self._matchers: list[Matcher] = []
        self._matcher_rule: list[str] = []
        self._slots: list[int] = []  # number of anchored tokens per pattern
        self._word_slots: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.free_matcher = Matcher(nlp.vocab)  # patterns without an anchored token
        self.phrase_matchers: dict[str, PhraseMatcher] = {}
        strings = nlp.vocab.strings
        for r in self.rules.values():
            if r.check == "token_pattern":
                for p in r.patterns:
                    slots = distinctive(pattern_slots(p))
                    spec = [dict(t) for t in p]
                    if not slots:
                        self.free_matcher.add(r.id, [spec])
                        continue
                    index = len(self._matchers)
                    pattern_matcher = Matcher(nlp.vocab)
                    pattern_matcher.add(r.id, [spec])
                    self._matchers.append(pattern_matcher)
                    self._matcher_rule.append(r.id)
                    self._slots.append(len(slots))
                    for k, words in enumerate(slots):
                        for w in words:
                            self._word_slots[strings.add(w)].append((index, k))
            else:
                pm = self.phrase_matchers.get(r.attr)
                if pm is None:
                    pm = PhraseMatcher(nlp.vocab, attr=r.attr)
                    self.phrase_matchers[r.attr] = pm
                # make_doc gives the same tokens a blank or a trained pipeline would.
                pm.add(r.id, [nlp.make_doc(p) for p in r.phrases])
        self._anchor_ids = np.array(sorted(self._word_slots), dtype=np.uint64)
        # The (pattern, slot) pairs of each anchor word, flattened in anchor-id order,
        # with the offsets of each word's run (a CSR layout for vectorised look-ups).
        runs = [self._word_slots[int(w)] for w in self._anchor_ids.tolist()]
        self._ptr = np.cumsum([0, *(len(r) for r in runs)]).astype(np.int64)
        flat = [pair for r in runs for pair in r]
        self._flat_pattern = np.array([p for p, _ in flat], dtype=np.int64)
        self._flat_slot = np.array([k for _, k in flat], dtype=np.int64)
        self._n_slots = np.array(self._slots, dtype=np.int64)

    def anchor_windows(
        self, doc: Doc, sent_starts: Sequence[int]
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        """The sentences where some anchored pattern could match, with those patterns.

        A pattern can only match in a sentence that holds, for each of its
        anchored tokens, one of that token's words.

        Args:
            doc: the Doc.
            sent_starts: sentence start token indices (sorted).

        Returns:
            ``(start, end, pattern matcher indices)`` per sentence, in order.
        """
        if not self._matchers or not len(doc):
            return []
        lowers = doc.to_array("LOWER")
        # Where each token's word would sit among the anchor words; a hit where it is one.
        where = np.searchsorted(self._anchor_ids, lowers)
        where_clipped = np.minimum(where, len(self._anchor_ids) - 1)
        hits = np.flatnonzero(self._anchor_ids[where_clipped] == lowers)
        if not len(hits):
            return []
        starts = np.asarray(sent_starts, dtype=np.int64)
        sent_of = np.searchsorted(starts, hits, side="right") - 1
        # Expand every hit into the (pattern, slot) pairs its word anchors.
        word = where[hits]
        first, count = self._ptr[word], self._ptr[word + 1] - self._ptr[word]
        total = int(count.sum())
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        flat = np.repeat(first, count) + offsets
        sent = np.repeat(sent_of, count)
        pattern, slot = self._flat_pattern[flat], self._flat_slot[flat]
        # Distinct (sentence, pattern, slot) triples, then slots found per (sentence, pattern).
        width = int(self._n_slots.max()) + 1
        n_patterns = len(self._n_slots)
        keys = np.unique((sent * n_patterns + pattern) * width + slot) // width
        # keys is sorted: each run of one (sentence, pattern) key counts its slots found.
        run_starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        pairs = keys[run_starts]
        found = np.diff(np.append(run_starts, len(keys)))
        pair_sent, pair_pattern = pairs // n_patterns, pairs % n_patterns
        ready = (found == self._n_slots[pair_pattern]) & (pair_sent >= 0)
        ready_sent, ready_pattern = pair_sent[ready], pair_pattern[ready]
        # The pairs are sorted by sentence, then pattern: one group per sentence.
        cuts = np.flatnonzero(np.diff(ready_sent)) + 1
        out: list[tuple[int, int, tuple[int, ...]]] = []
        n = len(starts)
        for sents, patterns in zip(
            np.split(ready_sent, cuts), np.split(ready_pattern, cuts), strict=True
        ):
            if not len(sents):
                continue
            si = int(sents[0])
            end = int(starts[si + 1]) if si + 1 < n else len(doc)
            out.append((int(starts[si]), end, tuple(patterns.tolist())))
        return out

    def run(
        self,
        span: Span,
        sent_starts: Sequence[int],
        windows: Sequence[tuple[int, int, tuple[int, ...]]] | None = None,
        window_starts: Sequence[int] | None = None,
        rule_ids: frozenset[str] | None = None,
    ) -> list[Match]:
        """Every match of every rule inside ``span``.

        Args:
            span: a turn segment of the Doc.
            sent_starts: sentence start token indices of the Doc (sorted).
            windows: the anchor sentences of the Doc (``anchor_windows``); ``None``
                runs every anchored pattern over the whole span.
            window_starts: the first token of each window (computed when not given;
                pass it when calling for many spans of one Doc).
            rule_ids: when given, the anchored patterns of other rules are not run
                (rules out of scope for this turn); other matches are not filtered.

        Returns:
            Candidates in Doc token order; for each rule, overlapping matches are
            reduced to the longest.
        """
        raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
        doc = span.doc
        if windows is None:
            windows = [(span.start, span.end, tuple(range(len(self._matchers))))]
        if window_starts is None:
            window_starts = [w[0] for w in windows]
        first = max(0, bisect_right(window_starts, span.start) - 1)
        for a, b, patterns in windows[first:]:
            if a >= span.end:
                break
            if b <= span.start:
                continue
            window = doc[max(a, span.start) : min(b, span.end)]
            for i in patterns:
                if rule_ids is not None and self._matcher_rule[i] not in rule_ids:
                    continue
                for match in self._matchers[i](window, as_spans=True):
                    raw[match.label_].append((match.start, match.end))
        if len(self.free_matcher):
            for match in self.free_matcher(span, as_spans=True):
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
    max_tokens = rule.params.get("max_tokens")
    by_sent: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, e in _longest(spans):
        by_sent[sentence_of(sent_starts, s)].append((s, e))
    out = []
    for group in by_sent.values():
        group.sort()
        if max_tokens is None:
            if len(group) >= min_count:
                out.append(Match(rule.id, group[0][0], group[-1][1]))
            continue
        # In a run-on sentence (a whole spoken answer), only phrases within
        # ``max_tokens`` of each other form a cluster; windows go left to right.
        i = 0
        while i < len(group):
            j = i
            while j + 1 < len(group) and group[j + 1][1] - group[i][0] <= int(max_tokens):
                j += 1
            if j - i + 1 >= min_count:
                out.append(Match(rule.id, group[i][0], group[j][1]))
                i = j + 1
            else:
                i += 1
    return out


_ANCHOR_ATTRS = ("LOWER", "ORTH", "TEXT")
_EVERYWHERE = frozenset({".", ",", "!", ";", ":"})  # marks nearly every sentence holds
_COMMON = frozenset(STOP_WORDS) | {"'s", "'m", "'re", "'ve", "'d", "'ll", "n't"}


def distinctive(slots: list[frozenset[str]]) -> list[frozenset[str]]:
    """The slots worth looking up: those that only some sentences hold.

    A slot whose words are all stop words ("i", "the", "was"), or that holds a mark
    nearly every sentence has (".", ","), says little about a sentence, and looking
    it up costs more than it saves; such slots are dropped when the pattern has
    other ones. When it has none, all its slots are kept: together they still pass
    far fewer sentences than any one of them. Dropping a slot only lets more
    sentences through to the Matcher, never fewer.

    Example:
        >>> distinctive([frozenset({"i"}), frozenset({"toxic"}), frozenset({".", "!"})])
        [frozenset({'toxic'})]
        >>> distinctive([frozenset({"i"}), frozenset({"had"}), frozenset({"enough"})])
        [frozenset({'i'}), frozenset({'had'}), frozenset({'enough'})]
    """
    rare = [s for s in slots if not (s <= _COMMON or s & _EVERYWHERE)]
    return rare or list(slots)


_REQUIRED_OPS = (None, "1", "+")


def pattern_slots(pattern: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
    """The word sets of the pattern's required, word-pinned tokens.

    A token counts when it must occur (no ``OP``, or ``OP`` "1" or "+") and is
    pinned to known words by ``LOWER``, ``ORTH`` or ``TEXT`` (a string or an
    ``IN`` list); its words are lower-cased, since a token's ``LOWER`` is its
    text lower-cased.

    Args:
        pattern: a Matcher pattern.

    Returns:
        One set of lower-cased words per such token (empty when none qualifies).
    """
    out: list[frozenset[str]] = []
    for tok in pattern:
        if tok.get("OP") not in _REQUIRED_OPS:
            continue
        for attr in _ANCHOR_ATTRS:
            value = tok.get(attr)
            if isinstance(value, str):
                out.append(frozenset({value.lower()}))
                break
            if (
                isinstance(value, Mapping)
                and set(value) == {"IN"}
                and value["IN"]
                and all(isinstance(w, str) for w in value["IN"])
            ):
                out.append(frozenset(w.lower() for w in value["IN"]))
                break
    return out
