"""The public entry points: ``Analyzer`` (build once, reuse) and ``analyze`` (one call)."""

from __future__ import annotations

import copy
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_diag.batch import BatchItem, BatchResult, PipeInput, Record, failed, to_record
from interview_diag.diagnosis import Prepared, check_text, finish, prepare
from interview_diag.errors import ConfigError, InterviewDiagError, Messages
from interview_diag.layout import DocInput, plan_docs
from interview_diag.rules.schema import load_rules
from interview_diag.types import Finding, Report

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SHIPPED = "shipped"
DOC_CHARS = 100_000
"""The longest Doc text the analyzer builds; longer inputs are cut between turns."""

DEFAULT_BATCH_SIZE = 4
"""Records per spaCy batch in ``Analyzer.pipe``: whole transcripts are long Docs."""


class Analyzer:
    """Loads the pipeline, rules and model once; analyses any number of texts.

    Example:
        >>> from interview_diag import Analyzer
        >>> an = Analyzer(model=None)
        >>> an.analyze("My old boss was an idiot.").codes
        ('badmouthing',)
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        model: str | Path | None = SHIPPED,
        trust_model: bool = False,
        disable: Iterable[str] = (),
        extra_rules: Iterable[str | Path] = (),
        allow: Mapping[str, Iterable[str]] | None = None,
        thresholds: Mapping[str, Any] | None = None,
    ) -> None:
        """Build the pipeline.

        Args:
            nlp: a spaCy pipeline to add the components to (default ``spacy.blank("en")``;
                a statistical English pipeline works too).
            model: ``"shipped"`` (the trained model inside the package), a path to a
                model of your own (needs ``trust_model=True``), or ``None`` for rules only.
            trust_model: allow loading a model file that is not the shipped one
                (a joblib file runs code when loaded).
            disable: finding codes or rule ids to leave out.
            extra_rules: more rule files (or folders of them) to add.
            allow: per code or rule id, phrases that make a match acceptable.
            thresholds: per-code classifier thresholds (numbers) and turn-check
                parameters (mappings), for example
                ``{"badmouthing": 0.7, "rambling": {"max_words": 300}}``.

        Raises:
            RuleError: an extra rule file is invalid.
            ModelError: the model cannot be loaded safely.
            ConfigError: an option is invalid.
        """
        from interview_diag.options import check_allow, check_names, check_thresholds
        from interview_diag.pipeline import build_nlp, split_thresholds

        self.extra_rules = tuple(str(p) for p in extra_rules)
        known = load_rules(self.extra_rules)
        self.disable = tuple(sorted(set(check_names("disable", disable, known))))
        check_allow(allow, known)
        check_thresholds(thresholds, known)
        allow = None if allow is None else {k: tuple(v) for k, v in allow.items()}
        thresholds = None if thresholds is None else copy.deepcopy(dict(thresholds))
        # what worker processes need to build the same analyzer (``pipe(n_process=...)``)
        self._settings: dict[str, Any] = {
            "model": model,
            "trust_model": trust_model,
            "disable": self.disable,
            "extra_rules": self.extra_rules,
            "allow": allow,
            "thresholds": thresholds,
        }
        self._custom_nlp = nlp is not None
        _, self._params = split_thresholds(thresholds)
        self.nlp = build_nlp(
            nlp=nlp,
            model=model,
            trust_model=trust_model,
            disable=self.disable,
            extra_rules=self.extra_rules,
            allow=allow,
            thresholds=thresholds,
        )
        self.rules = known.without(self.disable)

    def analyze(
        self,
        text: str,
        *,
        kind: str = "auto",
        fmt: str = "auto",
        company: str | None = None,
        role: str | None = None,
        candidate: str | None = None,
        job_description: str | None = None,
        id: str | None = None,
    ) -> Report:
        """Analyse one transcript, answer, recap or letter.

        Args:
            text: the input, in any supported format.
            kind: ``auto``, ``transcript``, ``answer``, ``recap`` or ``letter``.
            fmt: ``auto``, ``prose``, ``labelled``, ``vtt``, ``srt`` or ``json``.
            company: the company interviewed with (enables company checks).
            role: the role interviewed for.
            candidate: the candidate's speaker label, when the guess should be overridden.
            job_description: the job description text (enables the role-terms check).
            id: a record id to carry into the report.

        Returns:
            The report.

        Raises:
            TypeError: ``text`` is not a ``str``.
            ConfigError: an unknown kind or format, or a candidate who is not a speaker.
            ParseError: the input cannot be read in the requested format.
        """
        options = {
            k: v
            for k, v in (("company", company), ("role", role), ("job_description", job_description))
            if v is not None
        }
        prepared = prepare(text, fmt=fmt, kind=kind, candidate=candidate, options=options)
        return self._run(prepared, id=id)

    def _run(self, prepared: Prepared, *, id: str | None = None) -> Report:
        # One Doc at a time: a long input is cut into several Docs, and only the
        # findings of each are kept, so memory does not hold every Doc at once.
        findings: list[Finding] = []
        for doc in self._iter_docs(prepared):
            findings.extend(self.nlp(doc)._.idiag_findings or [])
        return finish(prepared, findings, self.rules, thresholds=self._params, id=id)

    def _make_docs(self, prepared: Prepared) -> list[Doc]:
        return list(self._iter_docs(prepared))

    def _iter_docs(self, prepared: Prepared) -> Iterator[Doc]:
        # Docs are cut well below spaCy's max_length: a Doc of a million characters
        # costs hundreds of MB, and interview-level checks run on the findings of
        # all of them anyway.
        limit = min(self.nlp.max_length, DOC_CHARS)
        for text, segments in plan_docs(prepared.transcript, limit):
            doc = self.nlp.make_doc(text)
            doc.user_data["idiag_text"] = text
            doc._.idiag_input = DocInput(
                transcript=prepared.transcript,
                segments=segments,
                kind=prepared.kind,
                candidate=prepared.candidate,
                contexts=prepared.contexts,
                options=prepared.options,
                whole=False,
            )
            yield doc

    def _finish(self, prepared: Prepared, docs: Iterable[Doc], *, id: str | None) -> Report:
        findings: list[Finding] = []
        for doc in docs:
            findings.extend(doc._.idiag_findings or [])
        return finish(prepared, findings, self.rules, thresholds=self._params, id=id)

    def pipe(
        self,
        items: Iterable[PipeInput],
        n_process: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Iterator[BatchResult]:
        """Analyse a stream of texts or records; one result per input, in input order.

        The input is consumed lazily, ``batch_size`` records at a time, so memory
        stays flat however many records stream through. A record that cannot be
        analysed (empty or non-string text, an unknown kind, an unreadable format...)
        becomes a result with ``error`` set, and the stream goes on. An empty text is
        such a record here, so that it is counted among the failures of a batch;
        ``analyze`` instead returns a report with no findings and the warning
        "the input is empty".

        Args:
            items: strings, record mappings (``{"id", "text", "kind"?, "company"?,
                "role"?, "candidate"?, "job_description"?, "fmt"?}``), ``BatchItem``s,
                or ``BatchResult``s (records that already failed, passed through in
                place). An element without an id gets its 0-based position (``"0"``...).
            n_process: worker processes; ``-1`` means one per CPU. Each worker builds
                one analyzer with this analyzer's settings (``spawn`` start method: a
                script that calls this needs an ``if __name__ == "__main__":`` guard).
            batch_size: records per spaCy batch, and per task sent to a worker. Kept
                small on purpose: whole transcripts are Docs of several thousand
                tokens, and spaCy's default batch sizes (hundreds of Docs) multiply
                peak memory for no gain in speed.

        Returns:
            A lazy iterator over one ``BatchResult`` per input element, in input
            order; ``.report`` is the ``Report`` (``None`` when ``.error`` says why).

        Raises:
            TypeError: ``items`` is a single string.
            ConfigError: ``n_process`` or ``batch_size`` is invalid, or ``n_process > 1``
                with a custom ``nlp`` (workers cannot rebuild it).

        Example:
            >>> an = Analyzer(model=None)
            >>> [r.report.codes for r in an.pipe(["My old boss was an idiot.", "Hi."])]
            [('badmouthing',), ()]
        """
        if isinstance(items, (str, bytes)):
            raise TypeError(Messages.IDG027.format(type=type(items).__name__))
        n_process = _check_workers(n_process, batch_size, custom_nlp=self._custom_nlp)
        chunks = _chunked((to_record(obj, i) for i, obj in enumerate(items)), batch_size)
        if n_process == 1:
            return (r for chunk in chunks for r in self._analyze_chunk(chunk, batch_size))
        return _pipe_processes(self._settings, chunks, n_process, batch_size)

    def _analyze_chunk(self, chunk: list[Record], batch_size: int) -> list[BatchResult]:
        """Analyse a few records: plain-Python stages one by one, spaCy on all their Docs."""
        out: list[BatchResult | None] = [None] * len(chunk)
        work: list[tuple[int, BatchItem, Prepared, list[Doc]]] = []
        for i, record in enumerate(chunk):
            if isinstance(record, BatchResult):
                out[i] = record
                continue
            try:
                prepared = self._prepare(record)
                work.append((i, record, prepared, self._make_docs(prepared)))
            except Exception as exc:  # one bad record must not stop the stream
                out[i] = failed(record.id, _reason(exc))
        all_docs = [doc for *_, docs in work for doc in docs]
        try:
            done = list(self.nlp.pipe(all_docs, batch_size=batch_size))
        except Exception:
            done = []  # find the record at fault: run each record on its own
        if len(done) == len(all_docs):
            at = 0
            for i, record, prepared, docs in work:
                mine, at = done[at : at + len(docs)], at + len(docs)
                out[i] = self._finish_safely(record, prepared, mine)
        else:
            for i, record, prepared, docs in work:
                try:
                    mine = [self.nlp(doc) for doc in docs]
                except Exception as exc:
                    out[i] = failed(record.id, _reason(exc))
                    continue
                out[i] = self._finish_safely(record, prepared, mine)
        return [r for r in out if r is not None]

    def _prepare(self, item: BatchItem) -> Prepared:
        check_text(item.text)
        if not item.text.strip():
            raise ValueError(Messages.IDG002)
        options = {
            k: v
            for k, v in (
                ("company", item.company),
                ("role", item.role),
                ("job_description", item.job_description),
            )
            if v is not None
        }
        return prepare(
            item.text, fmt=item.fmt, kind=item.kind, candidate=item.candidate, options=options
        )

    def _finish_safely(self, item: BatchItem, prepared: Prepared, docs: list[Doc]) -> BatchResult:
        try:
            return BatchResult(id=item.id, report=self._finish(prepared, docs, id=item.id))
        except Exception as exc:
            return failed(item.id, _reason(exc))


_TASKS_PER_WORKER = 2
_WORKER: dict[str, Analyzer] = {}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (InterviewDiagError, TypeError, ValueError)):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def _check_workers(n_process: int, batch_size: int, *, custom_nlp: bool) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"batch_size must be a positive integer, got {batch_size!r}")
    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process == 0:
        raise ConfigError(f"n_process must be a positive integer or -1, got {n_process!r}")
    if n_process < 0:
        n_process = os.cpu_count() or 1
    if n_process > 1 and custom_nlp:
        raise ConfigError(
            "n_process > 1 rebuilds the analyzer in each worker from its settings, "
            "which cannot include a custom nlp; use n_process=1, or the default pipeline"
        )
    return n_process


def _chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _init_worker(settings: dict[str, Any]) -> None:
    """Build the worker process's one analyzer (``ProcessPoolExecutor`` initializer)."""
    _WORKER["analyzer"] = Analyzer(**settings)


