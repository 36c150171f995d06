"""Train the mistake classifier and write ``model.joblib`` + ``manifest.json``.

Steps of ``train``:

1. load and validate the JSONL examples (``dataset.load_examples``);
2. fit ``build_pipeline()`` on ``split == "train"`` only, and compile it
   (``scorer.compile_pipeline``) into the numpy-only scorer that is shipped;
3. choose one probability threshold per code on ``split == "dev"``
   (``tune_threshold``: the cut with the best F1 among those with precision at
   least ``MIN_PRECISION``, or ``HIGH_SEVERITY_PRECISION`` for the high-severity
   codes), from the compiled scorer's probabilities, after
   checking they equal the pipeline's to within ``COMPILE_TOLERANCE``;
4. score ``split == "test"`` the same way with those thresholds
   (``metrics.score_predictions``);
5. write the compiled scorer's plain data with joblib and its manifest (sha256,
   size, format, versions, thresholds, counts, test metrics; no timestamp, so
   equal data gives an equal manifest). The scikit-learn pipeline itself is not
   saved: training is deterministic, so ``build_pipeline().fit`` on the same
   data gives it back.

Run it as ``python -m interview_diag.model.train --data data/corpus --out models``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interview_diag._version import __version__
from interview_diag.errors import ConfigError, InterviewDiagError, Messages
from interview_diag.model.artifact import (
    MANIFEST_FILE,
    MODEL_FILE,
    Manifest,
    file_sha256,
    labels_at_threshold,
)
from interview_diag.model.dataset import LABELS, DataPaths, Example, data_sha256, load_examples
from interview_diag.model.features import CueCounter, TextNormalizer
from interview_diag.model.metrics import score_predictions
from interview_diag.model.scorer import SCORER_FORMAT, CompiledScorer, compile_pipeline
from interview_diag.rules.schema import load_rules

MODEL_VERSION = "1.0.2"
"""Version of the shipped model; see the steps in ``artifact.py`` for when to bump it."""

FEATURE_SCHEMA_VERSION = "1"
"""Version of the text-to-features mapping (normalizer, vectorizers, cue counter)."""

MIN_PRECISION = 0.6
"""Precision floor on the dev split when a code's threshold is chosen.

Each prediction is shown to the candidate as a mistake, so a false alarm costs
more than a miss: at least three flags in five must be right on dev data before
recall is traded for F1."""

HIGH_SEVERITY_PRECISION = 0.9
"""Precision floor on the dev split for the codes whose findings are of high severity.

The detectors issue asks a precision of at least 0.90 of every high-severity code
(badmouthing, company_unawareness, whining_begging, unprofessional_language): a wrong
flag there tells the candidate they insulted someone or knew nothing of the company,
so their thresholds keep to that floor on dev data."""

DEFAULT_THRESHOLD = 0.5
"""Threshold of a code that has no positive (or no negative) dev example."""

THRESHOLD_RANGE = (0.05, 0.95)
"""Thresholds are clamped into this range, so no code fires on everything or never."""

COMPILE_TOLERANCE = 1e-9
"""Largest difference allowed between the compiled scorer's and the pipeline's probabilities."""

PROG = "python -m interview_diag.model.train"


def build_pipeline() -> Any:
    """Build the untrained classifier pipeline.

    Texts are normalized (``TextNormalizer``), turned into word 1-2-gram and
    char_wb 2-5-gram TF-IDF plus a few dense cue counts (``CueCounter``), and
    scored by one balanced logistic regression per code.

    Returns:
        An unfitted ``sklearn.pipeline.Pipeline``; ``fit`` takes a list of texts
        and a 0/1 matrix with one column per code of ``LABELS``, and
        ``predict_proba`` returns one probability column per code.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer(
        lowercase=False,
        token_pattern=r"(?u)\b\w[\w']*\b|[?!]",
        ngram_range=(1, 2),
        min_df=2,
        max_features=30_000,
        sublinear_tf=True,
    )
    chars = TfidfVectorizer(
        lowercase=False,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        max_features=60_000,
        sublinear_tf=True,
    )
    classifier = LogisticRegression(
        C=4.0,
        class_weight="balanced",
        solver="liblinear",
        max_iter=1000,
        random_state=0,
    )
    return Pipeline(
        [
            ("normalize", TextNormalizer()),
            (
                "features",
                FeatureUnion([("words", words), ("chars", chars), ("cues", CueCounter())]),
            ),
            ("classify", OneVsRestClassifier(classifier)),
        ]
    )


