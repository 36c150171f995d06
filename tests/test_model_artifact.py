"""Tests of interview_diag.model.artifact: safe loading, the cache, the Model API."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interview_diag.errors import ModelError
from interview_diag.model.artifact import (
    MANIFEST_FILE,
    MODEL_FILE,
    Model,
    clear_model_cache,
    file_sha256,
    load_model,
    read_manifest,
)
from interview_diag.model.dataset import LABELS, load_examples
from interview_diag.model.train import build_pipeline, train

FIXTURE = Path(__file__).parent / "fixtures" / "model"
TEXTS = ["My old boss was a clown.", "Sorry, I'm so nervous.", "Thank you for your time."]


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on the small fixture corpus (never modified by tests)."""
    out = tmp_path_factory.mktemp("fixture_model")
    train(FIXTURE, out)
    return out


@pytest.fixture
def model_copy(trained_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture model that a test may tamper with."""
    copy = tmp_path / "copy"
    shutil.copytree(trained_dir, copy)
    return copy


def _edit_manifest(folder: Path, **changes: Any) -> None:
    path = folder / MANIFEST_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update(changes)
    path.write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.parametrize("target", ["folder", "file"])
def test_load_model_refuses_untrusted_path(model_copy: Path, target: str) -> None:
    path = model_copy if target == "folder" else model_copy / MODEL_FILE
    with pytest.raises(ModelError, match="is not the shipped model; pass trust_model=True"):
        load_model(path)


@pytest.mark.parametrize("offset", [0, 1000, -1])
def test_load_model_refuses_tampered_file(model_copy: Path, offset: int) -> None:
    path = model_copy / MODEL_FILE
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 [0-9a-f]{64} does not match the manifest"):
        load_model(model_copy, trust_model=True)


@pytest.mark.parametrize("claimed", ["1.8.2", "2.9.1", "0.24.0"])
def test_load_model_refuses_other_sklearn_minor(model_copy: Path, claimed: str) -> None:
    _edit_manifest(model_copy, sklearn_version=claimed)
    with pytest.raises(ModelError, match=f"trained with scikit-learn {claimed}") as info:
        load_model(model_copy, trust_model=True)
    assert "retrain it with `interview-diag train --data data/ --out models/`" in str(info.value)


@pytest.mark.parametrize("claimed_patch", ["0", "99"])
def test_load_model_accepts_other_sklearn_patch(model_copy: Path, claimed_patch: str) -> None:
    import sklearn

    major, minor = sklearn.__version__.split(".")[:2]
    _edit_manifest(model_copy, sklearn_version=f"{major}.{minor}.{claimed_patch}")
    assert load_model(model_copy, trust_model=True).labels == LABELS


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("delete", "No such file"),
        ("not json", "model manifest .*: Expecting value"),
        ("no labels", "missing keys \\['labels'\\]"),
        ("bad threshold", "threshold of 'nerves' must be a number in \\[0, 1\\]"),
    ],
)
def test_load_model_refuses_bad_manifest(model_copy: Path, damage: str, message: str) -> None:
    path = model_copy / MANIFEST_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    if damage == "delete":
        path.unlink()
    elif damage == "not json":
        path.write_text("not json", encoding="utf-8")
    elif damage == "no labels":
        del raw["labels"]
        path.write_text(json.dumps(raw), encoding="utf-8")
    else:
        raw["thresholds"]["nerves"] = 1.5
        path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        load_model(model_copy, trust_model=True)


@pytest.mark.parametrize("source", ["fixture", "shipped"])
def test_load_model_emits_no_warning(trained_dir: Path, source: str) -> None:
    clear_model_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model(trained_dir, trust_model=True) if source == "fixture" else load_model()
        proba = model.predict_proba(TEXTS)
    assert (len(TEXTS), len(LABELS)) == proba.shape


@pytest.mark.parametrize("calls", [2])
def test_clear_model_cache_forgets_shipped_model(calls: int) -> None:
    clear_model_cache()
    first = [load_model() for _ in range(calls)]
    clear_model_cache()
    again = load_model()
    assert all(model is first[0] for model in first)
    assert again is not first[0]
    assert np.array_equal(first[0].predict_proba(TEXTS), again.predict_proba(TEXTS))


@pytest.mark.parametrize("trust_model", [False, True])
def test_load_model_treats_shipped_path_as_shipped(trust_model: bool) -> None:
    shipped = resources.files("interview_diag.models").joinpath(MODEL_FILE)
    with resources.as_file(shipped) as path:
        assert load_model() is load_model(path, trust_model=trust_model)


@pytest.mark.parametrize(
    ("texts", "expected_shape"),
    [(TEXTS, (3, 10)), ([], (0, 10)), (("one",), (1, 10))],
)
def test_model_predict_proba_shape(
    trained_dir: Path, texts: Any, expected_shape: tuple[int, int]
) -> None:
    proba = load_model(trained_dir, trust_model=True).predict_proba(texts)
    assert expected_shape == proba.shape
    assert np.float64 == proba.dtype


@pytest.mark.parametrize(
    ("texts", "message"),
    [("a single text", "got a single str; wrap it in a list"), (["ok", 3], "got int")],
)
def test_model_predict_proba_refuses_non_text(trained_dir: Path, texts: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        load_model(trained_dir, trust_model=True).predict_proba(texts)


@pytest.mark.parametrize("texts", [TEXTS])
def test_model_predict_uses_thresholds(trained_dir: Path, texts: list[str]) -> None:
    model = load_model(trained_dir, trust_model=True)
    proba = model.predict_proba(texts)
    expected = tuple(
        tuple(code for j, code in enumerate(model.labels) if proba[i, j] >= model.thresholds[code])
        for i in range(len(texts))
    )
    assert expected == model.predict(texts)


@pytest.mark.parametrize("code", ["nerves"])
def test_model_exposes_read_only_metadata(trained_dir: Path, code: str) -> None:
    model = load_model(trained_dir, trust_model=True)
    assert isinstance(model, Model)
    assert model.labels == LABELS
    assert read_manifest(trained_dir) == model.manifest
    assert model.manifest.thresholds[code] == model.thresholds[code]
    with pytest.raises(TypeError):
        model.thresholds[code] = 0.0  # type: ignore[index]


def _replace_model(folder: Path, obj: Any, **manifest_changes: Any) -> None:
    """Save ``obj`` with joblib as the model of ``folder`` and re-sign the manifest."""
    import joblib

    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=3)
    data = buffer.getvalue()
    (folder / MODEL_FILE).write_bytes(data)
    _edit_manifest(folder, model_sha256=file_sha256(data), **manifest_changes)


def _fixture_pipeline() -> Any:
    train_set = [e for e in load_examples(FIXTURE) if e.split == "train"]
    labels = np.asarray([[code in e.labels for code in LABELS] for e in train_set], dtype=int)
    return build_pipeline().fit([e.text for e in train_set], labels)


@pytest.mark.parametrize("texts", [TEXTS])
def test_load_model_reads_legacy_pipeline_artifact(model_copy: Path, texts: list[str]) -> None:
    # A manifest without model_format (written before the compiled scorer) names a
    # pickled scikit-learn pipeline; it still loads when trusted.
    pipeline = _fixture_pipeline()
    _replace_model(model_copy, pipeline)
    raw = json.loads((model_copy / MANIFEST_FILE).read_text(encoding="utf-8"))
    del raw["model_format"], raw["model_bytes"]
    (model_copy / MANIFEST_FILE).write_text(json.dumps(raw), encoding="utf-8")
    model = load_model(model_copy, trust_model=True)
    assert model.manifest.model_format == "sklearn_pipeline"
    assert model.manifest.model_bytes is None
    assert np.array_equal(pipeline.predict_proba(texts), model.predict_proba(texts))


@pytest.mark.parametrize(
    ("content", "changes", "message"),
    [
        ("scorer", {"model_format": "onnx.v9"}, "unknown model_format 'onnx.v9'"),
        ("pipeline", {}, "holds no valid compiled scorer: scorer data must be a dict"),
        ("dict", {}, "holds no valid compiled scorer: 'format' is None"),
        ("pipeline", {"model_format": "sklearn_pipeline", "model_bytes": "big"}, "model_bytes"),
    ],
)
def test_load_model_refuses_wrong_format(
    model_copy: Path, content: str, changes: dict[str, Any], message: str
) -> None:
    if content == "pipeline":
        _replace_model(model_copy, _fixture_pipeline(), **changes)
    elif content == "dict":
        _replace_model(model_copy, {"coef": np.zeros((10, 3))}, **changes)
    else:
        _edit_manifest(model_copy, **changes)
    with pytest.raises(ModelError, match=message):
        load_model(model_copy, trust_model=True)


@pytest.mark.parametrize("n_labels", [9])
def test_load_model_refuses_label_count_mismatch(model_copy: Path, n_labels: int) -> None:
    raw = json.loads((model_copy / MANIFEST_FILE).read_text(encoding="utf-8"))
    labels = raw["labels"][:n_labels]
    _edit_manifest(
        model_copy,
        labels=labels,
        thresholds={code: raw["thresholds"][code] for code in labels},
    )
    with pytest.raises(ModelError, match=f"scores 10 codes but the manifest names {n_labels}"):
        load_model(model_copy, trust_model=True)


@pytest.mark.parametrize("claimed", ["1.8.2"])
def test_load_model_checks_sklearn_version_without_importing_it(
    model_copy: Path, claimed: str
) -> None:
    _edit_manifest(model_copy, sklearn_version=claimed)
    code = (
        "import sys\n"
        "from interview_diag.errors import ModelError\n"
        "from interview_diag.model.artifact import load_model\n"
        "try:\n"
        f"    load_model({str(model_copy)!r}, trust_model=True)\n"
        "except ModelError as exc:\n"
        "    print(exc)\n"
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    message, imported = result.stdout.strip().splitlines()
    assert f"trained with scikit-learn {claimed}" in message
    assert imported == "False False"
