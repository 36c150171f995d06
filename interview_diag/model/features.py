"""Custom scikit-learn transformers used by the classifier pipeline.

Both follow the scikit-learn contract: ``__init__`` only stores its parameters,
``fit`` returns ``self``, and what is learned from data ends in ``_``. They take
a 1-D sequence of texts, as the text vectorizers do, or a 2-D array-like whose
cells are joined into one text per row (validated like any scikit-learn input),
which is also what lets scikit-learn's estimator checks exercise them.

- ``TextNormalizer`` maps texts to texts: Unicode NFKC, lower case, curly quotes
  and dashes folded to ASCII, and censored profanity (``f***``, ``sh*t``,
  ``f*cking``, ``a**hole``) rewritten to one shared token, so the model learns one
  feature for every masked spelling.
- ``CueCounter`` maps texts to a few dense counts that a bag of n-grams cannot
  express, above all how many weak qualifiers pile up in one answer (hedging
  needs at least three).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

CENSORED_TOKEN = "xxcensored"
"""The token that replaces every censored swear word."""

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)

# A censored word starts with a letter and hides letters behind "*" (anywhere
# after the first letter) or behind "#", "$" or "!" between two letters:
# f***, f**k, sh*t, f*cking, a**hole, sh!t, a$$hole. "wow!" and "c#" stay.
_CENSORED = re.compile(
    r"(?<![\w*#$!])"
    r"[a-z]+(?:\*+[a-z]*|[#$!]+[a-z]+)(?:[a-z]*(?:\*+|[#$!]+(?=[a-z]))[a-z]*)*"
    r"(?![\w*])"
)
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalize one text the way ``TextNormalizer`` does.

    Args:
        text: any text.

    Returns:
        The text in NFKC, lower case, with ASCII quotes and dashes, censored
        profanity replaced by ``CENSORED_TOKEN`` and runs of white space
        collapsed to one space.

    Example:
        >>> normalize_text("It was a  sh*t show, I\u2019m f***ing done")
        "it was a xxcensored show, i'm xxcensored done"
    """
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    masked = _CENSORED.sub(CENSORED_TOKEN, folded)
    return _SPACES.sub(" ", masked).strip()


class TextNormalizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Normalize texts before they are vectorized (see ``normalize_text``).

    The transformer is stateless: ``fit`` learns nothing but checks the input.

    Example:
        >>> TextNormalizer().fit_transform(["What the F*CK"]).tolist()
        ['what the xxcensored']
    """

    def fit(self, X: Any, y: Any = None) -> TextNormalizer:
        """Check the texts and return the transformer.

        Args:
            X: a 1-D sequence of texts, or a 2-D array-like whose rows are joined.
            y: ignored.

        Returns:
            ``self``.
        """
        texts = _as_texts(self, X, reset=True)
        self.n_texts_seen_ = len(texts)
        return self

    def transform(self, X: Any) -> NDArray[np.object_]:
        """Normalize each text.

        Args:
            X: a 1-D sequence of texts, or a 2-D array-like whose rows are joined.

        Returns:
            A 1-D object array of normalized texts, one per input text.
        """
        check_is_fitted(self, "n_texts_seen_")
        texts = _as_texts(self, X, reset=False)
        out = np.empty(len(texts), dtype=object)
        out[:] = [normalize_text(t) for t in texts]
        return out

    def __sklearn_tags__(self) -> Any:
        return _text_tags(super().__sklearn_tags__(), preserves_dtype=False)


HEDGE_CUES: tuple[str, ...] = (
    "maybe",
    "perhaps",
    "possibly",
    "probably",
    "presumably",
    "arguably",
    "roughly",
    "partly",
    "somewhat",
    "hopefully",
    "i(?:'d| would)? (?:guess|suppose|think|believe|say)",
    "i feel like",
    "kind of",
    "kinda",
    "sort of",
    "sorta",
    r"not (?:\w+ )?(?:sure|certain)",
    "might",
    "could be",
    "a little",
    "a bit",
    "more or less",
    "in a (?:sense|way)",
    "to some extent",
    "i mean",
    "or something",
    "i don't know",
    "i dunno",
    "like,",
)
"""Weak qualifiers counted by ``CueCounter``: regular expressions matched as whole
words on normalized text, a space standing for any white space."""

CUE_NAMES: tuple[str, ...] = (
    "hedge_count",
    "hedge_pileup",
    "question_marks",
    "exclamation_marks",
    "censored_words",
)
"""The output columns of ``CueCounter``, in order."""

_HEDGE = re.compile(
    r"(?<![\w'])(?:" + "|".join(c.replace(" ", r"\s+") for c in HEDGE_CUES) + r")(?!\w)"
)
_HEDGE_PILEUP = 3


class CueCounter(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Count a few surface cues per text and scale them to about [0, 1].

    Columns are ``CUE_NAMES``: weak qualifiers, whether they pile up to three or
    more, question marks, exclamation marks and censored swear words. Texts are
    normalized with ``normalize_text`` first, so the counter works before or
    after a ``TextNormalizer``.

    Parameters:
        cap: counts above ``cap`` are clipped to it before scaling, so one
            rambling text cannot dominate the feature.

    Attributes:
        scale_: per column, the largest clipped count seen in ``fit`` (at least
            1); ``transform`` divides by it.
        n_texts_seen_: how many texts ``fit`` saw.

    Example:
        >>> counter = CueCounter().fit(["I guess maybe I kind of did?", "I did."])
        >>> counter.transform(["I guess maybe I kind of did?"]).tolist()
        [[1.0, 1.0, 1.0, 0.0, 0.0]]
    """

    def __init__(self, cap: int = 6) -> None:
        self.cap = cap

    def fit(self, X: Any, y: Any = None) -> CueCounter:
        """Learn the per-column scale from the texts.

        Args:
            X: a 1-D sequence of texts, or a 2-D array-like whose rows are joined.
            y: ignored.

        Returns:
            ``self``.
        """
        if not isinstance(self.cap, int) or isinstance(self.cap, bool) or self.cap < 1:
            raise ValueError(f"cap must be a positive int, got {self.cap!r}")
        texts = _as_texts(self, X, reset=True)
        counts = self._count(texts)
        peak = counts.max(axis=0) if len(texts) else np.zeros(len(CUE_NAMES))
        self.scale_ = np.maximum(peak, 1.0)
        self.n_texts_seen_ = len(texts)
        return self

    def transform(self, X: Any) -> NDArray[np.float64]:
        """Count and scale the cues of each text.

        Args:
            X: a 1-D sequence of texts, or a 2-D array-like whose rows are joined.

        Returns:
            A dense array of shape ``(n_texts, len(CUE_NAMES))``.
        """
        check_is_fitted(self, "scale_")
        result: NDArray[np.float64] = self._count(_as_texts(self, X, reset=False)) / self.scale_
        return result

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.object_]:
        """Name the output columns.

        Args:
            input_features: ignored; the input is text.

        Returns:
            ``CUE_NAMES`` prefixed with ``cue_``, as an object array.
        """
        check_is_fitted(self, "scale_")
        return np.asarray([f"cue_{name}" for name in CUE_NAMES], dtype=object)

    def _count(self, texts: list[str]) -> NDArray[np.float64]:
        rows = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float64)
        for i, text in enumerate(texts):
            norm = normalize_text(text)
            hedges = len(_HEDGE.findall(norm))
            rows[i] = (
                hedges,
                1.0 if hedges >= _HEDGE_PILEUP else 0.0,
                norm.count("?"),
                norm.count("!"),
                norm.count(CENSORED_TOKEN),
            )
        clipped: NDArray[np.float64] = np.minimum(rows, float(self.cap))
        return clipped

    def __sklearn_tags__(self) -> Any:
        return _text_tags(super().__sklearn_tags__(), preserves_dtype=True)