def tune_threshold(
    scores: Sequence[float] | NDArray[np.float64],
    gold: Sequence[bool] | NDArray[np.bool_],
    *,
    min_precision: float = MIN_PRECISION,
) -> float:
    """Choose the probability threshold of one code on dev data.

    Candidate cuts lie halfway between adjacent distinct scores (and just below
    the lowest one). The chosen cut has the best F1 among the cuts whose
    precision is at least ``min_precision``; if none reaches the floor, the best
    F1 overall. Ties go to the higher cut (fewer false alarms). The result is
    clamped into ``THRESHOLD_RANGE`` and rounded to 4 decimals. Without positive
    or without negative examples it is ``DEFAULT_THRESHOLD``.

    Args:
        scores: predicted probabilities of the code, one per dev text.
        gold: whether the code applies, one per dev text.
        min_precision: the precision floor.

    Returns:
        The threshold; the code is predicted when its probability is ``>=`` it.

    Raises:
        ValueError: ``scores`` and ``gold`` differ in length.

    Example:
        >>> tune_threshold([0.9, 0.8, 0.3, 0.1], [True, True, False, False])
        0.55
    """
    s = np.asarray(scores, dtype=np.float64)
    g = np.asarray(gold, dtype=bool)
    if s.shape != g.shape:
        raise ValueError(f"{s.size} scores but {g.size} gold decisions")
    if not g.any() or g.all():
        return DEFAULT_THRESHOLD
    distinct = np.unique(s)
    cuts = np.concatenate(([distinct[0] / 2], (distinct[:-1] + distinct[1:]) / 2))
    predicted = s[None, :] >= cuts[:, None]
    tp = (predicted & g[None, :]).sum(axis=1)
    n_pred = predicted.sum(axis=1)
    precision = np.divide(tp, n_pred, out=np.zeros(len(cuts)), where=n_pred > 0)
    recall = tp / g.sum()
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(len(cuts)), where=denom > 0)
    feasible = precision >= min_precision
    pool = feasible if (feasible & (f1 > 0)).any() else np.ones(len(cuts), dtype=bool)
    best_f1 = f1[pool].max()
    best_cut = cuts[pool & (f1 == best_f1)].max()
    low, high = THRESHOLD_RANGE
    return round(float(min(max(best_cut, low), high)), 4)


def threshold_method(
    min_precision: float = MIN_PRECISION, high_precision: float = HIGH_SEVERITY_PRECISION
) -> str:
    """Describe ``tune_threshold`` for the manifest.

    Args:
        min_precision: the precision floor used.
        high_precision: the floor of the high-severity codes.

    Returns:
        A one-sentence description.
    """
    low, high = THRESHOLD_RANGE
    return (
        f"per code, the cut between adjacent dev-split scores with the best F1 among cuts "
        f"with precision >= {min_precision} ({high_precision} for high-severity codes; best "
        f"F1 overall if none reaches it; ties go to the higher cut; {DEFAULT_THRESHOLD} "
        f"without dev positives), clamped to [{low}, {high}] and rounded to 4 decimals"
    )


def high_severity_codes() -> frozenset[str]:
    """The model's codes whose findings are of high severity in the built-in rules."""
    codes = load_rules().codes
    return frozenset(c for c in LABELS if c in codes and codes[c].severity == "high")


def train(
    data: DataPaths,
    out_dir: Path | str,
    *,
    created_by: str | None = None,
    min_precision: float = MIN_PRECISION,
    high_precision: float = HIGH_SEVERITY_PRECISION,
) -> Manifest:
    """Train, tune, evaluate and save the classifier.

    Args:
        data: JSONL files or folders of them (see ``dataset.load_examples``).
        out_dir: folder for ``model.joblib`` and ``manifest.json`` (created if
            missing; existing files are replaced).
        created_by: the command recorded in the manifest; defaults to a call of
            this function.
        min_precision: the precision floor of ``tune_threshold``.
        high_precision: the floor of the high-severity codes (``high_severity_codes``).

    Returns:
        The manifest written beside the model, as ``read_manifest`` reads it.

    Raises:
        ConfigError: the data has no training example, a code has no positive
            or no negative training example, or the files changed while read.
        ParseError: a data line is malformed.

    Example:
        >>> manifest = train("data/corpus", "models")  # doctest: +SKIP
        >>> manifest.test_metrics.macro_f1  # doctest: +SKIP
        0.83
    """
    import joblib
    import sklearn

    fingerprint = data_sha256(data)
    examples = load_examples(data)
    if data_sha256(data) != fingerprint:
        problem = "the training data changed while it was read; run again when it is stable"
        raise ConfigError(Messages.IDG026.format(problem=problem))
    splits = {name: [e for e in examples if e.split == name] for name in ("train", "dev", "test")}
    train_set = splits["train"]
    if not train_set:
        raise ConfigError(Messages.IDG026.format(problem="no example has split 'train'"))
    y_train = _label_matrix(train_set)
    positives = y_train.sum(axis=0)
    lacking = [code for code, n in zip(LABELS, positives, strict=True) if n in (0, len(train_set))]
    if lacking:
        problem = f"codes {lacking} need both positive and negative training examples"
        raise ConfigError(Messages.IDG026.format(problem=problem))

    pipeline = build_pipeline()
    pipeline.fit([e.text for e in train_set], y_train)
    scorer = compile_pipeline(pipeline)

    thresholds = {code: DEFAULT_THRESHOLD for code in LABELS}
    if splits["dev"]:
        dev_proba = _checked_proba(scorer, pipeline, [e.text for e in splits["dev"]])
        y_dev = _label_matrix(splits["dev"]).astype(bool)
        high = high_severity_codes()
        for j, code in enumerate(LABELS):
            floor = high_precision if code in high else min_precision
            thresholds[code] = tune_threshold(dev_proba[:, j], y_dev[:, j], min_precision=floor)

    test_set = splits["test"]
    predicted: tuple[tuple[str, ...], ...] = ()
    if test_set:
        test_proba = _checked_proba(scorer, pipeline, [e.text for e in test_set])
        predicted = labels_at_threshold(test_proba, LABELS, thresholds)
    metrics = score_predictions([e.labels for e in test_set], predicted, LABELS)

    buffer = io.BytesIO()
    joblib.dump(scorer.to_data(), buffer, compress=3)
    model_bytes = buffer.getvalue()
    manifest = Manifest(
        model_version=MODEL_VERSION,
        package_version=__version__,
        feature_schema_version=FEATURE_SCHEMA_VERSION,
        sklearn_version=sklearn.__version__,
        numpy_version=np.__version__,
        spacy_version=_installed_version("spacy"),
        model_sha256=file_sha256(model_bytes),
        model_format=SCORER_FORMAT,
        model_bytes=len(model_bytes),
        data_sha256=fingerprint,
        labels=LABELS,
        thresholds=MappingProxyType(thresholds),
        threshold_method=threshold_method(min_precision, high_precision),
        counts=MappingProxyType({name: len(items) for name, items in splits.items()}),
        created_by=created_by or "interview_diag.model.train.train",
        test_metrics=metrics,
    )
    manifest_json = manifest.to_json()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _write_atomic(out / MODEL_FILE, model_bytes)
    _write_atomic(out / MANIFEST_FILE, manifest_json.encode("utf-8"))
    # Return what a reader of manifest.json gets (scores rounded as written).
    return Manifest.from_dict(json.loads(manifest_json))


