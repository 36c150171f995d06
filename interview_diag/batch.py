"""Batch records, their results, the input readers and the ``interview-diag batch`` run.

A batch is a stream of records in, one result per record out, in input order:

1. A reader (``read_jsonl``, ``read_csv``, ``read_directory``, or ``read_records``
   that picks one) yields a ``BatchItem`` per good record and a ``BatchResult``
   holding the error per bad one (empty text, no text, non-string text, invalid
   JSON line, unreadable or non-UTF-8 file). A bad record is never dropped and
   never stops the stream. A problem with the whole input (a missing file, a CSV
   without the named column) raises ``BatchInputError`` before any record is read.
2. ``Analyzer.pipe`` turns each item into a ``BatchResult`` with the report, or
   with the reason it failed, and passes the reader's error results through.
3. ``run_batch`` writes each result as one JSON line, flushed whole, so a killed
   run leaves a valid file that ``resume=True`` continues.

Ids: a record's ``id`` when it has one; otherwise ``line-N`` (JSONL, N the 1-based
line), ``row-N`` (CSV, N the 1-based data row) or the path relative to the folder
(directories). Duplicate ids are an error before any work (``check_unique_ids``):
a resumed run, the summary CSV and any join on the output all rely on one line
per id.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from interview_diag.errors import InterviewDiagError, Messages
from interview_diag.types import Report, Severity

if TYPE_CHECKING:
    from interview_diag.analyzer import Analyzer

TRANSCRIPT_SUFFIXES = (".txt", ".vtt", ".srt", ".json")
"""File suffixes ``read_directory`` reads (any case); other files are not records."""

RECORD_FIELDS = ("kind", "company", "role", "candidate", "job_description", "fmt")
"""Optional string fields of a record besides ``id`` and ``text``."""

_CSV_FIELD_LIMIT = 1 << 30


class BatchInputError(InterviewDiagError, ValueError):
    """The batch input (or output to resume) cannot be used as a whole.

    Raised before any record is analysed: a missing file, a CSV without the named
    column, duplicate ids, an output file that is not a batch output.
    """


@dataclass(frozen=True)
class BatchItem:
    """One record to analyse.

    Attributes:
        id: the record id, unique within a batch.
        text: the transcript, answer, recap or letter, in any supported format.
        kind: ``auto``, ``transcript``, ``answer``, ``recap`` or ``letter``.
        company: the company interviewed with.
        role: the role interviewed for.
        candidate: the candidate's speaker label, when the guess should be overridden.
        job_description: the job description text.
        fmt: the input format (``auto``, ``prose``, ``labelled``, ``vtt``, ``srt``, ``json``).
    """

    id: str
    text: str
    kind: str = "auto"
    company: str | None = None
    role: str | None = None
    candidate: str | None = None
    job_description: str | None = None
    fmt: str = "auto"

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the record as a JSONL line would hold it)."""
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind,
            "company": self.company,
            "role": self.role,
            "candidate": self.candidate,
            "job_description": self.job_description,
            "fmt": self.fmt,
        }


