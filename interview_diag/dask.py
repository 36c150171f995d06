"""Analyse with Dask, on one machine or a cluster (the ``dask`` extra).

Each worker process builds ONE ``Analyzer`` per distinct settings, the first time a
task needs it, and keeps it in ``_ANALYZERS`` (cleared with ``clear_analyzer_cache``).
Tasks carry only the settings (a short JSON string), never the analyzer, so the
pipeline and the model are loaded once per worker, not shipped with every task.

Results are the same ``BatchResult`` objects, with the same ids, as a single-process
``Analyzer(**settings).pipe(items)``.

On an existing cluster, connect a client first; dask then runs there::

    from distributed import Client
    import dask.bag as db
    from interview_diag.dask import analyze_bag

    client = Client("tcp://scheduler-host:8786")  # the address of your scheduler
    bag = db.read_text("s3://bucket/records-*.jsonl").map(json.loads)
    results = analyze_bag(bag, model=None).map(lambda r: r.to_json())
    results.to_textfiles("s3://bucket/out/*.jsonl")

Every worker needs ``interview-diag`` installed (same version). Use worker
processes (``--nworkers N --nthreads 1``): the analysis holds the GIL, so threads
add nothing.
"""

from __future__ import annotations

import importlib
import json
import numbers
import operator
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from interview_diag.analyzer import DEFAULT_BATCH_SIZE, Analyzer
from interview_diag.batch import BatchResult, Record, to_record
from interview_diag.errors import ConfigError

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas as pd

SETTINGS = ("model", "trust_model", "disable", "extra_rules", "allow", "thresholds")
"""The ``Analyzer`` keyword arguments these functions accept (not ``nlp``)."""

RECORD_COLUMNS = ("kind", "company", "role", "candidate", "job_description")
"""DataFrame columns that ``analyze_dataframe`` passes on to the records when present."""

_ANALYZERS: dict[str, Analyzer] = {}
_BUILD_LOCK = threading.Lock()
_USE_LOCK = threading.Lock()


def _settings_json(kwargs: Mapping[str, Any]) -> str:
    unknown = sorted(set(kwargs) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"unknown analyzer setting(s) {', '.join(unknown)}; expected some of "
            f"{', '.join(SETTINGS)} (a custom nlp cannot be sent to dask workers)"
        )
    settings = dict(kwargs)
    for key in ("disable", "extra_rules"):
        if key in settings:
            settings[key] = [str(v) for v in settings[key]]
    if settings.get("allow") is not None:
        settings["allow"] = {k: list(v) for k, v in settings["allow"].items()}
    if settings.get("model") is not None:
        settings["model"] = str(settings["model"])
    return json.dumps(settings, sort_keys=True)


def worker_analyzer(settings: str) -> Analyzer:
    """The analyzer of this process for these settings, built on first use.

    Args:
        settings: the JSON of the ``Analyzer`` keyword arguments.

    Returns:
        The analyzer (the same object for every later call with the same settings).
    """
    with _BUILD_LOCK:
        analyzer = _ANALYZERS.get(settings)
        if analyzer is None:
            analyzer = Analyzer(**json.loads(settings))
            _ANALYZERS[settings] = analyzer
        return analyzer


def clear_analyzer_cache() -> None:
    """Forget the analyzers this process built (the next task builds them again)."""
    with _BUILD_LOCK:
        _ANALYZERS.clear()


def _analyze_items(
    items: list[Any], settings: str, offset: int, batch_size: int
) -> list[BatchResult]:
    records: list[Record] = [to_record(obj, offset + i) for i, obj in enumerate(items)]
    analyzer = worker_analyzer(settings)
    with _USE_LOCK:  # one analyzer per process: dask threads take turns (the GIL is held anyway)
        return list(analyzer.pipe(records, batch_size=batch_size))


