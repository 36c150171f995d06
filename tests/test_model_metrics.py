"""Tests of interview_diag.model.metrics."""

from __future__ import annotations

import pytest

from interview_diag.model.metrics import CodeMetrics, Metrics, score_code, score_predictions


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ([True, True, False], [True, False, True], CodeMetrics(0.5, 0.5, 0.5, 2)),
        ([True, True, False, False], [True, True, True, True], CodeMetrics(0.5, 1.0, 2 / 3, 2)),
        ([False, False], [False, False], CodeMetrics(0.0, 0.0, 0.0, 0)),
        ([True], [False], CodeMetrics(0.0, 0.0, 0.0, 1)),
        ([], [], CodeMetrics(0.0, 0.0, 0.0, 0)),
    ],
)
def test_score_code_counts_precision_recall_f1(
    gold: list[bool], predicted: list[bool], expected: CodeMetrics
) -> None:
    assert expected == score_code(gold, predicted)


@pytest.mark.parametrize(("gold", "predicted"), [([True], [])])
def test_score_code_refuses_unequal_lengths(gold: list[bool], predicted: list[bool]) -> None:
    with pytest.raises(ValueError, match="1 gold decisions but 0 predictions"):
        score_code(gold, predicted)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected_macro", "expected_clean", "expected_clean_support"),
    [
        # nerves perfect; hedging: one hit, one miss; "a" absent (left out of the macro);
        # two clean texts, one with a false alarm.
        (
            [("nerves",), ("hedging",), ("hedging", "nerves"), (), ()],
            [("nerves",), ("hedging",), ("nerves",), (), ("a",)],
            (1.0 + 2 / 3) / 2,
            0.5,
            2,
        ),
        ([()], [()], 0.0, 1.0, 1),
        ([("nerves",)], [()], 0.0, 1.0, 0),
    ],
)
def test_score_predictions_macro_f1_and_clean_pass_rate(
    gold: list[tuple[str, ...]],
    predicted: list[tuple[str, ...]],
    expected_macro: float,
    expected_clean: float,
    expected_clean_support: int,
) -> None:
    metrics = score_predictions(gold, predicted, ["nerves", "hedging", "a"])
    assert expected_macro == metrics.macro_f1
    assert expected_clean == metrics.clean_pass_rate
    assert expected_clean_support == metrics.clean_support
    assert len(gold) == metrics.n_texts
    assert list(metrics.per_code) == ["nerves", "hedging", "a"]


@pytest.mark.parametrize(
    "expected",
    [
        {
            "clean_pass_rate": 0.5,
            "clean_support": 2,
            "macro_f1": 0.8333,
            "n_texts": 5,
            "per_code": {
                "a": {"f1": 0.0, "precision": 0.0, "recall": 0.0, "support": 0},
                "hedging": {"f1": 0.6667, "precision": 1.0, "recall": 0.5, "support": 2},
                "nerves": {"f1": 1.0, "precision": 1.0, "recall": 1.0, "support": 2},
            },
        }
    ],
)
def test_metrics_to_dict_rounds_and_round_trips(expected: dict[str, object]) -> None:
    metrics = score_predictions(
        [("nerves",), ("hedging",), ("hedging", "nerves"), (), ()],
        [("nerves",), ("hedging",), ("nerves",), (), ("a",)],
        ["a", "hedging", "nerves"],
    )
    assert expected == metrics.to_dict()
    assert expected == Metrics.from_dict(metrics.to_dict()).to_dict()


@pytest.mark.parametrize("raw", [{}, {"per_code": {}, "macro_f1": "x"}])
def test_metrics_from_dict_refuses_malformed_input(raw: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="malformed metrics"):
        Metrics.from_dict(raw)
