"""Tests of interview_diag.model.scorer: the numpy-only scorer equals the sklearn pipeline."""

from __future__ import annotations

import copy
import io
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_diag.model.artifact import load_model, read_manifest
from interview_diag.model.dataset import LABELS, data_sha256, load_examples
from interview_diag.model.scorer import SCORER_FORMAT, CompiledScorer, compile_pipeline
from interview_diag.model.train import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
FIXTURE = Path(__file__).parent / "fixtures" / "model"
TOLERANCE = 1e-9

TRICKY_TEXTS = {
    "empty": "",
    "spaces only": " \t\n\r  \u00a0\u2003",
    "punctuation only": "?!?! ... -- '' \"\" ,;:",
    "unicode": (
        "\u0130stanbul caf\u00e9 na\u00efve \ufb01ne \u00bd \u216b \U0001f600 "
        "\u65e5\u672c\u8a9e Stra\u00dfe"
    ),
    "combining marks": "e\u0301te\u0301 cafe\u0301 \u1e9b\u0323 zero\u200bwidth",
    "curly quotes and dashes": "I\u2019m \u201cfine\u201d \u2014 really \u2013 it\u2019s ok\u2026",
    "censored profanity": "f***ing sh!t a$$hole F*CK sh*t-show f**k!! wow! c# b*tch",
    "apostrophes": "'tis rock'n'roll, don't won't y'all' 'quoted' ''",
    "hedge pile-up": "I guess maybe I sort of kind of, like, helped? I don't know, perhaps.",
    "digits and mixed": "Q3 2024: +15% YoY, $1.2M ARR, 10x, 3-5 yrs, v2.0_beta",
    "very long": "I guess maybe my old boss was a f***ing clown, honestly?! " * 3000,
    "one long token": "a" * 20_000,
}


def _label_matrix(examples: list[Any]) -> Any:
    return np.asarray([[code in e.labels for code in LABELS] for e in examples], dtype=int)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    """Every text of data/corpus (all splits)."""
    return [e.text for e in load_examples(CORPUS)]


@pytest.fixture(scope="module")
def corpus_pipeline() -> Any:
    """The pipeline fitted as ``train`` fits it on data/corpus (about ten seconds)."""
    train_set = [e for e in load_examples(CORPUS) if e.split == "train"]
    return build_pipeline().fit([e.text for e in train_set], _label_matrix(train_set))


@pytest.fixture(scope="module")
def corpus_scorer(corpus_pipeline: Any) -> CompiledScorer:
    """The corpus pipeline compiled, saved as plain data and read back."""
    return CompiledScorer.from_data(compile_pipeline(corpus_pipeline).to_data())


@pytest.fixture(scope="module")
def fixture_pipeline() -> Any:
    """A pipeline fitted on the small fixture corpus (fast to refit with other settings)."""
    train_set = [e for e in load_examples(FIXTURE) if e.split == "train"]
    return build_pipeline().fit([e.text for e in train_set], _label_matrix(train_set))


def _gap(scorer: CompiledScorer, pipeline: Any, texts: list[str]) -> float:
    return float(np.abs(scorer.predict_proba(texts) - pipeline.predict_proba(texts)).max())


@pytest.mark.parametrize("tolerance", [TOLERANCE])
def test_compiled_scorer_equals_pipeline_on_corpus(
    corpus_scorer: CompiledScorer, corpus_pipeline: Any, corpus_texts: list[str], tolerance: float
) -> None:
    assert len(corpus_texts) > 4000
    assert _gap(corpus_scorer, corpus_pipeline, corpus_texts) < tolerance


@pytest.mark.parametrize("name", list(TRICKY_TEXTS))
def test_compiled_scorer_equals_pipeline_on_tricky_text(
    corpus_scorer: CompiledScorer, corpus_pipeline: Any, name: str
) -> None:
    assert _gap(corpus_scorer, corpus_pipeline, [TRICKY_TEXTS[name]]) < TOLERANCE


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_compiled_scorer_equals_pipeline_on_any_text(
    corpus_scorer: CompiledScorer, corpus_pipeline: Any, text: str
) -> None:
    assert _gap(corpus_scorer, corpus_pipeline, [text]) < TOLERANCE


