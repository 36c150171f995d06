"""Tests of interview_diag.model.train: pipeline, thresholds, determinism, CLI."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from interview_diag.errors import ConfigError
from interview_diag.model.artifact import MANIFEST_FILE, MODEL_FILE, Manifest, load_model
from interview_diag.model.dataset import LABELS, load_examples
from interview_diag.model.train import build_pipeline, main, train, tune_threshold

FIXTURE = Path(__file__).parent / "fixtures" / "model"


@pytest.fixture(scope="module")
def fixture_texts() -> list[str]:
    """Every text of the small hand-written fixture corpus."""
    return [e.text for e in load_examples(FIXTURE)]


@pytest.mark.parametrize(
    ("scores", "gold", "min_precision", "expected"),
    [
        ([0.9, 0.8, 0.3, 0.1], [True, True, False, False], 0.6, 0.55),
        # cuts 0.1, 0.45, 0.75, 0.85 give precision .5/.667/.5/1 and F1 .667/.8/.5/.667
        ([0.9, 0.8, 0.7, 0.2], [True, False, True, False], 0.6, 0.45),
        ([0.9, 0.8, 0.7, 0.2], [True, False, True, False], 0.9, 0.85),
        ([0.9, 0.8, 0.7, 0.2], [True, False, True, False], 1.01, 0.45),
        ([0.9, 0.8], [False, False], 0.6, 0.5),
        ([0.9, 0.8], [True, True], 0.6, 0.5),
        ([0.02, 0.01], [True, False], 0.6, 0.05),
        ([0.99, 0.98], [True, False], 0.6, 0.95),
        ([0.3, 0.3, 0.1], [True, False, False], 0.4, 0.2),
    ],
)
def test_tune_threshold_maximises_f1_above_precision_floor(
    scores: list[float], gold: list[bool], min_precision: float, expected: float
) -> None:
    assert expected == tune_threshold(scores, gold, min_precision=min_precision)


@pytest.mark.parametrize("expected_steps", [["normalize", "features", "classify"]])
def test_build_pipeline_pickles_without_lambdas(expected_steps: list[str]) -> None:
    pipeline = build_pipeline()
    assert expected_steps == [name for name, _step in pipeline.steps]
    assert b"<lambda>" not in pickle.dumps(pipeline)


@pytest.mark.parametrize("expected_counts", [{"train": 56, "dev": 13, "test": 13}])
def test_train_round_trip_gives_same_probabilities(
    tmp_path: Path, fixture_texts: list[str], expected_counts: dict[str, int]
) -> None:
    manifest = train(FIXTURE, tmp_path)
    examples = [e for e in load_examples(FIXTURE) if e.split == "train"]
    pipeline = build_pipeline().fit(
        [e.text for e in examples],
        np.asarray([[code in e.labels for code in LABELS] for e in examples], dtype=int),
    )
    model = load_model(tmp_path, trust_model=True)
    assert expected_counts == dict(manifest.counts)
    assert manifest == model.manifest
    assert (tmp_path / MODEL_FILE).stat().st_size == manifest.model_bytes
    gap = np.abs(pipeline.predict_proba(fixture_texts) - model.predict_proba(fixture_texts))
    assert gap.max() < 1e-9


@pytest.mark.parametrize("runs", [2])
def test_train_is_deterministic(tmp_path: Path, fixture_texts: list[str], runs: int) -> None:
    outs = [tmp_path / f"run{i}" for i in range(runs)]
    manifests = [train(FIXTURE, out) for out in outs]
    texts = [(out / MANIFEST_FILE).read_text(encoding="utf-8") for out in outs]
    probas = [load_model(out, trust_model=True).predict_proba(fixture_texts) for out in outs]
    assert manifests[0].to_dict()["test_metrics"] == manifests[1].to_dict()["test_metrics"]
    assert texts[0] == texts[1]
    assert (outs[0] / MODEL_FILE).read_bytes() == (outs[1] / MODEL_FILE).read_bytes()
    assert np.array_equal(probas[0], probas[1])


@pytest.mark.parametrize(
    "expected_keys",
    [
        [
            "counts",
            "created_by",
            "data_sha256",
            "feature_schema_version",
            "labels",
            "model_bytes",
            "model_format",
            "model_sha256",
            "model_version",
            "numpy_version",
            "package_version",
            "sklearn_version",
            "spacy_version",
            "test_metrics",
            "threshold_method",
            "thresholds",
        ]
    ],
)
def test_main_writes_model_and_sorted_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expected_keys: list[str]
) -> None:
    out = tmp_path / "out"
    argv = [
        "--data",
        str(FIXTURE / "a-part.jsonl"),
        "--data",
        str(FIXTURE / "b-nested"),
        "--out",
        str(out),
    ]
    assert main(argv, prog="interview-diag train") == 0
    text = (out / MANIFEST_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    assert expected_keys == list(raw)
    assert text == Manifest.from_dict(raw).to_json()
    assert text.startswith('{\n  "counts": {\n    "dev": 13,')
    assert "interview-diag train " + " ".join(argv) == raw["created_by"]
    assert list(LABELS) == raw["labels"]
    assert "macro F1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["nerves"], "need both positive and negative training examples"),
    ],
)
def test_train_refuses_codes_without_examples(
    tmp_path: Path, labels: list[str], message: str
) -> None:
    rows = [
        {
            "id": f"x{i}",
            "text": f"text number {i}",
            "kind": "answer",
            "labels": labels if i % 2 else [],
            "split": "train",
            "group": "g",
        }
        for i in range(6)
    ]
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        train(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad_line", ["{broken"])
def test_main_reports_bad_data_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_line: str
) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(bad_line + "\n", encoding="utf-8")
    assert main(["--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert f"error: training data {data}, line 1: invalid JSON" in capsys.readouterr().err


def test_high_severity_codes_keep_the_higher_precision_floor() -> None:
    from interview_diag.model.train import HIGH_SEVERITY_PRECISION, high_severity_codes

    assert 0.9 == HIGH_SEVERITY_PRECISION
    assert {
        "badmouthing",
        "company_unawareness",
        "whining_begging",
        "unprofessional_language",
    } == set(high_severity_codes())
