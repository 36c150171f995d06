"""Batch analysis: records, readers, ``Analyzer.pipe``, and ``interview-diag batch``."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_diag.analyzer import Analyzer
from interview_diag.batch import (
    BatchInputError,
    BatchItem,
    BatchResult,
    CsvColumns,
    Progress,
    check_unique_ids,
    item_from_record,
    read_csv,
    read_directory,
    read_jsonl,
    read_records,
    scan_output,
    write_summary_csv,
)
from interview_diag.cli import main
from interview_diag.errors import ConfigError
from interview_diag.types import Report

BAD = "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened."
GOOD = "Interviewer: Why this role?\nCandidate: I enjoy building data tools with a small team."
SUMMARY = re.compile(r"(\d+) read = (\d+) analysed \+ (\d+) failed(?: \+ (\d+) skipped)?")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """A rules-only analyzer shared by the tests of this module."""
    return Analyzer(model=None)


def _write_jsonl(path: Path, records: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _counts(stderr: str) -> tuple[int, int, int, int]:
    m = SUMMARY.search(stderr)
    assert m is not None, stderr
    read, analysed, failed, skipped = (int(g or 0) for g in m.groups())
    return read, analysed, failed, skipped


# --- records -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": "a", "text": "hi"}, BatchItem(id="a", text="hi")),
        ({"id": 7, "text": "hi"}, BatchItem(id="7", text="hi")),
        ({"text": "hi"}, BatchItem(id="d", text="hi")),
        (
            {"id": "a", "text": "hi", "kind": "answer", "company": "Acme", "meta": [1]},
            BatchItem(id="a", text="hi", kind="answer", company="Acme"),
        ),
        ({"id": "a"}, BatchResult(id="a", error='record has no "text"')),
        ({"id": "a", "text": None}, BatchResult(id="a", error='record has no "text"')),
        ({"id": "a", "text": 3}, BatchResult(id="a", error='"text" must be a string, got int')),
        (
            {"id": "a", "text": "hi", "role": 1},
            BatchResult(id="a", error='"role" must be a string, got int'),
        ),
        (
            {"id": [1], "text": "hi"},
            BatchResult(id="d", error='"id" must be a non-empty string or an integer, got list'),
        ),
        (
            {"id": "", "text": "hi"},
            BatchResult(id="d", error='"id" must be a non-empty string or an integer, got str'),
        ),
    ],
)
def test_item_from_record_checks_fields(record: dict[str, Any], expected: object) -> None:
    assert expected == item_from_record(record, "d")


@pytest.mark.parametrize("report", [None, "with-report"])
def test_batch_result_to_json_is_one_line(analyzer: Analyzer, report: str | None) -> None:
    rep = analyzer.analyze(BAD, id="x") if report else None
    result = BatchResult(id="x", report=rep, error=None if rep else "boom")
    line = result.to_json()
    assert "\n" not in line
    assert result.to_dict() == json.loads(line)
    expected = ["id", "report", "error"]
    assert expected == list(json.loads(line))


# --- Analyzer.pipe ---------------------------------------------------------------


@pytest.mark.parametrize("texts", [[BAD, GOOD, BAD]])
def test_pipe_strings_give_reports_with_position_ids(analyzer: Analyzer, texts: list[str]) -> None:
    results = list(analyzer.pipe(texts))
    expected = ["0", "1", "2"]
    assert expected == [r.id for r in results]
    assert [analyzer.analyze(t, id=str(i)) for i, t in enumerate(texts)] == [
        r.report for r in results
    ]
    assert all(isinstance(r.report, Report) for r in results)


@pytest.mark.parametrize(
    ("bad", "expected_id", "reason"),
    [
        ("", "1", "the input is empty"),
        ("  \n ", "1", "the input is empty"),
        ({"id": "t", "text": 5}, "t", '"text" must be a string, got int'),
        ({"id": "t"}, "t", 'record has no "text"'),
        (None, "1", "expected a string, a record or a BatchItem, got NoneType"),
        (b"bytes", "1", "got bytes"),
        ({"id": "k", "text": BAD, "kind": "novel"}, "k", "unknown kind 'novel'"),
        (BatchItem(id="c", text=BAD, candidate="Nobody"), "c", "'Nobody'"),
        (BatchResult(id="pre", error="upstream"), "pre", "upstream"),
    ],
)
def test_pipe_bad_record_becomes_error_and_stream_goes_on(
    analyzer: Analyzer, bad: object, expected_id: str, reason: str
) -> None:
    results = list(analyzer.pipe([BAD, bad, GOOD]))  # type: ignore[list-item]
    assert ["0", expected_id, "2"] == [r.id for r in results]
    expected = [True, False, True]
    assert expected == [r.ok for r in results]
    assert results[1].report is None
    assert reason in (results[1].error or "")


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_pipe_keeps_input_order(analyzer: Analyzer, batch_size: int) -> None:
    items = [{"id": f"r{i}", "text": BAD if i % 2 else GOOD} for i in range(11)]
    items[4] = {"id": "r4", "text": ""}
    results = list(analyzer.pipe(items, batch_size=batch_size))
    assert [f"r{i}" for i in range(11)] == [r.id for r in results]
    assert [i != 4 for i in range(11)] == [r.ok for r in results]


@pytest.mark.parametrize("batch_size", [2])
def test_pipe_reads_input_lazily(analyzer: Analyzer, batch_size: int) -> None:
    pulled = 0

    def endless() -> Iterator[str]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield BAD if i % 2 else GOOD

    first = list(itertools.islice(analyzer.pipe(endless(), batch_size=batch_size), 5))
    expected = ["0", "1", "2", "3", "4"]
    assert expected == [r.id for r in first]
    assert pulled <= 5 + batch_size


@pytest.mark.parametrize("single", ["one text", b"one text"])
def test_pipe_single_text_raises_type_error(analyzer: Analyzer, single: Any) -> None:
    with pytest.raises(TypeError, match="wrap it in a list"):
        analyzer.pipe(single)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"n_process": 0}, "n_process"),
        ({"n_process": 1.5}, "n_process"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_pipe_invalid_options_raise_config_error(
    analyzer: Analyzer, options: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigError, match=match):
        analyzer.pipe([BAD], **options)


@pytest.mark.parametrize("n_process", [2])
def test_pipe_custom_nlp_with_processes_raises(n_process: int) -> None:
    import spacy

    custom = Analyzer(nlp=spacy.blank("en"), model=None)
    with pytest.raises(ConfigError, match="custom nlp"):
        custom.pipe([BAD], n_process=n_process)


@pytest.mark.parametrize("n_process", [2])
def test_pipe_processes_equal_one_process(analyzer: Analyzer, n_process: int) -> None:
    items: list[Any] = [{"id": f"r{i}", "text": BAD if i % 3 else GOOD} for i in range(25)]
    items[7] = {"id": "r7", "text": 12}
    items[12] = ""
    items[20] = BatchResult(id="pre", error="upstream")
    pulled = 0

    def stream() -> Iterator[Any]:
        nonlocal pulled
        for item in items:
            pulled += 1
            yield item

    expected = list(analyzer.pipe(items, batch_size=3))
    parallel = analyzer.pipe(stream(), n_process=n_process, batch_size=3)
    first = next(parallel)
    # in flight: at most 2 tasks per worker of 3 records each, plus the one being filled
    assert pulled <= (2 * n_process + 1) * 3
    assert expected == [first, *parallel]


@pytest.mark.parametrize("broken", [{"extra_rules": ("/nonexistent/rules.json",)}])
def test_pipe_workers_that_cannot_start_raise(broken: dict[str, Any]) -> None:
    failing = Analyzer(model=None)
    failing._settings = {**failing._settings, **broken}  # what the workers will be built with
    with pytest.raises(RuntimeError, match="worker processes could not run"):
        list(failing.pipe([BAD] * 4, n_process=2, batch_size=1))


# --- readers -------------------------------------------------------------------


def test_read_jsonl_yields_items_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "hello"}\n'
        b"\n"
        b"{not json\n"
        b'["a list"]\n'
        b'{"id": "b", "text": 4}\n'
        b'{"text": "no id"}\n'
        b'{"id": "c", "text": "caf\xe9"}\n'
        b'{"id": "d", "text": "last, no newline"}'
    )
    records = list(read_jsonl(path))
    expected = [
        ("a", None),
        ("line-3", "line 3: invalid JSON: Expecting property name enclosed in double quotes"),
        ("line-4", "line 4: expected a JSON object, got list"),
        ("b", 'line 5: "text" must be a string, got int'),
        ("line-6", None),
        ("line-7", "line 7: not UTF-8 text"),
        ("d", None),
    ]
    assert expected == [
        (r.id, r.error.split(" (")[0] if isinstance(r, BatchResult) and r.error else None)
        for r in records
    ]


@pytest.mark.parametrize("source", ["stream"])
def test_read_jsonl_accepts_a_stream(source: str) -> None:
    stream = io.BytesIO(b'{"id": "a", "text": "x"}\n')
    assert [BatchItem(id="a", text="x")] == list(read_jsonl(stream))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            CsvColumns(text="body"),
            [
                BatchItem(id="x1", text="hello", company="Acme"),
                BatchItem(id="row-2", text="multi\nline", company=None),
                BatchItem(id="x3", text=""),
            ],
        ),
        (
            CsvColumns(text="body", id="ref", company="firm"),
            [
                BatchItem(id="r1", text="hello", company="Big"),
                BatchItem(id="r2", text="multi\nline", company="Small"),
                BatchItem(id="r3", text=""),
            ],
        ),
    ],
)
def test_read_csv_maps_columns(
    tmp_path: Path, columns: CsvColumns, expected: list[BatchItem]
) -> None:
    path = _write_csv(
        tmp_path / "in.csv",
        [
            ["id", "ref", "body", "company", "firm"],
            ["x1", "r1", "hello", "Acme", "Big"],
            ["", "r2", "multi\nline", "", "Small"],
            ["x3", "r3", "", "", ""],
        ],
    )
    assert expected == list(read_csv(path, columns))


def test_read_csv_bad_rows_become_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,text\na,fine\nb\nc,caf\xe9\n")
    expected = [
        ("a", None),
        ("b", "row 2: no value in column 'text'"),
        ("row-3", "row 3: not UTF-8 text"),
    ]
    assert expected == [
        (r.id, r.error if isinstance(r, BatchResult) else None) for r in read_csv(path)
    ]


@pytest.mark.parametrize(
    ("columns", "match"),
    [(CsvColumns(text="body"), "no column 'body'"), (CsvColumns(id="ref"), "no column 'ref'")],
)
def test_read_csv_missing_column_raises(tmp_path: Path, columns: CsvColumns, match: str) -> None:
    path = _write_csv(tmp_path / "in.csv", [["id", "text"], ["a", "b"]])
    with pytest.raises(BatchInputError, match=match):
        read_csv(path, columns)


def test_read_directory_reads_transcripts_recursively(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "b" / "c.VTT").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "utf-8")
    (tmp_path / "b" / "deep" / "d.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\nHi\n", "utf-8"
    )
    (tmp_path / "b" / "e.json").write_text('{"segments": []}', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a record", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing")
    records: dict[str, Any] = {r.id: r for r in read_directory(tmp_path)}
    expected = {
        "ids": ["a.txt", "b/c.VTT", "b/deep/d.srt", "b/e.json", "gone.txt", "latin.txt"],
        "text": BAD,
        "not utf-8": "not UTF-8 text (invalid byte at offset 3)",
        "unreadable": True,
    }
    actual = {
        "ids": sorted(records),
        "text": records["a.txt"].text,
        "not utf-8": records["latin.txt"].error,
        "unreadable": records["gone.txt"].error.startswith("cannot read"),
    }
    assert expected == actual


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("missing.jsonl", {}, "no such file"),
        ("missing.csv", {}, "no such file"),
        (".", {"text_column": "text"}, "CSV input only"),
    ],
)
def test_read_records_whole_input_problem_raises(
    tmp_path: Path, name: str, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(BatchInputError, match=match):
        read_records(tmp_path / name, **kwargs)


@pytest.mark.parametrize(
    ("ids", "match"),
    [(["a", "b", "a"], "'a'"), (["x", "x", "y", "y"], "'x', 'y'")],
)
def test_check_unique_ids_duplicates_raise(ids: list[str], match: str) -> None:
    with pytest.raises(BatchInputError, match=match):
        check_unique_ids(BatchItem(id=i, text="t") for i in ids)


@pytest.mark.parametrize("ids", [["a", "b", "c"]])
def test_check_unique_ids_counts_records(ids: list[str]) -> None:
    assert len(ids) == check_unique_ids(BatchItem(id=i, text="t") for i in ids)


# --- output, resume, summary ----------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [b'{"id": "d", "report": nu', b'{"id": "d", "report": null, "error": "x"}', b"{\n"],
)
def test_scan_output_drops_partial_last_line(tmp_path: Path, tail: bytes) -> None:
    out = tmp_path / "out.jsonl"
    head = b"".join(
        json.dumps({"id": i, "report": None, "error": e}).encode() + b"\n"
        for i, e in (("a", None), ("b", "bad"), ("c", None))
    )
    out.write_bytes(head + tail)
    done = scan_output(out)
    assert (frozenset({"a", "b", "c"}), 1, True) == (
        done.ids,
        done.failed,
        done.dropped_partial_line,
    )
    assert head == out.read_bytes()


@pytest.mark.parametrize("middle", [b"garbage\n", b'"just a string"\n'])
def test_scan_output_refuses_a_corrupt_middle_line(tmp_path: Path, middle: bytes) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a"}\n' + middle + b'{"id": "b"}\n')
    with pytest.raises(BatchInputError, match="line 2 is not a batch result"):
        scan_output(out)


def test_write_summary_csv_one_row_per_result(analyzer: Analyzer, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    results = list(analyzer.pipe([BAD, GOOD, ""]))
    out.write_text("".join(r.to_json() + "\n" for r in results), encoding="utf-8")
    written = write_summary_csv(out, tmp_path / "s.csv", codes=["zz_unused"])
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    n_bad = str(len(results[0].report.findings))  # type: ignore[union-attr]
    expected = {
        "written": 3,
        "ids": ["0", "1", "2"],
        "first": ["id", "kind", "candidate"],
        "last": ["highest_severity", "error"],
        "unused": ["0", "0", ""],
        "badmouthing": [n_bad, "0", ""],
        "highest": ["high", "", ""],
        "errors": ["", "", "the input is empty"],
    }
    actual = {
        "written": written,
        "ids": [r["id"] for r in rows],
        "first": list(rows[0])[:3],
        "last": list(rows[0])[-2:],
        "unused": [r["zz_unused"] for r in rows],
        "badmouthing": [r["badmouthing"] for r in rows],
        "highest": [r["highest_severity"] for r in rows],
        "errors": [r["error"] for r in rows],
    }
    assert expected == actual


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "shown"), [(io.StringIO(), False), (_Tty(), True)])
def test_progress_shows_only_on_a_terminal(stream: io.StringIO, shown: bool) -> None:
    progress = Progress(stream, every=0.0)
    progress.update(3, 1)
    progress.close()
    assert shown == ("3 records" in stream.getvalue() and "1 errors" in stream.getvalue())
    assert shown == bool(stream.getvalue())


# --- the command ------------------------------------------------------------------------


def _records(n: int, words: int = 20) -> list[dict[str, Any]]:
    filler = " ".join(["we shipped the data platform on time"] * (words // 7 + 1))
    return [
        {"id": f"rec-{i:04d}", "text": (BAD if i % 2 else GOOD) + " " + filler} for i in range(n)
    ]


def test_cli_batch_jsonl_one_line_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records: list[Any] = _records(6)
    records[2] = {"id": "no-text"}
    records.append("{broken")
    src = _write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(src), "-o", str(out), "--no-model"])
    lines = _lines(out)
    expected = {
        "code": 0,
        "ids": [r["id"] for r in records[:6]] + ["line-7"],
        "ok": [True, True, False, True, True, True, False],
        "counts": (7, 5, 2, 0),
    }
    actual = {
        "code": code,
        "ids": [line["id"] for line in lines],
        "ok": [line["error"] is None for line in lines],
        "counts": _counts(capsys.readouterr().err),
    }
    assert expected == actual


@pytest.mark.parametrize(("flag", "expected"), [([], 0), (["--strict"], 1)])
def test_cli_batch_strict_exits_1_on_failures(
    tmp_path: Path, flag: list[str], expected: int
) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": BAD}, {"id": "b", "text": ""}])
    assert expected == main(
        ["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--no-model", *flag]
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file"),
        ("duplicates", "duplicate record ids: 'a'"),
        ("csv-column", "no column 'body'"),
        ("binary", "not UTF-8 text (a binary file, or UTF-16"),
        ("utf-16", "not UTF-8 text (a binary file, or UTF-16"),
        ("binary-csv", "not UTF-8 text (a binary file, or UTF-16"),
    ],
)
def test_cli_batch_whole_input_problem_exits_2_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, message: str
) -> None:
    args = ["--no-model"]
    src = tmp_path / "in.jsonl"
    if setup == "duplicates":
        _write_jsonl(
            src, [{"id": "a", "text": BAD}, {"id": "b", "text": BAD}, {"id": "a", "text": GOOD}]
        )
    elif setup == "csv-column":
        src = _write_csv(tmp_path / "in.csv", [["id", "text"], ["a", BAD]])
        args += ["--text-column", "body"]
    elif setup == "binary":
        src.write_bytes(bytes(range(256)) * 4)
    elif setup == "utf-16":
        src.write_bytes(json.dumps({"id": "a", "text": BAD}).encode("utf-16"))
    elif setup == "binary-csv":
        src = tmp_path / "in.csv"
        src.write_bytes(b"id,text\n" + bytes(range(256)))
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(src), "-o", str(out), *args])
    err = capsys.readouterr().err
    expected = {"code": 2, "stderr lines": 1, "names the problem": True, "output": False}
    actual = {
        "code": code,
        "stderr lines": len(err.strip().splitlines()),
        "names the problem": message in err,
        "output": out.exists(),
    }
    assert expected == actual


def test_cli_batch_binary_stdin_exits_2_naming_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\x00\x01\x02binary")))
    out = tmp_path / "out.jsonl"
    code = main(["batch", "-", "-o", str(out), "--no-model"])
    err = capsys.readouterr().err
    expected = (2, "interview-diag: error: standard input: not UTF-8 text", False)
    assert expected == (code, err.split(" (")[0], out.exists())


@pytest.mark.parametrize("flag", [[], ["--strict"]])
def test_cli_batch_where_no_record_could_be_analysed_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: list[str]
) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ""}, {"id": "b"}])
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(src), "-o", str(out), "--no-model", *flag])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    expected = (
        2,
        f"interview-diag: error: no record could be analysed: all 2 failed (reasons in {out})",
        ["a", "b"],
    )
    assert expected == (code, last, [line["id"] for line in _lines(out)])


def test_cli_batch_csv_with_summary(tmp_path: Path) -> None:
    src = _write_csv(
        tmp_path / "in.csv",
        [["ref", "body", "company"], ["r1", BAD, "Acme"], ["r2", GOOD, ""], ["r3", "", ""]],
    )
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.csv"
    args = ["--text-column", "body", "--id-column", "ref", "--summary-csv", str(summary)]
    code = main(["batch", str(src), "-o", str(out), "--no-model", *args])
    rows = list(csv.DictReader(summary.open(encoding="utf-8")))
    expected = {
        "code": 0,
        "output ids": ["r1", "r2", "r3"],
        "summary ids": ["r1", "r2", "r3"],
        "highest": ["high", "", ""],
        "errors": ["", "", "the input is empty"],
    }
    actual = {
        "code": code,
        "output ids": [line["id"] for line in _lines(out)],
        "summary ids": [r["id"] for r in rows],
        "highest": [r["highest_severity"] for r in rows],
        "errors": [r["error"] for r in rows],
    }
    assert expected == actual


def test_cli_batch_directory_of_example_files(
    tmp_path: Path, shared_formats: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(
        p.relative_to(shared_formats).as_posix()
        for p in shared_formats.rglob("*")
        if p.suffix.lower() in (".txt", ".vtt", ".srt", ".json")
    )
    out = tmp_path / "out.jsonl"
    expected = 0
    assert expected == main(["batch", str(shared_formats), "-o", str(out), "--no-model"])
    assert files == [line["id"] for line in _lines(out)]
    read, analysed, failed, _ = _counts(capsys.readouterr().err)
    assert (len(files), len(files)) == (read, analysed + failed)


def test_cli_batch_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "".join(json.dumps(r) + "\n" for r in _records(3)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = tmp_path / "out.jsonl"
    code = main(["batch", "-", "-o", str(out), "--no-model"])
    expected = (0, ["rec-0000", "rec-0001", "rec-0002"])
    assert expected == (code, [line["id"] for line in _lines(out)])


def test_cli_batch_resume_skips_ids_in_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _records(8)
    src = _write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    main(["batch", str(src), "-o", str(out), "--no-model"])
    kept = out.read_bytes().splitlines(keepends=True)[:3]
    out.write_bytes(b"".join(kept) + b'{"id": "rec-0003", "rep')  # a run killed mid-line
    capsys.readouterr()
    code = main(["batch", str(src), "-o", str(out), "--no-model", "--resume"])
    expected = (0, [r["id"] for r in records], (8, 5, 0, 3))
    actual = (code, [line["id"] for line in _lines(out)], _counts(capsys.readouterr().err))
    assert expected == actual


def test_cli_batch_killed_subprocess_then_resumed_has_every_id_once(tmp_path: Path) -> None:
    records = _records(1000, words=400)
    src = _write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "interview_diag.cli", "batch", str(src), "-o", str(out)]
    cmd.append("--no-model")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 50:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = out.read_bytes().count(b"\n")
    with out.open("ab") as fh:  # as if the kill had cut the next line short
        fh.write(b'{"id": "rec-09')
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120)
    ids = Counter(line["id"] for line in _lines(out))
    read, analysed, failed, skipped = _counts(resumed.stderr)
    expected = {
        "killed": True,
        "killed mid-run": True,
        "resumed": 0,
        "every id once": {r["id"]: 1 for r in records},
        "counts add up": (1000, 1000),
        "kept the killed run's lines": written,
    }
    actual = {
        "killed": proc.returncode == -signal.SIGKILL,
        "killed mid-run": 50 <= written < 1000,
        "resumed": resumed.returncode,
        "every id once": dict(ids),
        "counts add up": (read, analysed + failed + skipped),
        "kept the killed run's lines": skipped,
    }
    assert expected == actual, resumed.stderr


@pytest.mark.parametrize("workers", [2])
def test_cli_batch_workers_match_one_process(tmp_path: Path, workers: int) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _records(12))
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    codes = [
        main(["batch", str(src), "-o", str(one), "--no-model"]),
        main(["batch", str(src), "-o", str(many), "--no-model", "--workers", str(workers)]),
    ]
    expected = ([0, 0], one.read_text(encoding="utf-8"))
    assert expected == (codes, many.read_text(encoding="utf-8"))
