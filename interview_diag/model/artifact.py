"""Load the classifier artifact safely: a joblib file plus its ``manifest.json``.

The joblib file holds the compiled scorer (``scorer.CompiledScorer.to_data``:
dicts, lists and numpy arrays only), so loading and scoring never import
scikit-learn or scipy; the manifest's ``model_format`` names that format. A
manifest without ``model_format`` describes an older artifact, a pickled
scikit-learn pipeline, which still loads (and imports scikit-learn).

A joblib file runs code when it is loaded, so ``load_model`` only unpickles
bytes whose sha256 matches the sidecar manifest, only loads a model other than
the shipped one when the caller passes ``trust_model=True``, and refuses a model
trained with another scikit-learn minor version than the installed one (read
with ``importlib.metadata``, without importing it): pickled pipelines do not
carry across minor versions, and the compiled scorer reproduces the analyzers
of the scikit-learn it was trained with.

The shipped model is ``models/model.joblib`` + ``models/manifest.json`` at the
top of the repository; the build maps that folder to the subpackage
``interview_diag.models`` so it is read through ``importlib.resources`` from a
checkout, an editable install or a wheel alike.

How to retrain the shipped model and bump versions:

1. Check the data: ``data/corpus/*.jsonl`` loads without error
   (``interview_diag.model.dataset.load_examples``) and the datasheet in ``data/``
   is up to date.
2. Bump the versions in ``interview_diag/model/train.py``:
   ``FEATURE_SCHEMA_VERSION`` whenever ``features.py`` or the vectorizer
   settings in ``build_pipeline`` change what a text turns into;
   ``MODEL_VERSION``: major when the label set or its order changes (the
   classifier component must change too), minor when the features or the model
   change, patch for a retrain on new or fixed data only.
3. Retrain from the repository root::

       python -m interview_diag.model.train --data data/corpus --out models

   (the same as ``interview-diag train --data data/corpus --out models``). It
   writes ``models/model.joblib`` (the compiled scorer; training checks that it
   matches the fitted pipeline to within 1e-9 on the dev and test splits) and
   ``models/manifest.json``; training is deterministic, so the same data gives
   the same metrics, predictions and bytes.
4. Compare ``test_metrics`` in the new manifest with the old one (``git diff
   models/manifest.json``) and explain any drop in the commit message.
5. Run the tests. ``tests/test_model_golden.py`` pins the shipped model's
   labels on a few sentences: when a change is intended, update the expected
   labels there, and keep the size test (at most 20 MB) green.
6. Moving the scikit-learn pin in ``pyproject.toml`` to another minor version
   always means steps 2 to 5: the old artifact is refused with IDG021.
7. Commit ``model.joblib`` and ``manifest.json`` together, never one alone.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from interview_diag.errors import Messages, ModelError
from interview_diag.model.metrics import Metrics
from interview_diag.model.scorer import SCORER_FORMAT, CompiledScorer

_V = TypeVar("_V")

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
SHIPPED_PACKAGE = "interview_diag.models"
"""The package that holds the shipped model (the repository's ``models/`` folder)."""
LEGACY_FORMAT = "sklearn_pipeline"
"""``model_format`` of a manifest that has none: the model file is a pickled pipeline."""
MODEL_FORMATS = (SCORER_FORMAT, LEGACY_FORMAT)
"""The model formats ``load_model`` reads."""

_MANIFEST_KEYS = (
    "created_by",
    "counts",
    "data_sha256",
    "feature_schema_version",
    "labels",
    "model_sha256",
    "model_version",
    "numpy_version",
    "package_version",
    "sklearn_version",
    "spacy_version",
    "test_metrics",
    "threshold_method",
    "thresholds",
)
"""Keys every manifest has; ``model_format`` and ``model_bytes`` are newer and optional."""


@dataclass(frozen=True)
class Manifest:
    """The metadata written beside a model file.

    Attributes:
        model_version: version of the trained model (``MODEL_VERSION`` in train.py).
        package_version: ``interview_diag`` version that trained it.
        feature_schema_version: version of the text-to-features mapping.
        sklearn_version: scikit-learn version used to train (and compile) it.
        numpy_version: numpy version used to train it.
        spacy_version: spaCy version installed when it was trained.
        model_sha256: hex sha256 of the model file.
        model_format: what the model file holds: ``SCORER_FORMAT`` (the
            compiled scorer) or ``LEGACY_FORMAT`` (a pickled pipeline, the
            default of manifests written before the field existed).
        model_bytes: size of the model file in bytes (``None`` in older manifests).
        data_sha256: fingerprint of the training data (``dataset.data_sha256``).
        labels: the codes, in the column order of ``predict_proba``.
        thresholds: per code, the probability at or above which it is predicted.
        threshold_method: how the thresholds were chosen.
        counts: number of examples per split (``train``, ``dev``, ``test``).
        created_by: the command that trained the model.
        test_metrics: scores on the ``test`` split with these thresholds.
    """

    model_version: str
    package_version: str
    feature_schema_version: str
    sklearn_version: str
    numpy_version: str
    spacy_version: str
    model_sha256: str
    data_sha256: str
    labels: tuple[str, ...]
    thresholds: Mapping[str, float]
    threshold_method: str
    counts: Mapping[str, int]
    created_by: str
    test_metrics: Metrics
    model_format: str = LEGACY_FORMAT
    model_bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest as a JSON-ready dict.

        Returns:
            A dict with one key per attribute.
        """
        raw: dict[str, Any] = {
            "created_by": self.created_by,
            "counts": dict(self.counts),
            "data_sha256": self.data_sha256,
            "feature_schema_version": self.feature_schema_version,
            "labels": list(self.labels),
            "model_format": self.model_format,
            "model_sha256": self.model_sha256,
            "model_version": self.model_version,
            "numpy_version": self.numpy_version,
            "package_version": self.package_version,
            "sklearn_version": self.sklearn_version,
            "spacy_version": self.spacy_version,
            "test_metrics": self.test_metrics.to_dict(),
            "threshold_method": self.threshold_method,
            "thresholds": dict(self.thresholds),
        }
        if self.model_bytes is not None:
            raw["model_bytes"] = self.model_bytes
        return raw

    def to_json(self) -> str:
        """Serialize the manifest: sorted keys, 2-space indent, final newline.

        Returns:
            The JSON text, byte-identical for identical manifests.
        """
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, raw: Any) -> Manifest:
        """Validate a decoded manifest.

        Args:
            raw: the value decoded from ``manifest.json``.

        Returns:
            The manifest.

        Raises:
            ValueError: a key is missing or a value has the wrong type.
        """
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        missing = [key for key in _MANIFEST_KEYS if key not in raw]
        if missing:
            raise ValueError(f"missing keys {missing}")
        strings = {
            key: raw[key]
            for key in _MANIFEST_KEYS
            if key not in ("counts", "labels", "test_metrics", "thresholds")
        }
        for key, value in strings.items():
            if not isinstance(value, str):
                raise ValueError(f"{key!r} must be a string")
        labels = raw["labels"]
        if (
            not isinstance(labels, list)
            or not labels
            or not all(isinstance(code, str) for code in labels)
            or len(set(labels)) != len(labels)
        ):
            raise ValueError("'labels' must be a non-empty list of distinct strings")
        thresholds = raw["thresholds"]
        if not isinstance(thresholds, dict) or set(thresholds) != set(labels):
            raise ValueError("'thresholds' must map every label, and only labels, to a number")
        for code, value in thresholds.items():
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not is_number or not 0 <= value <= 1:
                raise ValueError(f"threshold of {code!r} must be a number in [0, 1]")
        counts = raw["counts"]
        if not isinstance(counts, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in counts.values()
        ):
            raise ValueError("'counts' must map split names to integers")
        model_format = raw.get("model_format", LEGACY_FORMAT)
        if not isinstance(model_format, str):
            raise ValueError("'model_format' must be a string")
        model_bytes = raw.get("model_bytes")
        if model_bytes is not None and (
            not isinstance(model_bytes, int) or isinstance(model_bytes, bool) or model_bytes < 0
        ):
            raise ValueError("'model_bytes' must be a non-negative integer")
        if not isinstance(raw["test_metrics"], dict):
            raise ValueError("'test_metrics' must be an object")
        metrics = Metrics.from_dict(raw["test_metrics"])
        # JSON keeps keys sorted; give the per-code scores back in label order.
        per_code = _in_order(metrics.per_code, labels)
        return cls(
            model_version=strings["model_version"],
            package_version=strings["package_version"],
            feature_schema_version=strings["feature_schema_version"],
            sklearn_version=strings["sklearn_version"],
            numpy_version=strings["numpy_version"],
            spacy_version=strings["spacy_version"],
            model_sha256=strings["model_sha256"],
            data_sha256=strings["data_sha256"],
            labels=tuple(labels),
            thresholds=MappingProxyType({code: float(thresholds[code]) for code in labels}),
            threshold_method=strings["threshold_method"],
            counts=MappingProxyType(_in_order(counts, ("train", "dev", "test"))),
            created_by=strings["created_by"],
            test_metrics=replace(metrics, per_code=MappingProxyType(per_code)),
            model_format=model_format,
            model_bytes=model_bytes,
        )


class Model:
    """A loaded classifier: per-code probabilities and thresholds.

    Build it with ``load_model``; it wraps the scorer (a ``CompiledScorer``, or
    the pipeline of a legacy artifact) and its manifest and is read-only.
    """

    __slots__ = ("_scorer", "labels", "manifest", "thresholds")

    labels: tuple[str, ...]
    """The codes, in the column order of ``predict_proba``."""
    thresholds: Mapping[str, float]
    """Per code, the probability at or above which the code is predicted (read-only)."""
    manifest: Manifest
    """The manifest the model was loaded with."""

    def __init__(self, scorer: Any, manifest: Manifest) -> None:
        """Wrap a scorer.

        Args:
            scorer: a ``CompiledScorer`` or fitted estimator whose
                ``predict_proba`` returns one column per label.
            manifest: the manifest the scorer was loaded with.
        """
        self._scorer = scorer
        self.manifest = manifest
        self.labels = manifest.labels
        self.thresholds = MappingProxyType(dict(manifest.thresholds))

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Score every text for every code in one batched call.

        Args:
            texts: the texts to score.

        Returns:
            An array of shape ``(len(texts), len(labels))``; entry ``[i, j]`` is
            the probability that ``labels[j]`` applies to ``texts[i]``.

        Raises:
            TypeError: ``texts`` is a single string or holds a non-string.
        """
        batch = _as_batch(texts)
        if not batch:
            return np.zeros((0, len(self.labels)), dtype=np.float64)
        proba = np.asarray(self._scorer.predict_proba(batch), dtype=np.float64)
        if proba.shape != (len(batch), len(self.labels)):
            raise ModelError(
                Messages.IDG023.format(
                    path=MANIFEST_FILE,
                    problem=f"the model returned shape {proba.shape} for {len(batch)} texts "
                    f"and {len(self.labels)} labels",
                )
            )
        return proba

    def predict(self, texts: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        """Name the codes whose probability reaches their threshold.

        Args:
            texts: the texts to score.

        Returns:
            Per text, the predicted codes in label order (empty when clean).

        Example:
            >>> load_model().predict(["My old boss was a total idiot."])  # doctest: +SKIP
            (('badmouthing',),)
        """
        return labels_at_threshold(self.predict_proba(texts), self.labels, self.thresholds)

    def __repr__(self) -> str:
        return f"Model(version={self.manifest.model_version!r}, labels={len(self.labels)})"


def load_model(path: Path | str | None = None, *, trust_model: bool = False) -> Model:
    """Load the shipped model, or a model file you trust.

    The shipped model is loaded once and cached (see ``clear_model_cache``).

    Args:
        path: ``None`` for the shipped model; otherwise a ``model.joblib`` file
            or the folder holding it, with ``manifest.json`` beside it.
        trust_model: must be ``True`` to load a model other than the shipped
            one, because loading a joblib file runs code from it.

    Returns:
        The loaded ``Model``.

    Raises:
        ModelError: IDG022 when ``path`` is not the shipped model and
            ``trust_model`` is false; IDG020 when the file's sha256 differs from
            the manifest; IDG021 when it was trained with another scikit-learn
            minor version than the installed one; IDG023 when the manifest or
            model is malformed or missing, or of an unknown format.

    Example:
        >>> model = load_model()  # doctest: +SKIP
        >>> model.predict_proba(["Sorry, I'm so nervous."]).shape  # doctest: +SKIP
        (1, 10)
    """
    if path is None:
        return _load_shipped_model()
    model_path = Path(path)
    if model_path.is_dir():
        model_path = model_path / MODEL_FILE
    if _is_shipped_file(model_path):
        return _load_shipped_model()
    if not trust_model:
        raise ModelError(Messages.IDG022.format(path=model_path))
    manifest_path = model_path.with_name(MANIFEST_FILE)
    try:
        manifest_text = manifest_path.read_text(encoding="utf-8")
        data = model_path.read_bytes()
    except OSError as exc:
        raise ModelError(Messages.IDG023.format(path=manifest_path, problem=str(exc))) from None
    return _build_model(data, manifest_text, model_path, manifest_path)


def labels_at_threshold(
    proba: NDArray[np.float64], labels: Sequence[str], thresholds: Mapping[str, float]
) -> tuple[tuple[str, ...], ...]:
    """Turn probabilities into predicted codes.

    Args:
        proba: array of shape ``(n_texts, len(labels))``.
        labels: the code of each column.
        thresholds: per code, the probability at or above which it is predicted.

    Returns:
        Per text, the codes whose probability is ``>=`` their threshold, in
        label order.
    """
    cuts = np.asarray([thresholds[code] for code in labels], dtype=np.float64)
    return tuple(
        tuple(code for code, hit in zip(labels, row, strict=True) if hit)
        for row in np.asarray(proba) >= cuts
    )


def clear_model_cache() -> None:
    """Forget the cached shipped model; the next ``load_model()`` reads it again."""
    _load_shipped_model.cache_clear()


def file_sha256(data: bytes) -> str:
    """Hex sha256 of ``data`` (used for the ``model_sha256`` manifest entry).

    Args:
        data: the bytes of a model file.

    Returns:
        The hex digest.
    """
    return hashlib.sha256(data).hexdigest()


def read_manifest(path: Path | str) -> Manifest:
    """Read and validate a ``manifest.json`` without loading its model.

    Args:
        path: the manifest file, or the folder holding it.

    Returns:
        The manifest.

    Raises:
        ModelError: IDG023 when it cannot be read or is malformed.
    """
    manifest_path = Path(path)
    if manifest_path.is_dir():
        manifest_path = manifest_path / MANIFEST_FILE
    try:
        text = manifest_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(Messages.IDG023.format(path=manifest_path, problem=str(exc))) from None
    return _parse_manifest(text, manifest_path)


@functools.lru_cache(maxsize=1)
def _load_shipped_model() -> Model:
    """The one cache of the library: the shipped model, loaded on first use."""
    try:
        folder = resources.files(SHIPPED_PACKAGE)
        model_res = folder.joinpath(MODEL_FILE)
        manifest_res = folder.joinpath(MANIFEST_FILE)
        data = model_res.read_bytes()
        manifest_text = manifest_res.read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        problem = f"the shipped model is not installed ({exc})"
        raise ModelError(Messages.IDG023.format(path=SHIPPED_PACKAGE, problem=problem)) from None
    return _build_model(data, manifest_text, model_res, manifest_res)


def _is_shipped_file(path: Path) -> bool:
    """True when ``path`` is the very file of the shipped model."""
    try:
        shipped = resources.files(SHIPPED_PACKAGE).joinpath(MODEL_FILE)
        with resources.as_file(shipped) as real:
            return path.is_file() and real.is_file() and os.path.samefile(real, path)
    except (ModuleNotFoundError, OSError):
        return False


def _parse_manifest(text: str, where: object) -> Manifest:
    try:
        return Manifest.from_dict(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise ModelError(Messages.IDG023.format(path=where, problem=str(exc))) from None


def _build_model(
    data: bytes, manifest_text: str, model_where: object, manifest_where: object
) -> Model:
    """Check the bytes and versions against the manifest, then unpickle exactly those bytes."""
    manifest = _parse_manifest(manifest_text, manifest_where)
    actual = file_sha256(data)
    if actual != manifest.model_sha256:
        raise ModelError(
            Messages.IDG020.format(path=model_where, actual=actual, expected=manifest.model_sha256)
        )
    installed = _installed_sklearn_version()
    if _minor_version(manifest.sklearn_version) != _minor_version(installed):
        raise ModelError(
            Messages.IDG021.format(
                path=model_where, trained=manifest.sklearn_version, installed=installed
            )
        )
    if manifest.model_format not in MODEL_FORMATS:
        problem = (
            f"unknown model_format {manifest.model_format!r} (this version reads "
            f"{', '.join(MODEL_FORMATS)}); retrain it with `interview-diag train`"
        )
        raise ModelError(Messages.IDG023.format(path=manifest_where, problem=problem))
    import joblib

    try:
        loaded = joblib.load(io.BytesIO(data))
    except Exception as exc:  # any unpickling failure means an unusable artifact
        problem = f"could not load the model file: {exc!r}"
        raise ModelError(Messages.IDG023.format(path=model_where, problem=problem)) from None
    if manifest.model_format == LEGACY_FORMAT:
        if not callable(getattr(loaded, "predict_proba", None)):
            problem = "the model file holds no estimator with predict_proba"
            raise ModelError(Messages.IDG023.format(path=model_where, problem=problem))
        return Model(loaded, manifest)
    try:
        scorer = CompiledScorer.from_data(loaded)
    except ValueError as exc:
        problem = f"the model file holds no valid compiled scorer: {exc}"
        raise ModelError(Messages.IDG023.format(path=model_where, problem=problem)) from None
    if scorer.n_outputs != len(manifest.labels):
        problem = (
            f"the model scores {scorer.n_outputs} codes but the manifest names "
            f"{len(manifest.labels)} labels"
        )
        raise ModelError(Messages.IDG023.format(path=model_where, problem=problem))
    return Model(scorer, manifest)


def _installed_sklearn_version() -> str:
    """The installed scikit-learn version, read without importing scikit-learn."""
    try:
        return metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        return "not installed"


def _in_order(mapping: Mapping[str, _V], first: Sequence[str]) -> dict[str, _V]:
    """Copy ``mapping`` with the keys of ``first`` first, in that order."""
    ordered = {key: mapping[key] for key in first if key in mapping}
    ordered.update((key, value) for key, value in mapping.items() if key not in ordered)
    return ordered


def _minor_version(version: str) -> tuple[int, int] | str:
    """``"1.9.1"`` -> ``(1, 9)``; an unparsable version is compared as is."""
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else version


def _as_batch(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(Messages.IDG027.format(type=type(texts).__name__))
    batch = list(texts)
    for text in batch:
        if not isinstance(text, str):
            raise TypeError(Messages.IDG001.format(type=type(text).__name__))
    return batch