@dataclass(frozen=True)
class BatchResult:
    """The outcome for one record: a report, or the reason there is none.

    Attributes:
        id: the record id.
        report: the report, or ``None`` when the record failed.
        error: why the record failed, or ``None``.
    """

    id: str
    report: Report | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the record was analysed."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: ``{"id", "report", "error"}``, one of the last two ``None``."""
        return {
            "id": self.id,
            "report": None if self.report is None else self.report.to_dict(),
            "error": self.error,
        }

    def to_json(self) -> str:
        """One line of JSON (no newline inside), as the batch output holds it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


Record = BatchItem | BatchResult
"""What readers yield: an item to analyse, or a record that already failed."""

PipeInput = str | Mapping[str, Any] | BatchItem | BatchResult
"""What ``Analyzer.pipe`` accepts per element."""


def failed(id: str, reason: str) -> BatchResult:
    """An error result.

    Args:
        id: the record id.
        reason: why the record failed.

    Returns:
        The result.
    """
    return BatchResult(id=id, report=None, error=reason)


def _record_id(value: object, default: str) -> str | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value != "":
        return value
    return None


def item_from_record(record: Mapping[str, Any], default_id: str) -> Record:
    """Check one record and turn it into a ``BatchItem`` (or an error result).

    Keys other than ``id``, ``text`` and ``RECORD_FIELDS`` are ignored, so records
    may carry metadata of their own.

    Args:
        record: ``{"id"?, "text", "kind"?, "company"?, "role"?, "candidate"?,
            "job_description"?, "fmt"?}``; an integer id is turned into a string.
        default_id: the id to use when the record has none.

    Returns:
        The item, or an error result naming the problem.
    """
    rid = _record_id(record.get("id"), default_id)
    if rid is None:
        kind = type(record.get("id")).__name__
        return failed(default_id, f'"id" must be a non-empty string or an integer, got {kind}')
    if "text" not in record or record["text"] is None:
        return failed(rid, 'record has no "text"')
    text = record["text"]
    if not isinstance(text, str):
        return failed(rid, f'"text" must be a string, got {type(text).__name__}')
    fields: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return failed(rid, f'"{name}" must be a string, got {type(value).__name__}')
        fields[name] = value
    return BatchItem(id=rid, text=text, **fields)


def to_record(obj: object, position: int) -> Record:
    """Turn one element given to ``Analyzer.pipe`` into an item or an error result.

    Args:
        obj: a string, a record mapping, a ``BatchItem`` or a ``BatchResult``.
        position: its 0-based position in the input (the id when it has none).

    Returns:
        The item, the ``BatchResult`` unchanged, or an error result.
    """
    if isinstance(obj, (BatchItem, BatchResult)):
        return obj
    if isinstance(obj, str):
        return BatchItem(id=str(position), text=obj)
    if isinstance(obj, Mapping):
        return item_from_record(obj, str(position))
    return failed(
        str(position),
        f"expected a string, a record or a BatchItem, got {type(obj).__name__}",
    )


def _at(where: str, result: Record) -> Record:
    if isinstance(result, BatchResult) and result.error is not None:
        return replace(result, error=f"{where}: {result.error}")
    return result


# --- readers ---------------------------------------------------------------


_SNIFF_BYTES = 8192


def _checked_file(path: Path) -> Path:
    if not path.exists():
        raise BatchInputError(Messages.IDG030.format(path=path, problem="no such file"))
    if path.is_dir():
        raise BatchInputError(Messages.IDG030.format(path=path, problem="is a directory"))
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        problem = f"cannot read: {exc.strerror or exc}"
        raise BatchInputError(Messages.IDG030.format(path=path, problem=problem)) from None
    if b"\x00" in head:
        # UTF-8 text never holds NUL; UTF-16 text and binary files do.
        problem = "not UTF-8 text (a binary file, or UTF-16: convert it to UTF-8)"
        raise BatchInputError(Messages.IDG030.format(path=path, problem=problem))
    return path


def read_jsonl(source: str | Path | IO[bytes] | IO[str]) -> Iterator[Record]:
    """Read a JSONL file (or stream) of records, one per line.

    Blank lines are not records and are skipped. Each other line becomes one item
    or one error result (invalid JSON, not an object, no text...), with the id
    ``line-N`` when the record has none.

    Args:
        source: a path, or an open binary or text stream.

    Returns:
        An iterator over the records, read lazily.

    Raises:
        BatchInputError: the file does not exist or cannot be opened.
    """
    if isinstance(source, (str, Path)):
        path = _checked_file(Path(source))
        return _jsonl_from_path(path)
    return _jsonl_lines(source)


def _jsonl_from_path(path: Path) -> Iterator[Record]:
    with path.open("rb") as fh:
        yield from _jsonl_lines(fh)


def _jsonl_lines(lines: Iterable[bytes | str]) -> Iterator[Record]:
    for number, raw in enumerate(lines, start=1):
        where = f"line {number}"
        default_id = f"line-{number}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield failed(default_id, f"{where}: not UTF-8 text (invalid byte at {exc.start})")
                continue
        else:
            line = raw
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield failed(default_id, f"{where}: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            yield failed(default_id, f"{where}: expected a JSON object, got {kind}")
            continue
        yield _at(where, item_from_record(record, default_id))


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV columns hold what; ``None`` means the same-named column, if present."""

    text: str = "text"
    id: str | None = None
    kind: str | None = None
    company: str | None = None
    role: str | None = None
    candidate: str | None = None

    def resolve(self, header: list[str], path: Path) -> dict[str, str]:
        """Map record fields to the CSV columns that hold them.

        Raises:
            BatchInputError: a named column is not in the header.
        """
        out: dict[str, str] = {}
        for name in ("text", "id", "kind", "company", "role", "candidate"):
            column: str | None = getattr(self, name)
            explicit = column is not None
            column = column if column is not None else name
            if column in header:
                out[name] = column
            elif explicit:
                found = ", ".join(repr(h) for h in header) or "none"
                problem = f"no column {column!r} (columns: {found})"
                raise BatchInputError(Messages.IDG030.format(path=path, problem=problem))
        return out


