"""``to_dataframe``: reports and batch results as pandas DataFrames."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import interview_diag
from interview_diag.analyzer import Analyzer
from interview_diag.batch import BatchResult
from interview_diag.frames import FINDING_COLUMNS, REPORT_COLUMNS, to_dataframe

pd = pytest.importorskip("pandas")

BAD = "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened."
GOOD = "Interviewer: Why this role?\nCandidate: I enjoy building data tools with a small team."


@pytest.fixture(scope="module")
def results() -> list[BatchResult]:
    """A bad answer, a good one and a failed record."""
    return list(Analyzer(model=None).pipe([BAD, GOOD, ""]))


def test_to_dataframe_by_finding_one_row_per_finding(results: list[BatchResult]) -> None:
    df = to_dataframe(results, by="finding")
    first = df[df["id"] == "0"]
    findings = [(r.id, f) for r in results if r.report for f in r.report.findings]
    expected = {
        "columns": list(FINDING_COLUMNS),
        "rows": [(rid, f.code, f.severity.value, f.rule_id) for rid, f in findings],
        "text is the source": [BAD[s:e] for s, e in zip(first["start"], first["end"], strict=True)],
    }
    actual = {
        "columns": list(df.columns),
        "rows": list(df[["id", "code", "severity", "rule_id"]].itertuples(index=False, name=None)),
        "text is the source": list(first["text"]),
    }
    assert expected == actual


def test_to_dataframe_by_report_one_row_per_result(results: list[BatchResult]) -> None:
    df = to_dataframe(results, by="report")
    codes = sorted({f.code for r in results if r.report for f in r.report.findings})
    at = REPORT_COLUMNS.index("findings") + 1
    reports = [r.report for r in results]
    highest = [r.highest_severity() if r else None for r in reports]
    expected = {
        "columns": [*REPORT_COLUMNS[:at], *codes, *REPORT_COLUMNS[at:]],
        "ids": ["0", "1", "2"],
        "findings": [len(r.findings) if r else None for r in reports],
        "highest": [h.value if h else None for h in highest],
        "errors": [None, None, "the input is empty"],
    }
    actual = {
        "columns": list(df.columns),
        "ids": list(df["id"]),
        "findings": [None if pd.isna(v) else int(v) for v in df["findings"]],
        "highest": [None if pd.isna(v) else v for v in df["highest_severity"]],
        "errors": [None if pd.isna(v) else v for v in df["error"]],
    }
    assert expected == actual


@pytest.mark.parametrize("by", ["finding", "report"])
def test_to_dataframe_accepts_reports(results: list[BatchResult], by: Any) -> None:
    reports = [r.report for r in results if r.report is not None]
    ok = [r for r in results if r.report is not None]
    expected = to_dataframe(ok, by=by)
    pd.testing.assert_frame_equal(expected, to_dataframe(reports, by=by))


@pytest.mark.parametrize(
    ("by", "columns"), [("finding", list(FINDING_COLUMNS)), ("report", list(REPORT_COLUMNS))]
)
def test_to_dataframe_empty_input_keeps_columns(by: Any, columns: list[str]) -> None:
    df = to_dataframe([], by=by)
    expected = (columns, 0)
    assert expected == (list(df.columns), len(df))


@pytest.mark.parametrize("column", ["severity"])
def test_to_dataframe_severity_is_ordered(results: list[BatchResult], column: str) -> None:
    df = to_dataframe(results, by="finding")
    expected = ["info", "low", "medium", "high"]
    assert expected == list(df[column].cat.categories)
    assert df[column].cat.ordered


@pytest.mark.parametrize(("arg", "error"), [("by", ValueError), ("item", TypeError)])
def test_to_dataframe_bad_arguments_raise(arg: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        if arg == "by":
            to_dataframe([], by="turn")  # type: ignore[arg-type]
        else:
            to_dataframe(["not a report"])  # type: ignore[list-item]


@pytest.mark.parametrize("extra", ["interview-diag[pandas]"])
def test_to_dataframe_without_pandas_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=extra.replace("[", r"\[").replace("]", r"\]")):
        to_dataframe([])


@pytest.mark.parametrize("name", ["to_dataframe"])
def test_to_dataframe_is_reexported(name: str) -> None:
    expected = to_dataframe
    assert expected is getattr(interview_diag, name)
    assert name in interview_diag.__all__