def _text_tags(tags: Any, *, preserves_dtype: bool) -> Any:
    """Tags of a text transformer.

    ``one_d_array`` stays False although 1-D texts are the main input: to the
    estimator checks it means "1-D arrays of numbers", which are not texts and
    are refused. Strings and 2-D arrays (rows joined into texts) are accepted.
    """
    tags.input_tags.one_d_array = False
    tags.input_tags.two_d_array = True
    tags.input_tags.string = True
    if not preserves_dtype:
        tags.transformer_tags.preserves_dtype = []
    return tags


def _as_texts(estimator: BaseEstimator, X: Any, *, reset: bool) -> list[str]:
    """Read ``X`` as one text per sample.

    A 1-D sequence of ``str`` is the usual input. A 2-D array-like (for example
    the text columns picked by a ``ColumnTransformer``) is validated like any
    scikit-learn input, and the cells of each row are joined by a space.
    """
    if isinstance(X, (str, bytes)):
        raise ValueError("expected a sequence of texts, got a single string")
    if hasattr(X, "tocsr") or _ndim(X) == 2:  # sparse input is refused by validate_data
        rows = validate_data(estimator, X, reset=reset, dtype=None)
        return [" ".join(str(cell) for cell in row) for row in rows]
    if isinstance(X, (list, tuple)):
        texts = list(X)
    elif hasattr(X, "__array__"):
        texts = np.asarray(X, dtype=object).ravel().tolist()
    else:
        texts = list(X)
    for text in texts:
        if not isinstance(text, str):
            hint = ""
            if not reset and hasattr(estimator, "n_features_in_"):
                hint = (
                    f"; it was fitted on a 2-D array of {estimator.n_features_in_} columns: "
                    "Reshape your data to 2-D"
                )
            raise ValueError(
                "expected a 1-D sequence of texts (str), got an element of type "
                f"{type(text).__name__}{hint}"
            )
    if reset and hasattr(estimator, "n_features_in_"):
        del estimator.n_features_in_
    return texts


def _ndim(X: Any) -> int:
    """Number of dimensions of an array-like, without copying text lists."""
    if hasattr(X, "shape"):
        return len(X.shape)
    if isinstance(X, (list, tuple)):
        if X and not isinstance(X[0], str) and hasattr(X[0], "__len__"):
            return 2
        return 1
    if hasattr(X, "__array__"):
        return int(np.asarray(X).ndim)
    return 1