def _work(chunk: list[Record], batch_size: int) -> list[BatchResult]:
    """Analyse one task in a worker process."""
    return _WORKER["analyzer"]._analyze_chunk(chunk, batch_size)


def _pipe_processes(
    settings: dict[str, Any],
    chunks: Iterator[list[Record]],
    n_process: int,
    batch_size: int,
) -> Iterator[BatchResult]:
    """Fan tasks out to worker processes; yield their results in input order.

    At most ``_TASKS_PER_WORKER * n_process`` tasks are in flight, so the input is
    read only as fast as the workers go. When a worker dies (killed, out of memory)
    the records of the tasks in flight become error results and a new pool takes
    over; a pool that dies before finishing any task is an error.
    """
    context = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=n_process,
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings,),
        )

    pool = new_pool()
    pool_done = 0
    pending: deque[tuple[list[Record], Future[list[BatchResult]]]] = deque()
    limit = _TASKS_PER_WORKER * n_process

    def collect() -> list[BatchResult]:
        nonlocal pool, pool_done
        chunk, future = pending.popleft()
        try:
            results = future.result()
        except BrokenProcessPool as exc:
            if pool_done == 0:
                raise RuntimeError(f"the worker processes could not run: {exc}") from exc
            lost = [chunk] + [c for c, _ in pending]
            pending.clear()
            pool.shutdown(wait=False, cancel_futures=True)
            pool, pool_done = new_pool(), 0
            reason = "a worker process died while analysing this record's batch"
            return [
                r if isinstance(r, BatchResult) else failed(r.id, reason) for c in lost for r in c
            ]
        pool_done += 1
        return results

    try:
        for chunk in chunks:
            pending.append((chunk, pool.submit(_work, chunk, batch_size)))
            while len(pending) >= limit:
                yield from collect()
        while pending:
            yield from collect()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_DEFAULT: dict[str, Analyzer] = {}