def read_csv(path: str | Path, columns: CsvColumns | None = None) -> Iterator[Record]:
    """Read a CSV file with a header row, one record per data row.

    Args:
        path: the CSV file (UTF-8, a byte-order mark is allowed).
        columns: which columns hold the text, id, kind, company, role and
            candidate (default: the columns named so; the text column must exist).

    Returns:
        An iterator over the records, read lazily; rows without an id get ``row-N``.

    Raises:
        BatchInputError: the file is missing or has no such text (or named) column.
    """
    p = _checked_file(Path(path))
    cols = columns or CsvColumns()
    with p.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        header = next(csv.reader(fh), [])
    mapping = cols.resolve(header, p)
    return _csv_rows(p, mapping)


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _csv_rows(path: Path, mapping: dict[str, str]) -> Iterator[Record]:
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, _CSV_FIELD_LIMIT))
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            reader = csv.DictReader(fh)
            for number, row in enumerate(reader, start=1):
                where = f"row {number}"
                default_id = f"row-{number}"
                values = {name: row.get(column) for name, column in mapping.items()}
                if any(isinstance(v, str) and _has_surrogates(v) for v in values.values()):
                    yield failed(default_id, f"{where}: not UTF-8 text")
                    continue
                record: dict[str, Any] = {k: v for k, v in values.items() if v != "" or k == "text"}
                if record.get("text") is None:
                    yield failed(
                        record.get("id") or default_id,
                        f"{where}: no value in column {mapping['text']!r}",
                    )
                    continue
                yield _at(where, item_from_record(record, default_id))
    finally:
        csv.field_size_limit(old_limit)


def read_directory(path: str | Path) -> Iterator[Record]:
    """Read every transcript file under a folder, recursively, in sorted path order.

    Files ending in ``TRANSCRIPT_SUFFIXES`` are records (other files are not); the
    id is the path relative to ``path`` with ``/`` separators. An unreadable or
    non-UTF-8 file becomes an error result.

    Args:
        path: the folder.

    Returns:
        An iterator over the records, read lazily.

    Raises:
        BatchInputError: the folder does not exist.
    """
    root = Path(path)
    if not root.is_dir():
        raise BatchInputError(Messages.IDG030.format(path=root, problem="no such directory"))
    return _directory_files(root)