@pytest.mark.parametrize("texts", [list(TRICKY_TEXTS.values())])
def test_compiled_scorer_batch_equals_one_by_one(
    corpus_scorer: CompiledScorer, texts: list[str]
) -> None:
    batch = corpus_scorer.predict_proba(texts)
    single = np.vstack([corpus_scorer.predict_proba([t]) for t in texts])
    assert (len(texts), len(LABELS)) == batch.shape
    assert np.array_equal(single, batch)
    assert (0, len(LABELS)) == corpus_scorer.predict_proba([]).shape


def test_compiled_scorer_batch_of_thousands_equals_one_by_one(
    corpus_scorer: CompiledScorer, corpus_texts: list[str]
) -> None:
    # Several vectorized chunks, texts that share words with other texts, and a fresh
    # scorer (empty char n-gram memo) against a warm one: no text depends on the rest.
    sentences = [s for text in corpus_texts for s in re.split(r"(?<=[.!?])\s+", text) if s]
    texts = [*sentences[:2500], *TRICKY_TEXTS.values(), *sentences[:50]]
    batch = corpus_scorer.predict_proba(texts)
    single = np.vstack([corpus_scorer.predict_proba([t]) for t in texts])
    fresh = CompiledScorer.from_data(corpus_scorer.to_data())
    reversed_batch = fresh.predict_proba(texts[::-1])[::-1]
    assert (len(texts), len(LABELS)) == batch.shape
    assert np.array_equal(single, batch)
    assert np.array_equal(reversed_batch, batch)


@pytest.mark.parametrize("token_pattern", [r"(?u)\b\w+ \w+\b|\w+", r"(?u)[a-z]+"])
def test_compiled_scorer_equals_pipeline_with_other_token_pattern(
    fixture_pipeline: Any, corpus_texts: list[str], token_pattern: str
) -> None:
    # Tokens holding a space make joined n-grams ambiguous; the scorer then looks
    # terms up as strings. Either way it must still equal scikit-learn.
    pipeline = copy.deepcopy(fixture_pipeline)
    pipeline.named_steps["features"].transformer_list[0][1].token_pattern = token_pattern
    data = compile_pipeline(pipeline).to_data()
    assert data["blocks"][0]["token_pattern"]["pattern"] == token_pattern
    texts = [*corpus_texts[:300], *TRICKY_TEXTS.values()]
    assert _gap(CompiledScorer.from_data(data), pipeline, texts) < TOLERANCE


@pytest.mark.parametrize("tolerance", [TOLERANCE])
def test_shipped_model_is_the_compiled_corpus_pipeline(
    corpus_pipeline: Any, corpus_texts: list[str], tolerance: float
) -> None:
    # Training is deterministic, so the shipped artifact must be this pipeline compiled,
    # unless data/corpus changed since models/ was trained.
    if read_manifest(ROOT / "models").data_sha256 != data_sha256(CORPUS):
        pytest.skip("data/corpus changed since the shipped model was trained")
    shipped = load_model().predict_proba(corpus_texts)
    assert float(np.abs(shipped - corpus_pipeline.predict_proba(corpus_texts)).max()) < tolerance


def test_compiled_scorer_names_features_like_feature_union(
    corpus_scorer: CompiledScorer, corpus_pipeline: Any
) -> None:
    expected = list(corpus_pipeline.named_steps["features"].get_feature_names_out())
    assert expected == corpus_scorer.feature_names()
    assert (len(LABELS), len(expected)) == corpus_scorer.coef.shape