def main(argv: Sequence[str] | None = None, *, prog: str = PROG) -> int:
    """Command-line entry point: ``--data PATH`` (repeatable) and ``--out DIR``.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when None.
        prog: the program name shown in help and recorded in the manifest
            (the ``interview-diag train`` subcommand passes its own).

    Returns:
        The exit status: 0 on success, 2 when the data cannot be used (one line on stderr).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Train the mistake classifier and write model.joblib + manifest.json.",
    )
    parser.add_argument(
        "--data",
        action="append",
        required=True,
        metavar="PATH",
        help="a JSONL file or a folder searched for *.jsonl; repeat for several",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the model to")
    args = parser.parse_args(args_list)
    created_by = " ".join([prog, shlex.join(args_list)]) if args_list else prog
    try:
        manifest = train(args.data, Path(args.out), created_by=created_by)
    except InterviewDiagError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    print(_summary(manifest, Path(args.out)))
    return 0


def _summary(manifest: Manifest, out: Path) -> str:
    m = manifest.test_metrics
    counts = ", ".join(f"{name} {n}" for name, n in manifest.counts.items())
    lines = [
        f"wrote {out / MODEL_FILE} and {out / MANIFEST_FILE} (model {manifest.model_version})",
        f"examples: {counts}",
        f"{'code':<26}{'thresh':>8}{'prec':>8}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for code in manifest.labels:
        c = m.per_code[code]
        lines.append(
            f"{code:<26}{manifest.thresholds[code]:>8.3f}{c.precision:>8.3f}"
            f"{c.recall:>8.3f}{c.f1:>8.3f}{c.support:>9d}"
        )
    lines.append(f"macro F1 {m.macro_f1:.3f}; clean pass rate {m.clean_pass_rate:.3f}")
    return "\n".join(lines)


def _checked_proba(scorer: CompiledScorer, pipeline: Any, texts: list[str]) -> NDArray[np.float64]:
    """The compiled scorer's probabilities, refused unless they equal the pipeline's.

    Raises:
        RuntimeError: a probability differs by more than ``COMPILE_TOLERANCE``
            (a bug of the scorer: it no longer reproduces the pipeline).
    """
    compiled = scorer.predict_proba(texts)
    reference = np.asarray(pipeline.predict_proba(texts), dtype=np.float64)
    gap = float(np.abs(compiled - reference).max()) if len(texts) else 0.0
    if gap > COMPILE_TOLERANCE:
        raise RuntimeError(
            f"the compiled scorer differs from the fitted pipeline by {gap:.3g} "
            f"(more than {COMPILE_TOLERANCE}); it cannot be shipped"
        )
    return compiled


def _label_matrix(examples: Sequence[Example]) -> NDArray[np.int64]:
    return np.asarray([[code in e.labels for code in LABELS] for e in examples], dtype=np.int64)


def _installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


if __name__ == "__main__":
    raise SystemExit(main())
