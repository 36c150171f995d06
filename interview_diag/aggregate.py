"""Interview-level logic: pure functions over findings and turns.

Three steps, in order:

1. ``combine_sources`` merges a rule finding and a classifier finding of the same
   code on the same words into one finding with ``source="both"``.
2. Turn-level check types (``TURN_CHECK_FUNCTIONS``, defined in
   ``interview_diag.turn_checks``) add findings that need the whole interview: the
   same explanation of leaving given for job after job, no sign of the company
   anywhere, answers far longer than the rest...
3. ``order_findings`` drops exact duplicates and sorts by position, then severity.

Nothing here depends on the order the findings arrive in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

from interview_diag.letter_checks import LETTER_CHECKS
from interview_diag.rules.schema import RuleSet
from interview_diag.turn_checks import TURN_CHECKS, InterviewInput, TurnCheck
from interview_diag.types import Finding

__all__ = [
    "TURN_CHECK_FUNCTIONS",
    "InterviewInput",
    "TurnCheck",
    "aggregate",
    "combine_sources",
    "order_findings",
]


# The registry of turn-level check types; read-only (add a check type in turn_checks.py,
# or a whole-letter one in letter_checks.py).
TURN_CHECK_FUNCTIONS: Mapping[str, TurnCheck] = MappingProxyType({**TURN_CHECKS, **LETTER_CHECKS})


def _overlaps(a: Finding, b: Finding) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a.evidence for y in b.evidence)


def combine_sources(findings: Iterable[Finding]) -> list[Finding]:
    """Merge rule and model findings of one code that rest on overlapping words.

    The merged finding keeps the rule's evidence (it is the more precise), says
    ``source="both"``, and scores ``1 - (1 - rule) * (1 - model)``.

    Args:
        findings: findings from every detector.

    Returns:
        The findings with each overlapping rule/model pair merged.
    """
    items = sorted(findings, key=Finding.sort_key)
    rules = [f for f in items if f.source != "model"]
    models = [f for f in items if f.source == "model"]
    by_code: dict[str, list[int]] = {}
    for i, m in enumerate(models):
        by_code.setdefault(m.code, []).append(i)
    used: set[int] = set()
    out: list[Finding] = []
    for r in rules:
        partner = next(
            (i for i in by_code.get(r.code, ()) if i not in used and _overlaps(r, models[i])),
            None,
        )
        if partner is None:
            out.append(r)
            continue
        used.add(partner)
        m = models[partner]
        score = 1.0 - (1.0 - r.score) * (1.0 - m.score)
        details = {**dict(r.details), "model_score": round(m.score, 4)}
        out.append(replace(r, source="both", score=score, details=details))
    out.extend(m for i, m in enumerate(models) if i not in used)
    return out


def order_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Drop exact repeats and sort by position, then higher severity, then code.

    Two findings of the same code whose evidence overlaps are one finding: the
    earlier rule in sort order is kept, so the result does not depend on input order.
    """
    ranked = sorted(
        findings,
        key=lambda f: (f.code, -f.severity.rank, -_length(f), f.start, f.rule_id, f.source),
    )
    kept: list[Finding] = []
    # Per code, the kept evidence as disjoint intervals sorted by start (so their
    # ends are sorted too): an overlap test is two look-ups, not a scan.
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}
    bare: set[str] = set()
    for f in ranked:
        s_list = starts.setdefault(f.code, [])
        e_list = ends.setdefault(f.code, [])
        if not f.evidence:
            if f.code in bare:
                continue
            bare.add(f.code)
            kept.append(f)
            continue
        if any(_hits(s_list, e_list, e.start, e.end) for e in f.evidence):
            continue
        for e in f.evidence:
            i = bisect_left(s_list, e.start)
            s_list.insert(i, e.start)
            e_list.insert(i, e.end)
        kept.append(f)
    return tuple(sorted(kept, key=Finding.sort_key))


def _hits(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    """Does ``[s, e)`` overlap one of the disjoint sorted intervals?"""
    i = bisect_right(starts, s) - 1
    if i >= 0 and ends[i] > s:
        return True
    return i + 1 < len(starts) and starts[i + 1] < e


def _length(f: Finding) -> int:
    return sum(e.end - e.start for e in f.evidence)


def aggregate(
    findings: Sequence[Finding], inp: InterviewInput, rules: RuleSet
) -> tuple[Finding, ...]:
    """Run every interview-level step over the findings of one input.

    Args:
        findings: findings from the detectors (rules and model), any order.
        inp: the transcript and options.
        rules: the rules in force; their turn-level rules run here.

    Returns:
        The final findings, ordered.
    """
    merged = combine_sources(findings)
    base = order_findings(merged)
    extra: list[Finding] = []
    for rule in rules.rules:
        fn = TURN_CHECK_FUNCTIONS.get(rule.check)
        if fn is None or inp.kind not in rule.kinds:
            continue
        extra.extend(fn(rule, base, inp))
    return order_findings([*base, *extra])