def _plain(value: Any) -> bool:
    """True when ``value`` is built from builtins and float64 arrays only."""
    if isinstance(value, dict):
        return all(isinstance(k, (str, int)) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype == np.float64
    return type(value) in (str, int, float, bool)


class _RecordingUnpickler(pickle.Unpickler):
    """Unpickles while recording every global (class or function) the stream names."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.globals: set[tuple[str, str]] = set()

    def find_class(self, module: str, name: str) -> Any:
        self.globals.add((module, name))
        return super().find_class(module, name)


def test_compiled_scorer_data_is_plain(fixture_pipeline: Any) -> None:
    data = compile_pipeline(fixture_pipeline).to_data()
    unpickler = _RecordingUnpickler(pickle.dumps(data))
    unpickler.load()
    assert data["format"] == SCORER_FORMAT
    assert _plain(data)
    assert set() == {module for module, _ in unpickler.globals if module.split(".")[0] != "numpy"}


@pytest.mark.parametrize("modules", [("sklearn", "scipy")])
def test_load_model_and_predict_import_no_sklearn(modules: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        "from interview_diag.model.artifact import load_model\n"
        "proba = load_model().predict_proba(['My old boss was a f***ing clown.', ''])\n"
        "assert proba.shape == (2, 10), proba.shape\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def _damage(data: dict[str, Any], damage: str) -> None:
    words = data["blocks"][0]
    if damage == "format":
        data["format"] = "something else"
    elif damage == "no blocks":
        data["blocks"] = []
    elif damage == "unknown block":
        data["blocks"][0] = {**words, "kind": "embedding"}
    elif damage == "coef width":
        data["coef"] = data["coef"][:, :-1]
    elif damage == "intercept":
        data["intercept"] = data["intercept"][:-1]
    elif damage == "vocabulary gap":
        words["vocabulary"][next(iter(words["vocabulary"]))] = 10**6
    elif damage == "idf length":
        words["idf"] = words["idf"][:-1]
    elif damage == "nan coef":
        data["coef"][0, 0] = np.nan
    elif damage == "bad regex":
        words["token_pattern"] = {"pattern": "(", "flags": 32}
    elif damage == "analyzer":
        words["analyzer"] = "char"
    elif damage == "cue columns":
        data["blocks"][-1]["columns"] = ["hedge_count"]
    elif damage == "not a dict":
        data.clear()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("format", "'format' is 'something else'"),
        ("no blocks", "'blocks' must be a non-empty list"),
        ("unknown block", "unknown kind 'embedding'"),
        ("coef width", "'coef' has shape"),
        ("intercept", "'intercept' has shape"),
        ("vocabulary gap", "vocabulary columns must be 0 .."),
        ("idf length", "'idf' must be a float64 array of shape"),
        ("nan coef", "'coef' must be finite"),
        ("bad regex", "'token_pattern' does not compile"),
        ("analyzer", "unsupported analyzer 'char'"),
        ("cue columns", "'columns' must be"),
        ("not a dict", "'format' is None"),
    ],
)
def test_compiled_scorer_refuses_malformed_data(
    fixture_pipeline: Any, damage: str, message: str
) -> None:
    data = copy.deepcopy(compile_pipeline(fixture_pipeline).to_data())
    _damage(data, damage)
    with pytest.raises(ValueError, match=message):
        CompiledScorer.from_data(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features__words__lowercase": True}, "lowercase=True is not supported"),
        ({"features__words__stop_words": ["the"]}, "stop_words=.* is not supported"),
        ({"features__words__norm": "l1"}, "norm='l1' is not supported"),
        ({"features__chars__analyzer": "char"}, "analyzer='char' is not supported"),
        ({"features__transformer_weights": {"cues": 2.0}}, "transformer_weights"),
    ],
)
def test_compile_pipeline_refuses_unsupported_settings(
    change: dict[str, Any], message: str
) -> None:
    train_set = [e for e in load_examples(FIXTURE) if e.split == "train"]
    pipeline = build_pipeline().set_params(**change)
    pipeline.fit([e.text for e in train_set], _label_matrix(train_set))
    with pytest.raises(ValueError, match=message):
        compile_pipeline(pipeline)


@pytest.mark.parametrize("not_a_pipeline", [None, "model", {"format": SCORER_FORMAT}])
def test_compile_pipeline_refuses_other_objects(not_a_pipeline: Any) -> None:
    with pytest.raises(ValueError, match="expected a Pipeline of TextNormalizer"):
        compile_pipeline(not_a_pipeline)


def test_manifest_records_compiled_format() -> None:
    raw = json.loads((ROOT / "models" / "manifest.json").read_text(encoding="utf-8"))
    assert raw["model_format"] == SCORER_FORMAT
    assert (ROOT / "models" / "model.joblib").stat().st_size == raw["model_bytes"]
