"""Shared fixtures for the whole test suite (the only conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_FORMATS = ROOT.parent / "shared" / "formats"


@pytest.fixture(scope="session")
def shared_formats() -> Path:
    """The folder of real transcript samples beside the project; skips when absent."""
    if not SHARED_FORMATS.is_dir():
        pytest.skip("../shared/formats is not present")
    return SHARED_FORMATS


@pytest.fixture(scope="session")
def shared_expect(shared_formats: Path) -> dict[str, list[str]]:
    """Expected speaker lists for some of the shared samples."""
    return json.loads((shared_formats / "expect.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rules_analyzer():  # type: ignore[no-untyped-def]
    """An Analyzer with rules only (no classifier), built once for the session."""
    from interview_diag import Analyzer

    return Analyzer(model=None)


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """spacy.blank("en") plus the project's components, rules only."""
    from interview_diag.pipeline import build_nlp

    return build_nlp(model=None)


def _assert_evidence_exact(source: str, report) -> None:  # type: ignore[no-untyped-def]
    for f in report.findings:
        for e in f.evidence:
            assert source[e.start : e.end] == e.text, (f.code, e)


@pytest.fixture(scope="session")
def evidence_exact():  # type: ignore[no-untyped-def]
    """A check that every piece of evidence of a report slices the source exactly."""
    return _assert_evidence_exact