def _walk(folder: Path, root: Path, seen: set[Path]) -> Iterator[Path | BatchResult]:
    """Yield the transcript files under ``folder``, in sorted order.

    A folder that cannot be listed becomes an error result whose id is its relative
    path with a trailing ``/``; a symlink loop is followed once.
    """
    real = folder.resolve()
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        rid = folder.relative_to(root).as_posix() + "/"
        yield failed(rid, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.is_dir():
            yield from _walk(entry, root, seen)
        elif entry.suffix.lower() in TRANSCRIPT_SUFFIXES:
            yield entry


def _directory_files(root: Path) -> Iterator[Record]:
    for file in _walk(root, root, set()):
        if isinstance(file, BatchResult):
            yield file
            continue
        rid = file.relative_to(root).as_posix()
        try:
            data = file.read_bytes()
        except OSError as exc:
            yield failed(rid, f"cannot read: {exc.strerror or exc}")
            continue
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            yield failed(rid, f"not UTF-8 text (invalid byte at offset {exc.start})")
            continue
        yield BatchItem(id=rid, text=text)


def read_records(
    source: str | Path,
    *,
    text_column: str | None = None,
    columns: CsvColumns | None = None,
) -> Iterator[Record]:
    """Read a batch input of any supported kind.

    A folder is read with ``read_directory``; a ``.csv`` file, or any file when
    ``text_column`` is given, with ``read_csv``; any other file with ``read_jsonl``.

    Args:
        source: the file or folder.
        text_column: the CSV column holding the text.
        columns: the other CSV columns (``text_column`` overrides its ``text``).

    Returns:
        An iterator over the records.

    Raises:
        BatchInputError: the input cannot be used as a whole.
    """
    p = Path(source)
    if p.is_dir():
        if text_column is not None:
            raise BatchInputError(
                Messages.IDG030.format(path=p, problem="--text-column applies to CSV input only")
            )
        return read_directory(p)
    if text_column is not None or p.suffix.lower() == ".csv":
        cols = columns or CsvColumns()
        if text_column is not None:
            cols = replace(cols, text=text_column)
        return read_csv(p, cols)
    return read_jsonl(p)


def check_unique_ids(records: Iterable[Record]) -> int:
    """Fail when two records share an id.

    Args:
        records: the records (consumed; only ids are kept).

    Returns:
        The number of records.

    Raises:
        BatchInputError: naming the first few duplicate ids.
    """
    seen: set[str] = set()
    dupes: dict[str, None] = {}
    count = 0
    for record in records:
        count += 1
        if record.id in seen:
            dupes.setdefault(record.id, None)
        seen.add(record.id)
    if dupes:
        shown = ", ".join(repr(d) for d in list(dupes)[:5])
        more = f" and {len(dupes) - 5} more" if len(dupes) > 5 else ""
        raise BatchInputError(
            f"duplicate record ids: {shown}{more}; every record needs its own id "
            "(nothing was analysed)"
        )
    return count


# --- output ----------------------------------------------------------------


@dataclass(frozen=True)
class DoneIds:
    """What an earlier (possibly killed) run left in the output file."""

    ids: frozenset[str] = frozenset()
    failed: int = 0
    dropped_partial_line: bool = False


def scan_output(path: str | Path, *, repair: bool = True) -> DoneIds:
    """Read the ids of a batch output, dropping a last partial line (``--resume``).

    A killed run can leave a last line without its newline, or cut short; that
    line is removed from the file (when ``repair``) and its record is done again.

    Args:
        path: the JSONL output of an earlier run (absent means nothing is done).
        repair: truncate the file after its last complete line.

    Returns:
        The ids present and how many of them failed.

    Raises:
        BatchInputError: a line other than the last is not a batch result.
    """
    p = Path(path)
    if not p.exists():
        return DoneIds()
    ids: set[str] = set()
    n_failed = 0
    valid_end = 0
    partial = False
    with p.open("rb") as fh:
        lines = iter(fh)
        raw = next(lines, None)
        number = 0
        while raw is not None:
            number += 1
            following = next(lines, None)
            obj = _result_line(raw) if raw.endswith(b"\n") else None
            if obj is None and raw.strip():
                if following is None:  # the last line, cut short by a kill
                    partial = True
                    break
                problem = f"line {number} is not a batch result; refusing to resume into it"
                raise BatchInputError(Messages.IDG030.format(path=p, problem=problem))
            if obj is not None:
                ids.add(obj["id"])
                n_failed += obj.get("error") is not None
            valid_end += len(raw)
            raw = following
    if partial and repair:
        os.truncate(p, valid_end)
    return DoneIds(ids=frozenset(ids), failed=n_failed, dropped_partial_line=partial)


class LineWriter:
    """Appends whole lines to a file, each written and flushed at once."""

    def __init__(self, path: str | Path, *, append: bool) -> None:
        """Open the file (truncating it unless ``append``)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        if not append:
            flags |= os.O_TRUNC
        self._fd = os.open(path, flags, 0o644)

    def write(self, line: str) -> None:
        """Write one line (a newline is added) with as few system calls as possible."""
        data = memoryview((line + "\n").encode("utf-8"))
        while data:
            n = os.write(self._fd, data)
            data = data[n:]

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> LineWriter:
        """Context manager entry."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on exit."""
        self.close()


def _highest(findings: Iterable[Mapping[str, Any]]) -> str:
    ranks = [Severity.parse(f["severity"]) for f in findings]
    return max(ranks, key=lambda s: s.rank).value if ranks else ""


def _result_line(raw: bytes) -> dict[str, Any] | None:
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        return obj
    return None


def write_summary_csv(output: str | Path, path: str | Path, codes: Iterable[str] = ()) -> int:
    """Write one CSV row per result line of a batch output.

    Columns: id, kind, candidate, one count column per finding code (``codes`` plus
    any other code found), highest_severity, error.

    Args:
        output: the batch JSONL output.
        path: the CSV file to write.
        codes: codes that get a column even when they never occur.

    Returns:
        The number of rows written.
    """
    all_codes = set(codes)
    for obj in _results(output):
        report = obj.get("report") or {}
        all_codes.update(f["code"] for f in report.get("findings", ()))
    fixed = ("id", "kind", "candidate", "highest_severity", "error")
    code_cols = {c: (f"code:{c}" if c in fixed else c) for c in sorted(all_codes)}
    rows = 0
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["id", "kind", "candidate", *code_cols.values(), "highest_severity", "error"]
        )
        for obj in _results(output):
            report = obj.get("report")
            if report is None:
                counts = ["" for _ in code_cols]
                writer.writerow([obj["id"], "", "", *counts, "", obj.get("error") or ""])
            else:
                found = [f["code"] for f in report.get("findings", ())]
                counts = [str(found.count(c)) for c in code_cols]
                writer.writerow(
                    [
                        obj["id"],
                        report.get("kind", ""),
                        (report.get("candidate") or {}).get("speaker") or "",
                        *counts,
                        _highest(report.get("findings", ())),
                        "",
                    ]
                )
            rows += 1
    return rows


