"""``interview_diag.dask`` against a real two-process ``distributed.LocalCluster``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from interview_diag.analyzer import Analyzer
from interview_diag.batch import BatchItem, BatchResult
from interview_diag.errors import ConfigError

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

from interview_diag.dask import analyze_bag, analyze_dataframe  # noqa: E402

BAD = "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened."
GOOD = "Interviewer: Why this role?\nCandidate: I enjoy building data tools with a small team."

ITEMS: list[Any] = [
    *(BAD if i % 3 else GOOD for i in range(10)),
    "",
    {"id": "rec", "text": BAD, "company": "Acme"},
    {"id": "bad", "text": 7},
    BatchItem(id="item", text=GOOD, kind="answer"),
    BatchResult(id="pre", error="failed upstream"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A client of a LocalCluster with two worker processes, one thread each."""
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """The single-process reference."""
    return Analyzer(model=None)


@pytest.mark.parametrize("npartitions", [1, 4])
def test_analyze_bag_equals_single_process(
    client: Any, analyzer: Analyzer, npartitions: int
) -> None:
    expected = list(analyzer.pipe(ITEMS))
    bag = db.from_sequence(ITEMS, npartitions=npartitions)
    results: Any = analyze_bag(bag, model=None)
    assert expected == results.compute()


@pytest.mark.parametrize("kwargs", [{"model": None}])
def test_analyze_bag_builds_one_analyzer_per_worker(client: Any, kwargs: dict[str, Any]) -> None:
    bag = db.from_sequence([BAD] * 40, npartitions=8)
    results: Any = analyze_bag(bag, **kwargs)
    results.compute()

    def count() -> int:
        from interview_diag import dask as idask

        return len(idask._ANALYZERS)

    counts = client.run(count)
    expected = {worker: 1 for worker in counts}
    assert expected == counts


@pytest.mark.parametrize("id_column", [None, "ref"])
def test_analyze_dataframe_equals_single_process(
    client: Any, analyzer: Analyzer, id_column: str | None
) -> None:
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    texts = [BAD, GOOD, "", BAD, GOOD, BAD, None]
    companies = ["Acme", None, None, "Beta", None, None, None]
    pdf = pd.DataFrame(
        {"body": texts, "ref": [f"r{i}" for i in range(len(texts))], "company": companies},
        index=range(10, 10 + len(texts)),
    )
    ids = list(pdf["ref"]) if id_column else [str(i) for i in pdf.index]
    records = [
        {"id": rid, "text": t, **({"company": c} if c else {})}
        for rid, t, c in zip(ids, texts, companies, strict=True)
    ]
    expected = list(analyzer.pipe(records))
    frame: Any = analyze_dataframe(
        dd.from_pandas(pdf, npartitions=3), text_column="body", id_column=id_column, model=None
    )
    out = frame.compute()
    actual = [
        BatchResult(id=i, report=r, error=e)
        for i, r, e in zip(out["id"], out["report"], out["error"], strict=True)
    ]
    assert expected == actual
    assert list(pdf.index) == list(out.index)


@pytest.mark.parametrize(
    ("call", "match"),
    [("bag-nlp", "unknown analyzer setting"), ("frame-column", "no column 'body'")],
)
def test_analyze_dask_bad_arguments_raise(call: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        if call == "bag-nlp":
            analyze_bag(db.from_sequence([BAD]), nlp=object())
        else:
            pd = pytest.importorskip("pandas")
            dd = pytest.importorskip("dask.dataframe")
            analyze_dataframe(dd.from_pandas(pd.DataFrame({"text": [BAD]}), npartitions=1), "body")