def analyze_bag(
    bag: dask.bag.Bag, *, batch_size: int = DEFAULT_BATCH_SIZE, **analyzer_kwargs: Any
) -> dask.bag.Bag:
    """Analyse every element of a Dask bag; a bag of ``BatchResult`` in the same order.

    Elements are what ``Analyzer.pipe`` takes: strings, record mappings or
    ``BatchItem``s. An element without an id gets its position in the whole bag
    (``"0"``, ``"1"``...), as with ``pipe``; the partition lengths are computed
    for this.

    Args:
        bag: the input bag.
        batch_size: records per spaCy batch.
        **analyzer_kwargs: ``Analyzer`` settings (see ``SETTINGS``), e.g. ``model=None``.

    Returns:
        A lazy bag of results; ``.compute()`` or write it out.

    Raises:
        ConfigError: an unknown setting (``nlp`` included).
    """
    # dask's annotations are partial: go through Any rather than silence mypy per line
    db: Any = importlib.import_module("dask.bag")
    delayed: Any = importlib.import_module("dask.delayed").delayed
    source: Any = bag

    settings = _settings_json(analyzer_kwargs)
    analyze = delayed(_analyze_items, pure=True)
    materialise = delayed(list, pure=True)
    length = delayed(len, pure=True)
    add = delayed(operator.add, pure=True)
    parts = []
    offset: Any = 0
    for part in source.to_delayed():
        items = materialise(part)
        parts.append(analyze(items, settings, offset, batch_size))
        offset = add(offset, length(items))
    return cast("dask.bag.Bag", db.from_delayed(parts))


def _value(v: Any) -> Any:
    import pandas

    if v is None or (not isinstance(v, (list, tuple, dict)) and pandas.isna(v)):
        return None
    if isinstance(v, numbers.Integral) and not isinstance(v, bool):
        return str(int(v))
    return v


def _analyze_frame(
    pdf: pd.DataFrame,
    settings: str,
    text_column: str,
    id_column: str | None,
    batch_size: int,
) -> pd.DataFrame:
    import pandas

    ids = pdf[id_column] if id_column is not None else pdf.index
    extra = [c for c in RECORD_COLUMNS if c in pdf.columns and c not in (text_column, id_column)]
    records: list[Record] = []
    for n, (rid, text) in enumerate(zip(ids, pdf[text_column], strict=True)):
        record: dict[str, Any] = {"id": _value(rid), "text": _value(text)}
        for c in extra:
            value = _value(pdf[c].iat[n])
            if value is not None:
                record[c] = value
        if record["id"] is None:
            record["id"] = str(_value(pdf.index[n]))
        records.append(to_record(record, n))
    analyzer = worker_analyzer(settings)
    with _USE_LOCK:
        results = list(analyzer.pipe(records, batch_size=batch_size))
    return pandas.DataFrame(
        {
            "id": pandas.Series([r.id for r in results], index=pdf.index, dtype=object),
            "report": pandas.Series([r.report for r in results], index=pdf.index, dtype=object),
            "error": pandas.Series([r.error for r in results], index=pdf.index, dtype=object),
        }
    )


def analyze_dataframe(
    ddf: dask.dataframe.DataFrame,
    text_column: str = "text",
    id_column: str | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    **analyzer_kwargs: Any,
) -> dask.dataframe.DataFrame:
    """Analyse one text column of a Dask DataFrame.

    Columns named ``kind``, ``company``, ``role``, ``candidate`` or
    ``job_description`` are passed on to the records when present.

    Args:
        ddf: the input frame.
        text_column: the column holding the texts.
        id_column: the column holding the ids (default: the index, as a string).
        batch_size: records per spaCy batch.
        **analyzer_kwargs: ``Analyzer`` settings (see ``SETTINGS``), e.g. ``model=None``.

    Returns:
        A lazy frame with the input's index and the object columns ``id``,
        ``report`` (a ``Report`` or ``None``) and ``error`` (a reason or ``None``).

    Raises:
        ConfigError: an unknown setting, or a column that is not in the frame.
    """
    import pandas

    settings = _settings_json(analyzer_kwargs)
    for column in (text_column, id_column):
        if column is not None and column not in ddf.columns:
            found = ", ".join(repr(c) for c in ddf.columns)
            raise ConfigError(f"no column {column!r} in the DataFrame (columns: {found})")
    meta = pandas.DataFrame(
        {name: pandas.Series([], dtype=object) for name in ("id", "report", "error")}
    )
    frame: Any = ddf
    out = frame.map_partitions(
        _analyze_frame, settings, text_column, id_column, batch_size, meta=meta
    )
    return cast("dask.dataframe.DataFrame", out)