def _results(output: str | Path) -> Iterator[dict[str, Any]]:
    with Path(output).open("rb") as fh:
        for raw in fh:
            if raw.strip():
                obj = json.loads(raw)
                if isinstance(obj, dict):
                    yield obj


# --- the batch run ---------------------------------------------------------


@dataclass(frozen=True)
class Defaults:
    """Values for records that do not set them (from the command line)."""

    kind: str = "auto"
    fmt: str = "auto"
    company: str | None = None
    role: str | None = None
    candidate: str | None = None
    job_description: str | None = None

    def apply(self, item: BatchItem) -> BatchItem:
        """The item with every unset field taken from these defaults."""
        return replace(
            item,
            kind=item.kind if item.kind != "auto" else self.kind,
            fmt=item.fmt if item.fmt != "auto" else self.fmt,
            company=item.company if item.company is not None else self.company,
            role=item.role if item.role is not None else self.role,
            candidate=item.candidate if item.candidate is not None else self.candidate,
            job_description=(
                item.job_description if item.job_description is not None else self.job_description
            ),
        )


@dataclass
class BatchSummary:
    """What a batch run did. ``read == skipped + analysed + failed`` always holds."""

    read: int = 0
    skipped: int = 0
    analysed: int = 0
    failed: int = 0
    previously_failed: int = 0
    interrupted: bool = False
    started: float = field(default_factory=time.monotonic)

    def line(self, output: str | Path) -> str:
        """The one-line summary printed at the end."""
        parts = f"{self.read} read = {self.analysed} analysed + {self.failed} failed"
        if self.skipped:
            parts += f" + {self.skipped} skipped (already in {output}"
            parts += (
                f", {self.previously_failed} of them failed)" if self.previously_failed else ")"
            )
        seconds = time.monotonic() - self.started
        state = "interrupted; rerun with --resume to finish" if self.interrupted else "done"
        return f"batch {state}: {parts}; {seconds:.1f}s"


