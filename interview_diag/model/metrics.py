"""Scores of multi-label predictions against gold labels: pure functions, no I/O.

Used by ``train.py`` for the held-out metrics in the manifest, and by the
``evaluate`` command. Conventions, chosen so every number is defined:

- precision, recall and F1 are 0.0 when their denominator is 0;
- ``macro_f1`` averages F1 over the codes with at least one gold example (a
  code absent from the evaluated set says nothing about the model; its false
  alarms still lower ``clean_pass_rate``), and is 0.0 when no code has one;
- ``clean_pass_rate`` is the share of clean texts (no gold code) that get no
  predicted code at all, and is 1.0 when there is no clean text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class CodeMetrics:
    """Precision, recall, F1 and support of one code.

    Attributes:
        precision: true positives / predicted positives.
        recall: true positives / gold positives.
        f1: harmonic mean of precision and recall.
        support: number of gold positives.
    """

    precision: float
    recall: float
    f1: float
    support: int

    def to_dict(self, digits: int = 4) -> dict[str, float | int]:
        """Return a JSON-ready dict with the scores rounded to ``digits``.

        Args:
            digits: decimal places kept.

        Returns:
            ``{"f1", "precision", "recall", "support"}``.
        """
        return {
            "f1": round(self.f1, digits),
            "precision": round(self.precision, digits),
            "recall": round(self.recall, digits),
            "support": self.support,
        }


@dataclass(frozen=True)
class Metrics:
    """Scores of a set of predictions.

    Attributes:
        per_code: ``CodeMetrics`` per code, in label order.
        macro_f1: mean F1 over codes with support (see module docstring).
        clean_pass_rate: share of clean texts with no predicted code.
        clean_support: number of clean texts.
        n_texts: number of texts scored.
    """

    per_code: Mapping[str, CodeMetrics]
    macro_f1: float
    clean_pass_rate: float
    clean_support: int
    n_texts: int

    def to_dict(self, digits: int = 4) -> dict[str, Any]:
        """Return a JSON-ready dict with the scores rounded to ``digits``.

        Args:
            digits: decimal places kept.

        Returns:
            ``{"clean_pass_rate", "clean_support", "macro_f1", "n_texts", "per_code"}``.
        """
        return {
            "clean_pass_rate": round(self.clean_pass_rate, digits),
            "clean_support": self.clean_support,
            "macro_f1": round(self.macro_f1, digits),
            "n_texts": self.n_texts,
            "per_code": {code: m.to_dict(digits) for code, m in self.per_code.items()},
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Metrics:
        """Rebuild metrics from ``to_dict`` output (for example a manifest).

        Args:
            raw: the decoded dict.

        Returns:
            The metrics.

        Raises:
            ValueError: a key is missing or has the wrong type.
        """
        try:
            per_code = {
                str(code): CodeMetrics(
                    precision=float(m["precision"]),
                    recall=float(m["recall"]),
                    f1=float(m["f1"]),
                    support=int(m["support"]),
                )
                for code, m in dict(raw["per_code"]).items()
            }
            return cls(
                per_code=MappingProxyType(per_code),
                macro_f1=float(raw["macro_f1"]),
                clean_pass_rate=float(raw["clean_pass_rate"]),
                clean_support=int(raw["clean_support"]),
                n_texts=int(raw["n_texts"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed metrics: {exc!r}") from None


def score_code(gold: Sequence[bool], predicted: Sequence[bool]) -> CodeMetrics:
    """Score the binary decisions for one code.

    Args:
        gold: per text, whether the code applies.
        predicted: per text, whether the model says it applies.

    Returns:
        The code's precision, recall, F1 and support.

    Raises:
        ValueError: the two sequences differ in length.

    Example:
        >>> score_code([True, True, False], [True, False, True])
        CodeMetrics(precision=0.5, recall=0.5, f1=0.5, support=2)
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold decisions but {len(predicted)} predictions")
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    n_pred = sum(1 for p in predicted if p)
    n_gold = sum(1 for g in gold if g)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CodeMetrics(precision=precision, recall=recall, f1=f1, support=n_gold)


def score_predictions(
    gold: Sequence[Collection[str]],
    predicted: Sequence[Collection[str]],
    labels: Sequence[str],
) -> Metrics:
    """Score multi-label predictions per code and overall.

    Args:
        gold: per text, the codes that apply.
        predicted: per text, the codes the model predicts.
        labels: the codes to score, in report order.

    Returns:
        The ``Metrics`` of the predictions.

    Raises:
        ValueError: the two sequences differ in length.

    Example:
        >>> m = score_predictions([("nerves",), ()], [("nerves",), ("hedging",)],
        ...                       ["nerves", "hedging"])
        >>> (m.macro_f1, m.clean_pass_rate)
        (1.0, 0.0)
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold label sets but {len(predicted)} predictions")
    per_code = {
        code: score_code([code in g for g in gold], [code in p for p in predicted])
        for code in labels
    }
    supported = [m.f1 for m in per_code.values() if m.support]
    macro_f1 = sum(supported) / len(supported) if supported else 0.0
    clean = [p for g, p in zip(gold, predicted, strict=True) if not g]
    passed = sum(1 for p in clean if not p)
    return Metrics(
        per_code=MappingProxyType(per_code),
        macro_f1=macro_f1,
        clean_pass_rate=passed / len(clean) if clean else 1.0,
        clean_support=len(clean),
        n_texts=len(gold),
    )
