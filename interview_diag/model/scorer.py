"""Score texts with the trained classifier using numpy only, without scikit-learn or scipy.

Importing scikit-learn pulls in scipy and costs about a second, more than the
rest of a cold ``interview-diag analyze``. Inference needs none of it: the
fitted pipeline (``train.build_pipeline``) is a fixed chain of dictionary
look-ups and a dot product. This module holds that chain as plain data.

How the compiled form is made and used:

1. At training time ``compile_pipeline`` (which needs scikit-learn) reads the
   fitted pipeline into a ``CompiledScorer``: the normalizer settings of
   ``features.py`` (fold table, regular expressions, censored token), per
   vectorizer its analyzer settings, vocabulary (term -> column) and idf vector,
   the ``CueCounter`` scale, and the stacked logistic-regression coefficients
   and intercepts. It refuses settings it cannot reproduce exactly.
2. ``CompiledScorer.to_data`` gives that as dicts, lists, numbers, strings and
   numpy arrays only; ``train`` saves it with joblib as ``model.joblib``, so
   loading it never imports scikit-learn.
3. ``CompiledScorer.from_data`` validates such a dict (``artifact.load_model``
   calls it after the sha256 and version checks) and ``predict_proba``
   reproduces the pipeline's ``predict_proba`` to within 1e-9: normalize, word
   and char_wb n-grams exactly as scikit-learn's analyzers make them, counts,
   sublinear tf, idf, l2 norm per vectorizer, the cue counts, the columns in
   ``FeatureUnion`` order, then one sigmoid per code.

``predict_proba`` scores a batch in vectorized chunks rather than text by text:
the tokens (word block) become ids looked up in sorted arrays of packed n-gram
keys, the char n-grams of each distinct word are memoized, the (text, column)
counts of a chunk come from one ``np.unique``, and the per-text sums (l2 norms,
decision functions) are ``np.add.reduceat`` over each text's entries in column
order, so a text scores the same, bit for bit, alone or in any batch.

The n-gram procedures below follow scikit-learn 1.9's ``_VectorizerMixin``; the
manifest records the scikit-learn version of training, and ``load_model``
refuses another minor version, so a change of those semantics means a retrain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

SCORER_FORMAT = "interview_diag.compiled_scorer.v1"
"""The ``format`` entry of the saved data (and ``model_format`` of the manifest)."""

CUE_COLUMNS: tuple[str, ...] = (
    "hedge_count",
    "hedge_pileup",
    "question_marks",
    "exclamation_marks",
    "censored_words",
)
"""The cue columns ``_CueBlock`` computes, in order (``features.CUE_NAMES`` must match)."""

_Features = tuple[NDArray[np.intp], NDArray[np.float64]]
_UnicodeForm = Literal["NFC", "NFD", "NFKC", "NFKD"]

_CHUNK_TEXTS = 1024
"""``predict_proba`` scores this many texts per vectorized step (bounds its memory)."""
_MEMO_WORDS = 50_000
"""The char n-gram memo of a block is emptied when it holds this many words."""
_MEMO_WORD_LENGTH = 64
"""Longer words are not memoized (rare, and each can hold many n-grams)."""


@dataclass(frozen=True)
class _Rows:
    """The non-zero entries of a batch's feature rows for one block.

    Entries are sorted by text, then by column, so every text's entries (and
    therefore every sum over them) are the same whatever else is in the batch.
    """

    text: NDArray[np.int64]
    """The text (index into the batch) of each entry, non-decreasing."""
    column: NDArray[np.int64]
    """The block column of each entry, increasing within a text."""
    value: NDArray[np.float64]
    """The tf-idf value of each entry, l2-normalized per text."""
    starts: NDArray[np.intp]
    """Where each non-empty text's entries begin (for ``np.add.reduceat``)."""