class Progress:
    """A one-line progress display, shown only when the stream is a terminal."""

    def __init__(self, stream: TextIO, *, every: float = 0.25) -> None:
        """Decide whether to show anything (only on a terminal)."""
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.every = every
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, done: int, errors: int, *, force: bool = False) -> None:
        """Redraw the line (at most every ``every`` seconds)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        rate = done / max(now - self._start, 1e-9)
        self.stream.write(f"\r{done} records, {rate:.1f} records/s, {errors} errors")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the progress line."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


def _spool_stdin(stream: IO[bytes]) -> Path:
    fd, name = tempfile.mkstemp(prefix="interview-diag-stdin-", suffix=".jsonl")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    return Path(name)


def run_batch(
    source: str,
    output: str | Path,
    make_analyzer: Callable[[], Analyzer],
    *,
    text_column: str | None = None,
    columns: CsvColumns | None = None,
    defaults: Defaults | None = None,
    workers: int = 1,
    batch_size: int | None = None,
    resume: bool = False,
    summary_csv: str | Path | None = None,
    stderr: TextIO | None = None,
    stdin: IO[bytes] | None = None,
) -> BatchSummary:
    """Analyse every record of an input into a JSONL output (``interview-diag batch``).

    Standard input (``source == "-"``) is first copied to a temporary file, so that
    duplicate ids are found before any work, as for files.

    Args:
        source: a JSONL file, a CSV file, a folder, or ``-`` for JSONL on stdin.
        output: the JSONL file to write, one ``{"id", "report", "error"}`` per line.
        make_analyzer: builds the analyzer (called once the input has been checked).
        text_column: the CSV column holding the text.
        columns: the other CSV columns.
        defaults: values for records that do not set them.
        workers: worker processes (1: analyse in this process).
        batch_size: records per spaCy batch (default: ``Analyzer.pipe``'s).
        resume: keep the output's results and skip their ids.
        summary_csv: also write one CSV row per result line of the output.
        stderr: where progress and the summary go (default: ``sys.stderr``).
        stdin: the standard input to read for ``-`` (default: ``sys.stdin.buffer``).

    Returns:
        The counts.

    Raises:
        BatchInputError: the input or the output to resume cannot be used.
    """
    err = stderr or sys.stderr
    summary = BatchSummary()
    spooled: Path | None = None
    if source == "-":
        spooled = _spool_stdin(stdin or sys.stdin.buffer)
        path = spooled
    else:
        path = Path(source)
    try:
        if not path.exists():
            raise BatchInputError(Messages.IDG030.format(path=source, problem="no such file"))

        def reader() -> Iterator[Record]:
            if spooled is not None:
                return read_jsonl(spooled)
            return read_records(path, text_column=text_column, columns=columns)

        try:
            reader()  # whole-input checks, before the slow duplicate scan
        except BatchInputError as exc:
            if spooled is None:
                raise
            raise BatchInputError(str(exc).replace(str(spooled), "standard input")) from None
        check_unique_ids(reader())
        done = scan_output(output) if resume else DoneIds()
        analyzer = make_analyzer()
        summary.previously_failed = done.failed
        _run(
            analyzer,
            reader(),
            output,
            done,
            summary,
            defaults or Defaults(),
            workers=workers,
            batch_size=batch_size,
            append=resume,
            err=err,
        )
        if summary_csv is not None:
            write_summary_csv(output, summary_csv, codes=analyzer.rules.codes)
        err.write(summary.line(output) + "\n")
        return summary
    finally:
        if spooled is not None:
            spooled.unlink(missing_ok=True)


def _run(
    analyzer: Analyzer,
    records: Iterator[Record],
    output: str | Path,
    done: DoneIds,
    summary: BatchSummary,
    defaults: Defaults,
    *,
    workers: int,
    batch_size: int | None,
    append: bool,
    err: TextIO,
) -> None:
    def todo() -> Iterator[Record]:
        for record in records:
            summary.read += 1
            if record.id in done.ids:
                summary.skipped += 1
                continue
            yield defaults.apply(record) if isinstance(record, BatchItem) else record

    progress = Progress(err)
    options: dict[str, Any] = {"n_process": workers}
    if batch_size is not None:
        options["batch_size"] = batch_size
    results = analyzer.pipe(todo(), **options)
    with LineWriter(output, append=append) as out:
        try:
            for result in results:
                out.write(result.to_json())
                if result.ok:
                    summary.analysed += 1
                else:
                    summary.failed += 1
                progress.update(summary.analysed + summary.failed, summary.failed)
        except KeyboardInterrupt:
            summary.interrupted = True
            # records taken from the input but not yet written are read again by a
            # resumed run, so they are not counted as read by this one
            summary.read = summary.skipped + summary.analysed + summary.failed
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stop the worker processes now, not when garbage-collected
            progress.update(summary.analysed + summary.failed, summary.failed, force=True)
            progress.close()
