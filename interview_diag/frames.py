"""Reports as pandas DataFrames: one row per finding, or one row per report.

pandas is an optional dependency (the ``pandas`` extra); it is imported only when
``to_dataframe`` is called.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from interview_diag.batch import BatchResult
from interview_diag.types import Report, Severity

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = (
    "id",
    "kind",
    "candidate",
    "code",
    "severity",
    "score",
    "impression",
    "rule_id",
    "source",
    "start",
    "end",
    "text",
    "speaker",
    "turn",
    "evidence_pieces",
    "message",
    "advice",
)
"""Columns of ``to_dataframe(..., by="finding")``, in order."""

REPORT_COLUMNS = (
    "id",
    "kind",
    "candidate",
    "format",
    "chars",
    "words",
    "turns",
    "candidate_words",
    "findings",
    "highest_severity",
    "error",
)
"""Fixed columns of ``to_dataframe(..., by="report")``; one count column per code follows
``findings``."""

EVIDENCE_JOIN = " … "
"""How the pieces of a finding's evidence are joined in the ``text`` column."""


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "to_dataframe needs pandas; install it with: pip install 'interview-diag[pandas]'"
        ) from exc
    return pandas


def _pairs(
    reports: Iterable[Report | BatchResult],
) -> Iterable[tuple[str | None, Report | None, str | None]]:
    for item in reports:
        if isinstance(item, BatchResult):
            yield item.id, item.report, item.error
        elif isinstance(item, Report):
            yield item.id, item, None
        else:
            raise TypeError(f"expected Report or BatchResult, got {type(item).__name__}")


def _finding_rows(reports: Iterable[Report | BatchResult]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for rid, report, _error in _pairs(reports):
        if report is None:
            continue
        for f in report.findings:
            first = f.evidence[0] if f.evidence else None
            rows.append(
                {
                    "id": rid,
                    "kind": report.kind,
                    "candidate": report.candidate.speaker,
                    "code": f.code,
                    "severity": f.severity.value,
                    "score": float(f.score),
                    "impression": f.impression,
                    "rule_id": f.rule_id,
                    "source": f.source,
                    "start": first.start if first else None,
                    "end": f.evidence[-1].end if f.evidence else None,
                    "text": EVIDENCE_JOIN.join(e.text for e in f.evidence),
                    "speaker": first.speaker if first else None,
                    "turn": first.turn if first else None,
                    "evidence_pieces": len(f.evidence),
                    "message": f.message,
                    "advice": f.advice,
                }
            )
    return rows


def _report_rows(reports: Iterable[Report | BatchResult]) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    codes: set[str] = set()
    for rid, report, error in _pairs(reports):
        if report is None:
            rows.append({"id": rid, "error": error, "_counts": {}})
            continue
        counts: dict[str, int] = {}
        for f in report.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        codes.update(counts)
        highest = report.highest_severity()
        rows.append(
            {
                "id": rid,
                "kind": report.kind,
                "candidate": report.candidate.speaker,
                "format": report.stats.format,
                "chars": report.stats.chars,
                "words": report.stats.words,
                "turns": report.stats.turns,
                "candidate_words": report.stats.candidate_words,
                "findings": len(report.findings),
                "highest_severity": None if highest is None else highest.value,
                "error": error,
                "_counts": counts,
            }
        )
    return rows, sorted(codes)


def to_dataframe(
    reports: Iterable[Report | BatchResult],
    by: Literal["finding", "report"] = "finding",
) -> pd.DataFrame:
    """Put reports (or batch results) into a pandas DataFrame.

    ``by="finding"``: one row per finding (columns ``FINDING_COLUMNS``); reports
    without findings and failed results add no row. ``start``/``end`` span the
    whole evidence and ``text`` joins its pieces with ``EVIDENCE_JOIN``.

    ``by="report"``: one row per report or result (columns ``REPORT_COLUMNS`` with
    one integer count column per finding code after ``findings``; a code named like
    a fixed column gets the prefix ``code:``); a failed result has its ``error`` and
    empty figures.

    ``severity`` and ``highest_severity`` are ordered categoricals (info < low <
    medium < high), so sorting and ``max()`` follow severity.

    Args:
        reports: ``Report`` or ``BatchResult`` objects (e.g. ``Analyzer.pipe`` output).
        by: ``"finding"`` or ``"report"``.

    Returns:
        The DataFrame (with the columns even when there are no rows).

    Raises:
        ImportError: pandas is not installed (install the ``pandas`` extra).
        ValueError: ``by`` is neither ``"finding"`` nor ``"report"``.
        TypeError: an element is neither a ``Report`` nor a ``BatchResult``.

    Example:
        >>> from interview_diag import Analyzer, to_dataframe
        >>> an = Analyzer(model=None)
        >>> df = to_dataframe(an.pipe(["My old boss was an idiot."]), by="finding")
        >>> df[["id", "code", "severity"]].values.tolist()
        [['0', 'badmouthing', 'high']]
    """
    if by not in ("finding", "report"):
        raise ValueError(f'by must be "finding" or "report", got {by!r}')
    pandas = _import_pandas()
    severity = pandas.CategoricalDtype([s.value for s in Severity], ordered=True)
    if by == "finding":
        df = pandas.DataFrame(_finding_rows(reports), columns=list(FINDING_COLUMNS))
        df["severity"] = df["severity"].astype(severity)
        return df
    rows, codes = _report_rows(reports)
    names = {c: (f"code:{c}" if c in REPORT_COLUMNS else c) for c in codes}
    at = REPORT_COLUMNS.index("findings") + 1
    columns = [*REPORT_COLUMNS[:at], *names.values(), *REPORT_COLUMNS[at:]]
    for row in rows:
        counts = row.pop("_counts")
        ok = row.get("error") is None
        for code, name in names.items():
            row[name] = counts.get(code, 0) if ok else None
    df = pandas.DataFrame(rows, columns=columns)
    for name in names.values():
        df[name] = df[name].astype("Int64")
    for col in ("chars", "words", "turns", "candidate_words", "findings"):
        df[col] = df[col].astype("Int64")
    df["highest_severity"] = df["highest_severity"].astype(severity)
    return df