class _ColumnMemo(dict[str, NDArray[np.int32]]):
    """Per normalized word, the columns of its in-vocabulary ``char_wb`` n-grams.

    ``memo[word]`` computes what is missing. The memo is emptied when it reaches
    ``_MEMO_WORDS`` words, and words longer than ``_MEMO_WORD_LENGTH`` are not
    kept, so memory stays bounded over a long batch. A pickle of it is empty.
    """

    def __init__(self, vocabulary: Mapping[str, int], min_n: int, max_n: int) -> None:
        super().__init__()
        self._vocabulary = vocabulary
        self._ngram_range = (min_n, max_n)

    def __missing__(self, word: str) -> NDArray[np.int32]:
        lookup = self._vocabulary.get
        grams = _char_wb_ngrams(word, *self._ngram_range)
        found = [column for column in map(lookup, grams) if column is not None]
        columns = np.array(found, dtype=np.int32)
        if len(word) <= _MEMO_WORD_LENGTH:
            if len(self) >= _MEMO_WORDS:
                self.clear()
            self[word] = columns
        return columns

    def __reduce__(self) -> tuple[Any, ...]:
        return (_ColumnMemo, (self._vocabulary, *self._ngram_range))


@dataclass(frozen=True)
class _WordTable:
    """A word vocabulary keyed by token ids, for vectorized n-gram look-ups.

    A term of ``n`` tokens is the tokens joined by single spaces; while no token
    holds a space, splitting a term on spaces gives back its tokens, so the term
    of tokens ``t1 .. tn`` is in the vocabulary exactly when their ids pack to a
    key of the ``ngrams`` entry of ``n`` (one-token terms: ``unigrams``).
    """

    ids: dict[str, int]
    """Every token of some vocabulary term -> its id (0 .. base - 1)."""
    base: int
    """The number of ids; a key packs ids as the digits of a base-``base`` number."""
    unigrams: NDArray[np.int64]
    """Per id, the column of the one-token term, or -1."""
    ngrams: tuple[tuple[int, NDArray[np.int64], NDArray[np.int64]], ...]
    """Per n from ``max(min_n, 2)`` to ``max_n``: n, the sorted packed keys of the
    n-token terms, and their columns."""

    @classmethod
    def build(cls, vocabulary: Mapping[str, int], min_n: int, max_n: int) -> _WordTable | None:
        """The table of a vocabulary, or None when keys could overflow int64."""
        ids: dict[str, int] = {}
        by_n: dict[int, tuple[list[list[int]], list[int]]] = {
            n: ([], []) for n in range(min_n, max_n + 1)
        }
        for term, column in vocabulary.items():
            parts = term.split(" ")
            if len(parts) in by_n:
                grams, columns = by_n[len(parts)]
                grams.append([ids.setdefault(part, len(ids)) for part in parts])
                columns.append(column)
        base = max(len(ids), 1)
        if base**max_n >= 2**62:
            return None
        unigrams = np.full(base, -1, dtype=np.int64)
        if 1 in by_n:
            grams, columns = by_n[1]
            unigrams[[gram[0] for gram in grams]] = columns
        ngrams: list[tuple[int, NDArray[np.int64], NDArray[np.int64]]] = []
        for n in range(max(min_n, 2), max_n + 1):
            grams, columns = by_n[n]
            packed = np.zeros(len(grams), dtype=np.int64)
            digits = np.array(grams, dtype=np.int64).reshape(len(grams), n)
            for k in range(n):
                packed = packed * base + digits[:, k]
            order = np.argsort(packed, kind="stable")
            ngrams.append((n, packed[order], np.array(columns, dtype=np.int64)[order]))
        return cls(ids, base, unigrams, tuple(ngrams))