def default_analyzer() -> Analyzer:
    """The analyzer ``analyze()`` uses, built on first use.

    Clear it with ``clear_default_analyzer``.
    """
    if SHIPPED not in _DEFAULT:
        _DEFAULT[SHIPPED] = Analyzer()
    return _DEFAULT[SHIPPED]


def clear_default_analyzer() -> None:
    """Forget the analyzer ``analyze()`` built, so the next call builds a new one."""
    _DEFAULT.clear()


def analyze(
    text: str,
    *,
    kind: str = "auto",
    fmt: str = "auto",
    company: str | None = None,
    role: str | None = None,
    candidate: str | None = None,
    job_description: str | None = None,
) -> Report:
    """Analyse one text with the default analyzer (built once, on first use).

    Args:
        text: the input, in any supported format.
        kind: ``auto``, ``transcript``, ``answer``, ``recap`` or ``letter``.
        fmt: ``auto``, ``prose``, ``labelled``, ``vtt``, ``srt`` or ``json``.
        company: the company interviewed with.
        role: the role interviewed for.
        candidate: the candidate's speaker label.
        job_description: the job description text.

    Returns:
        The report.

    Example:
        >>> import interview_diag as d
        >>> r = d.analyze("Interviewer: Why did you leave?\\nCandidate: My old boss was an idiot.")
        >>> r.findings[0].code
        'badmouthing'
    """
    return default_analyzer().analyze(
        text,
        kind=kind,
        fmt=fmt,
        company=company,
        role=role,
        candidate=candidate,
        job_description=job_description,
    )
