"""The false-alarm budget: every rule over a clean corpus of good interview material.

``tests/corpora/clean/`` holds good answers, calm recaps, well-made follow-up letters
and whole interviews that go well, in many industries. None of them contains a
mistake, so every finding there is a false alarm. The budget is at most one finding
(info severity aside) per 1,000 words. A file's kind is the start of its name
(``transcript_``, ``answer_``, ``recap_``, ``letter_``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from interview_diag import Analyzer, Report
from interview_diag.turn_checks import count_words
from interview_diag.types import Severity

CLEAN = Path(__file__).parent / "corpora" / "clean"
FILES = sorted(CLEAN.glob("*.txt"))
BUDGET_PER_1000_WORDS = 1.0
MIN_WORDS = 8000


@cache
def _analyzer() -> Analyzer:
    return Analyzer(model=None)


@cache
def _report(path: Path) -> Report:
    kind = path.name.split("_", 1)[0]
    return _analyzer().analyze(path.read_text(encoding="utf-8"), kind=kind)


def _alarms(path: Path) -> list[str]:
    return [
        f"{path.name}: {f.code} ({f.rule_id}) on {[e.text for e in f.evidence]}"
        for f in _report(path).findings
        if f.severity != Severity.INFO
    ]


def test_false_alarms_corpus_is_large_enough() -> None:
    """The corpus has enough words for the budget to mean something."""
    words = sum(count_words(p.read_text(encoding="utf-8")) for p in FILES)
    assert (True, True) == (words >= MIN_WORDS, len(FILES) >= 12), f"{words} words"


@pytest.mark.parametrize("kind", ["transcript", "answer", "recap", "letter"])
def test_false_alarms_corpus_covers_every_kind(kind: str) -> None:
    """Every kind of input is in the corpus."""
    assert any(p.name.startswith(f"{kind}_") for p in FILES)


def test_false_alarms_within_budget() -> None:
    """At most one finding (info aside) per 1,000 words over the whole clean corpus."""
    words = sum(count_words(p.read_text(encoding="utf-8")) for p in FILES)
    alarms = [a for p in FILES for a in _alarms(p)]
    for a in alarms:
        print(a)
    rate = 1000.0 * len(alarms) / words
    assert rate <= BUDGET_PER_1000_WORDS, "\n".join(alarms)