@dataclass(frozen=True)
class _Normalizer:
    """``features.normalize_text`` with its settings as data."""

    unicode_form: _UnicodeForm
    fold: Mapping[int, str]
    censored: re.Pattern[str]
    censored_token: str
    spaces: re.Pattern[str]

    ascii_folded: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The ASCII characters ``fold`` changes (derived)."""
    split_spaces: bool = field(init=False, repr=False, compare=False)
    """True when ``spaces`` is ``\\s+``, so ``str.split`` finds the same runs (derived).

    Python's ``re`` ``\\s`` and ``str.split``/``str.strip`` share one definition of
    white space (``Py_UNICODE_ISSPACE``).
    """

    def __post_init__(self) -> None:
        ascii_folded = tuple(chr(point) for point in self.fold if point < 128)
        object.__setattr__(self, "ascii_folded", ascii_folded)
        split = self.spaces.pattern == r"\s+" and self.spaces.flags == re.UNICODE
        object.__setattr__(self, "split_spaces", split)

    def __call__(self, text: str) -> str:
        if text.isascii() and not any(char in text for char in self.ascii_folded):
            # Every unicode form leaves ASCII unchanged, and so does this fold table.
            folded = text.lower()
        else:
            folded = unicodedata.normalize(self.unicode_form, text).translate(self.fold).lower()
        masked = self.censored.sub(self.censored_token, folded)
        if self.split_spaces:
            return " ".join(masked.split())
        return self.spaces.sub(" ", masked).strip()

    def to_data(self) -> dict[str, Any]:
        return {
            "unicode_form": self.unicode_form,
            "fold": dict(self.fold),
            "censored_pattern": _pattern_data(self.censored),
            "censored_token": self.censored_token,
            "spaces_pattern": _pattern_data(self.spaces),
        }

    @classmethod
    def from_data(cls, raw: Any) -> _Normalizer:
        raw = _mapping(raw, "normalizer")
        form = _string(raw, "unicode_form")
        if form not in ("NFC", "NFD", "NFKC", "NFKD"):
            raise ValueError(f"normalizer: unknown unicode form {form!r}")
        fold = raw.get("fold")
        if not isinstance(fold, dict) or not all(
            isinstance(k, int) and isinstance(v, str) for k, v in fold.items()
        ):
            raise ValueError("normalizer: 'fold' must map code points to strings")
        return cls(
            unicode_form=cast(_UnicodeForm, form),
            fold=dict(fold),
            censored=_pattern(raw, "censored_pattern"),
            censored_token=_string(raw, "censored_token"),
            spaces=_pattern(raw, "spaces_pattern"),
        )


@dataclass(frozen=True)
class _TfidfBlock:
    """One fitted ``TfidfVectorizer`` (word or char_wb analyzer, l2 norm)."""

    name: str
    analyzer: str
    ngram_range: tuple[int, int]
    pattern: re.Pattern[str]
    """The token pattern (``word``) or the white-space run pattern (``char_wb``)."""
    vocabulary: Mapping[str, int]
    idf: NDArray[np.float64]
    sublinear_tf: bool

    _memo: _ColumnMemo = field(init=False, repr=False, compare=False)
    """``char_wb``: per normalized word, its in-vocabulary columns (derived, bounded)."""
    _table: _WordTable | None = field(init=False, repr=False, compare=False)
    """``word``: the vocabulary as token ids, or None to look terms up as strings (derived)."""
    _split_only: bool = field(init=False, repr=False, compare=False)
    """``char_wb`` with the ``\\s\\s+`` pattern: its substitution cannot change
    what ``str.split`` returns (``re`` and ``str`` share one white-space
    definition), so it is skipped (derived)."""

    def __post_init__(self) -> None:
        min_n, max_n = self.ngram_range
        object.__setattr__(self, "_memo", _ColumnMemo(self.vocabulary, min_n, max_n))
        table = _WordTable.build(self.vocabulary, min_n, max_n) if self.analyzer == "word" else None
        object.__setattr__(self, "_table", table)
        split_only = self.pattern.pattern == r"\s\s+" and self.pattern.flags == re.UNICODE
        object.__setattr__(self, "_split_only", split_only)

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def terms(self, text: str) -> list[str]:
        """The terms scikit-learn's analyzer makes of an already normalized text."""
        min_n, max_n = self.ngram_range
        if self.analyzer == "word":
            return _word_ngrams(self.pattern.findall(text), min_n, max_n)
        return _char_wb_ngrams(self.pattern.sub(" ", text), min_n, max_n)

    def rows(self, texts: Sequence[str]) -> _Rows:
        """The tf-idf rows of already normalized texts, as scikit-learn computes them.

        Counts per (text, term), ``1 + log`` of them when ``sublinear_tf``, times
        the idf, l2-normalized per text.
        """
        if self.analyzer == "char_wb":
            text, column = self._char_wb_entries(texts)
        else:
            text, column = self._word_entries(texts)
        width = self.width
        keys, counts = np.unique(text * width + column, return_counts=True)
        text, column = np.divmod(keys, width)
        values = counts.astype(np.float64)
        if self.sublinear_tf:
            values = np.log(values) + 1.0
        values *= self.idf[column]
        if not len(values):
            return _Rows(text=text, column=column, value=values, starts=np.zeros(0, np.intp))
        starts = np.flatnonzero(np.concatenate(([True], text[1:] != text[:-1])))
        norms = np.sqrt(np.add.reduceat(values * values, starts))
        norms[norms == 0.0] = 1.0
        values /= np.repeat(norms, np.diff(np.append(starts, len(values))))
        return _Rows(text=text, column=column, value=values, starts=starts)

    def _char_wb_entries(self, texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Per in-vocabulary char n-gram occurrence, its text and column.

        ``char_wb`` makes the n-grams of each white-space separated word on its own,
        so the columns of a word are memoized (bounded; results never depend on it).
        """
        words: list[str] = []
        per_text = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            split = (text if self._split_only else self.pattern.sub(" ", text)).split()
            per_text[i] = len(split)
            words.extend(split)
        found = list(map(self._memo.__getitem__, words))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        word_text = np.repeat(np.arange(len(texts), dtype=np.int64), per_text)
        return np.repeat(word_text, lengths), np.concatenate(found).astype(np.int64)

    def _word_entries(self, texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Per in-vocabulary word n-gram occurrence, its text and column."""
        tokens: list[str] = []
        per_text = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            found = self.pattern.findall(text)
            per_text[i] = len(found)
            tokens.extend(found)
        table = self._table
        if table is None or " " in "".join(tokens):
            # A token with a space would make "a b" ambiguous: look the terms up as strings.
            return self._term_entries(texts)
        min_n, max_n = self.ngram_range
        ids = np.fromiter(map(table.ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        token_text = np.repeat(np.arange(len(texts), dtype=np.int64), per_text)
        texts_out: list[NDArray[np.int64]] = []
        columns_out: list[NDArray[np.int64]] = []
        if min_n == 1:
            known = ids >= 0
            column = table.unigrams[ids[known]]
            hit = column >= 0
            texts_out.append(token_text[known][hit])
            columns_out.append(column[hit])
        for n, keys, columns in table.ngrams:
            count = len(ids) - n + 1
            if count <= 0 or not len(keys):
                continue
            valid = token_text[:count] == token_text[n - 1 :]
            key = np.zeros(count, dtype=np.int64)
            for k in range(n):
                part = ids[k : k + count]
                valid &= part >= 0
                key = key * table.base + part
            key = key[valid]
            where = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[where] == key
            texts_out.append(token_text[:count][valid][hit])
            columns_out.append(columns[where[hit]])
        if not texts_out:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(texts_out), np.concatenate(columns_out)

    def _term_entries(self, texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Per in-vocabulary term occurrence, its text and column (string look-ups)."""
        lookup = self.vocabulary.get
        text_out: list[int] = []
        columns: list[int] = []
        for i, text in enumerate(texts):
            found = [c for c in map(lookup, self.terms(text)) if c is not None]
            columns.extend(found)
            text_out.extend(repeat(i, len(found)))
        return np.array(text_out, dtype=np.int64), np.array(columns, dtype=np.int64)

    def to_data(self) -> dict[str, Any]:
        pattern_key = "token_pattern" if self.analyzer == "word" else "white_spaces_pattern"
        return {
            "kind": "tfidf",
            "name": self.name,
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            pattern_key: _pattern_data(self.pattern),
            "vocabulary": dict(self.vocabulary),
            "idf": self.idf,
            "sublinear_tf": self.sublinear_tf,
            "norm": "l2",
        }

    @classmethod
    def from_data(cls, raw: Mapping[str, Any], name: str) -> _TfidfBlock:
        analyzer = _string(raw, "analyzer")
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"block {name!r}: unsupported analyzer {analyzer!r}")
        if raw.get("norm") != "l2":
            raise ValueError(f"block {name!r}: only the l2 norm is supported")
        ngram_range = raw.get("ngram_range")
        if (
            not isinstance(ngram_range, (list, tuple))
            or len(ngram_range) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
            or not 1 <= ngram_range[0] <= ngram_range[1]
        ):
            raise ValueError(f"block {name!r}: 'ngram_range' must be two ints 1 <= min <= max")
        sublinear = raw.get("sublinear_tf")
        if not isinstance(sublinear, bool):
            raise ValueError(f"block {name!r}: 'sublinear_tf' must be a bool")
        vocabulary = _vocabulary(raw.get("vocabulary"), name)
        idf = _float_array(raw.get("idf"), (len(vocabulary),), f"block {name!r}: 'idf'")
        pattern_key = "token_pattern" if analyzer == "word" else "white_spaces_pattern"
        return cls(
            name=name,
            analyzer=analyzer,
            ngram_range=(ngram_range[0], ngram_range[1]),
            pattern=_pattern(raw, pattern_key),
            vocabulary=vocabulary,
            idf=idf,
            sublinear_tf=sublinear,
        )


@dataclass(frozen=True)
class _CueBlock:
    """A fitted ``CueCounter``: a few clipped and scaled surface counts."""

    name: str
    hedge: re.Pattern[str]
    hedge_pileup: int
    cap: int
    scale: NDArray[np.float64]
    normalize: _Normalizer
    """``CueCounter`` normalizes its input again, whatever came before it."""

    @property
    def width(self) -> int:
        return len(CUE_COLUMNS)

    def values(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The cue columns of texts, shape ``(len(texts), width)``."""
        counts = np.empty((len(texts), len(CUE_COLUMNS)), dtype=np.float64)
        token = self.normalize.censored_token
        for i, text in enumerate(texts):
            norm = self.normalize(text)
            hedges = len(self.hedge.findall(norm))
            counts[i] = (
                hedges,
                1.0 if hedges >= self.hedge_pileup else 0.0,
                norm.count("?"),
                norm.count("!"),
                norm.count(token),
            )
        values: NDArray[np.float64] = np.minimum(counts, float(self.cap)) / self.scale
        return values

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": "cues",
            "name": self.name,
            "columns": list(CUE_COLUMNS),
            "hedge_pattern": _pattern_data(self.hedge),
            "hedge_pileup": self.hedge_pileup,
            "cap": self.cap,
            "scale": self.scale,
        }

    @classmethod
    def from_data(cls, raw: Mapping[str, Any], name: str, normalize: _Normalizer) -> _CueBlock:
        if raw.get("columns") != list(CUE_COLUMNS):
            raise ValueError(f"block {name!r}: 'columns' must be {list(CUE_COLUMNS)}")
        pileup, cap = raw.get("hedge_pileup"), raw.get("cap")
        for key, value in (("hedge_pileup", pileup), ("cap", cap)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"block {name!r}: {key!r} must be a positive int")
        assert isinstance(pileup, int) and isinstance(cap, int)  # narrowed above, for mypy
        scale = _float_array(raw.get("scale"), (len(CUE_COLUMNS),), f"block {name!r}: 'scale'")
        if not (scale > 0).all():
            raise ValueError(f"block {name!r}: 'scale' must be positive")
        return cls(
            name=name,
            hedge=_pattern(raw, "hedge_pattern"),
            hedge_pileup=pileup,
            cap=cap,
            scale=scale,
            normalize=normalize,
        )


_Block = _TfidfBlock | _CueBlock


class CompiledScorer:
    """The fitted classifier pipeline as plain data, scored with numpy only.

    Build it with ``compile_pipeline`` (training time) or ``from_data`` (load
    time). ``predict_proba`` equals the source pipeline's ``predict_proba`` to
    within 1e-9.
    """

    __slots__ = ("_blocks", "_coef_t", "_normalize", "_offsets", "coef", "intercept")

    coef: NDArray[np.float64]
    """Coefficients, shape ``(n_outputs, n_features)``; columns in ``FeatureUnion`` order."""
    intercept: NDArray[np.float64]
    """Intercepts, shape ``(n_outputs,)``."""

    def __init__(
        self,
        normalize: _Normalizer,
        blocks: Sequence[_Block],
        coef: NDArray[np.float64],
        intercept: NDArray[np.float64],
    ) -> None:
        """Assemble a scorer from validated parts (use ``from_data``)."""
        widths = [block.width for block in blocks]
        if coef.ndim != 2 or coef.shape[1] != sum(widths) or coef.shape[0] < 1:
            raise ValueError(
                f"'coef' has shape {coef.shape}, expected (n_outputs, {sum(widths)}) "
                "for the feature blocks"
            )
        if intercept.shape != (coef.shape[0],):
            raise ValueError(
                f"'intercept' has shape {intercept.shape}, expected ({coef.shape[0]},)"
            )
        self._normalize = normalize
        self._blocks = tuple(blocks)
        self._offsets = tuple(int(x) for x in np.cumsum([0, *widths[:-1]]))
        self.coef = coef
        self.intercept = intercept
        # Row-gathering a C-ordered transpose is the hot path of predict_proba.
        self._coef_t = np.ascontiguousarray(coef.T)

    @property
    def n_outputs(self) -> int:
        """Number of probability columns (one per code)."""
        return int(self.coef.shape[0])

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Score every text for every code.

        The batch is scored in vectorized chunks; each text's probabilities are
        the same, bit for bit, whatever else is in the batch.

        Args:
            texts: the texts to score.

        Returns:
            An array of shape ``(len(texts), n_outputs)`` of probabilities.

        Example:
            >>> scorer.predict_proba(["Sorry, I'm so nervous."]).shape  # doctest: +SKIP
            (1, 10)
        """
        decision = np.empty((len(texts), self.n_outputs), dtype=np.float64)
        for start in range(0, len(texts), _CHUNK_TEXTS):
            chunk = texts[start : start + _CHUNK_TEXTS]
            decision[start : start + len(chunk)] = self._decision(chunk)
        decision += self.intercept
        return _sigmoid(decision)

    def _decision(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The decision function of texts, without the intercept.

        Per text and block: the sum of value * coefficient row over its entries,
        in column order (a gather and ``np.add.reduceat``); the blocks are added
        in order, so no sum depends on the other texts.
        """
        norms = [self._normalize(text) for text in texts]
        decision = np.zeros((len(texts), self.n_outputs), dtype=np.float64)
        for block, offset in zip(self._blocks, self._offsets, strict=True):
            coef_t = self._coef_t[offset : offset + block.width]
            if isinstance(block, _TfidfBlock):
                rows = block.rows(norms)
                if not len(rows.value):
                    continue
                starts = rows.starts
                terms = coef_t.take(rows.column, axis=0)
                terms *= rows.value[:, np.newaxis]
                decision[rows.text[starts]] += np.add.reduceat(terms, starts, axis=0)
            else:
                values = block.values(norms)
                for j in range(block.width):
                    decision += values[:, j, np.newaxis] * coef_t[j]
        return decision

    def features(self, text: str) -> _Features:
        """The non-zero feature columns of one text and their values.

        Args:
            text: a raw text (it is normalized here).

        Returns:
            Column indices (into ``coef``'s columns) and their values.
        """
        norm = [self._normalize(text)]
        columns: list[NDArray[np.intp]] = []
        values: list[NDArray[np.float64]] = []
        for block, offset in zip(self._blocks, self._offsets, strict=True):
            if isinstance(block, _TfidfBlock):
                rows = block.rows(norm)
                columns.append(rows.column.astype(np.intp) + offset)
                values.append(rows.value)
            else:
                columns.append(np.arange(block.width, dtype=np.intp) + offset)
                values.append(block.values(norm)[0])
        return np.concatenate(columns), np.concatenate(values)

    def feature_names(self) -> list[str]:
        """Name every column as ``FeatureUnion.get_feature_names_out`` does.

        Returns:
            ``"<block>__<term>"`` per column, in column order (for inspecting ``coef``).
        """
        names: list[str] = []
        for block in self._blocks:
            if isinstance(block, _TfidfBlock):
                terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
                names.extend(f"{block.name}__{term}" for term in terms)
            else:
                names.extend(f"{block.name}__cue_{column}" for column in CUE_COLUMNS)
        return names

    def to_data(self) -> dict[str, Any]:
        """The scorer as dicts, lists, strings, numbers and numpy arrays only.

        Returns:
            What ``from_data`` reads; loading a pickle of it imports no scikit-learn.
        """
        return {
            "format": SCORER_FORMAT,
            "normalizer": self._normalize.to_data(),
            "blocks": [block.to_data() for block in self._blocks],
            "coef": self.coef,
            "intercept": self.intercept,
        }

    @classmethod
    def from_data(cls, raw: Any) -> CompiledScorer:
        """Validate the data of ``to_data`` and build the scorer.

        Args:
            raw: the unpickled data.

        Returns:
            The scorer.

        Raises:
            ValueError: an entry is missing, of the wrong type or shape, or the
                format is not ``SCORER_FORMAT``.
        """
        raw = _mapping(raw, "scorer data")
        if raw.get("format") != SCORER_FORMAT:
            raise ValueError(f"'format' is {raw.get('format')!r}, expected {SCORER_FORMAT!r}")
        normalize = _Normalizer.from_data(raw.get("normalizer"))
        blocks_raw = raw.get("blocks")
        if not isinstance(blocks_raw, list) or not blocks_raw:
            raise ValueError("'blocks' must be a non-empty list")
        blocks: list[_Block] = []
        for item in blocks_raw:
            block_raw = _mapping(item, "block")
            name = _string(block_raw, "name")
            kind = block_raw.get("kind")
            if kind == "tfidf":
                blocks.append(_TfidfBlock.from_data(block_raw, name))
            elif kind == "cues":
                blocks.append(_CueBlock.from_data(block_raw, name, normalize))
            else:
                raise ValueError(f"block {name!r}: unknown kind {kind!r}")
        coef = raw.get("coef")
        intercept = raw.get("intercept")
        if not isinstance(coef, np.ndarray) or not isinstance(intercept, np.ndarray):
            raise ValueError("'coef' and 'intercept' must be numpy arrays")
        coef = _float_array(coef, coef.shape, "'coef'")
        intercept = _float_array(intercept, intercept.shape, "'intercept'")
        return cls(normalize, blocks, coef, intercept)

    def __repr__(self) -> str:
        return f"CompiledScorer(n_features={self.coef.shape[1]}, n_outputs={self.n_outputs})"


def compile_pipeline(pipeline: Any) -> CompiledScorer:
    """Read a fitted ``train.build_pipeline()`` pipeline into a ``CompiledScorer``.

    Needs scikit-learn (training time only).

    Args:
        pipeline: the fitted ``Pipeline`` of ``TextNormalizer``, a ``FeatureUnion``
            of ``TfidfVectorizer``s and a ``CueCounter``, and a multilabel
            ``OneVsRestClassifier`` of binary ``LogisticRegression``s.

    Returns:
        The compiled scorer.

    Raises:
        ValueError: the pipeline has another shape, or a setting the scorer
            cannot reproduce exactly (lower-casing, accent stripping, stop
            words, a custom analyzer, another norm, transformer weights...).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    from interview_diag.model import features as F

    steps = pipeline.steps if isinstance(pipeline, Pipeline) else None
    if (
        steps is None
        or len(steps) != 3
        or not isinstance(steps[0][1], F.TextNormalizer)
        or not isinstance(steps[1][1], FeatureUnion)
        or not isinstance(steps[2][1], OneVsRestClassifier)
    ):
        raise ValueError(
            "expected a Pipeline of TextNormalizer, FeatureUnion and OneVsRestClassifier"
        )
    union, classifier = steps[1][1], steps[2][1]
    if tuple(F.CUE_NAMES) != CUE_COLUMNS:
        raise ValueError(f"CueCounter columns {F.CUE_NAMES} differ from the scorer's {CUE_COLUMNS}")
    normalize = _Normalizer(
        unicode_form="NFKC",
        fold=dict(F._FOLD),
        censored=F._CENSORED,
        censored_token=F.CENSORED_TOKEN,
        spaces=F._SPACES,
    )
    if union.transformer_weights:
        raise ValueError("FeatureUnion transformer_weights are not supported")
    blocks: list[_Block] = []
    for name, step in union.transformer_list:
        if isinstance(step, TfidfVectorizer):
            blocks.append(_compile_tfidf(name, step))
        elif isinstance(step, F.CueCounter):
            blocks.append(
                _CueBlock(
                    name=name,
                    hedge=F._HEDGE,
                    hedge_pileup=F._HEDGE_PILEUP,
                    cap=step.cap,
                    scale=np.array(step.scale_, dtype=np.float64),
                    normalize=normalize,
                )
            )
        else:
            raise ValueError(f"feature step {name!r} ({type(step).__name__}) is not supported")
    if not classifier.multilabel_ or len(classifier.estimators_) < 2:
        raise ValueError("expected a multilabel OneVsRestClassifier with at least two labels")
    for estimator in classifier.estimators_:
        if not isinstance(estimator, LogisticRegression) or len(estimator.classes_) != 2:
            raise ValueError("every one-vs-rest estimator must be a binary LogisticRegression")
    coef = np.vstack([np.asarray(e.coef_, dtype=np.float64) for e in classifier.estimators_])
    intercept = np.concatenate(
        [np.asarray(e.intercept_, dtype=np.float64).reshape(-1) for e in classifier.estimators_]
    )
    if intercept.shape != (len(classifier.estimators_),):
        raise ValueError("every one-vs-rest estimator must have one intercept (or 0.0)")
    return CompiledScorer(normalize, blocks, coef, intercept)


def _compile_tfidf(name: str, vectorizer: Any) -> _TfidfBlock:
    unsupported = {
        "input": ("content",),
        "lowercase": (False,),
        "strip_accents": (None,),
        "preprocessor": (None,),
        "tokenizer": (None,),
        "stop_words": (None,),
        "analyzer": ("word", "char_wb"),
        "binary": (False,),
        "norm": ("l2",),
        "use_idf": (True,),
        "dtype": (np.float64,),
    }
    for param, allowed in unsupported.items():
        value = getattr(vectorizer, param)
        if not any(value is ok or value == ok for ok in allowed):
            raise ValueError(f"vectorizer {name!r}: {param}={value!r} is not supported")
    if vectorizer.analyzer == "word":
        pattern = re.compile(vectorizer.token_pattern)
        if pattern.groups > 1:
            raise ValueError(f"vectorizer {name!r}: token_pattern has several groups")
    else:
        pattern = vectorizer._white_spaces
    ordered = sorted(vectorizer.vocabulary_.items(), key=lambda item: int(item[1]))
    vocabulary = {str(term): int(column) for term, column in ordered}
    return _TfidfBlock(
        name=name,
        analyzer=vectorizer.analyzer,
        ngram_range=(int(vectorizer.ngram_range[0]), int(vectorizer.ngram_range[1])),
        pattern=pattern,
        vocabulary=_vocabulary(vocabulary, name),
        idf=np.array(vectorizer.idf_, dtype=np.float64),
        sublinear_tf=bool(vectorizer.sublinear_tf),
    )


def _word_ngrams(tokens: list[str], min_n: int, max_n: int) -> list[str]:
    """Word n-grams as ``_VectorizerMixin._word_ngrams`` makes them (no stop words)."""
    if max_n == 1:
        return tokens
    grams = list(tokens) if min_n == 1 else []
    n_tokens = len(tokens)
    for n in range(max(min_n, 2), min(max_n, n_tokens) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1))
    return grams


def _char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Char n-grams inside padded words, as ``_VectorizerMixin._char_wb_ngrams`` makes them."""
    grams: list[str] = []
    append = grams.append
    for word in text.split():
        padded = " " + word + " "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            offset = 0
            append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(padded[offset : offset + n])
            if offset == 0:  # a short word (length < n) counts only once
                break
    return grams


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The logistic function, without overflow for large negative inputs."""
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    exp = np.exp(x[~positive])
    out[~positive] = exp / (1.0 + exp)
    return out


def _pattern_data(pattern: re.Pattern[str]) -> dict[str, Any]:
    return {"pattern": pattern.pattern, "flags": int(pattern.flags)}


def _pattern(raw: Mapping[str, Any], key: str) -> re.Pattern[str]:
    entry = raw.get(key)
    if (
        not isinstance(entry, dict)
        or not isinstance(entry.get("pattern"), str)
        or not isinstance(entry.get("flags"), int)
    ):
        raise ValueError(f"{key!r} must be a dict with a 'pattern' string and 'flags' int")
    try:
        return re.compile(entry["pattern"], entry["flags"])
    except re.error as exc:
        raise ValueError(f"{key!r} does not compile: {exc}") from None


def _mapping(raw: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"{what} must be a dict, got {type(raw).__name__}")
    return raw


def _string(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return value


def _vocabulary(raw: Any, name: str) -> dict[str, int]:
    """A term -> column dict whose columns are exactly 0 .. len - 1."""
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"block {name!r}: 'vocabulary' must be a non-empty dict")
    if not all(isinstance(term, str) for term in raw):
        raise ValueError(f"block {name!r}: vocabulary terms must be strings")
    try:
        columns = np.fromiter(raw.values(), dtype=np.int64, count=len(raw))
    except (TypeError, ValueError):
        raise ValueError(f"block {name!r}: vocabulary columns must be ints") from None
    if not np.array_equal(np.sort(columns), np.arange(len(raw))):
        raise ValueError(f"block {name!r}: vocabulary columns must be 0 .. {len(raw) - 1}")
    return raw


def _float_array(raw: Any, shape: tuple[int, ...], what: str) -> NDArray[np.float64]:
    if not isinstance(raw, np.ndarray) or raw.dtype != np.float64 or raw.shape != shape:
        got = (raw.dtype, raw.shape) if isinstance(raw, np.ndarray) else type(raw).__name__
        raise ValueError(f"{what} must be a float64 array of shape {shape}, got {got}")
    if not np.isfinite(raw).all():
        raise ValueError(f"{what} must be finite")
    return raw
