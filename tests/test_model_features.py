"""Tests of the custom transformers in interview_diag.model.features."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from interview_diag.model.features import (
    CENSORED_TOKEN,
    CUE_NAMES,
    CueCounter,
    TextNormalizer,
    normalize_text,
)

# These checks compare transformer outputs with numeric tolerances, which text
# output cannot satisfy; the same properties are tested on text below.
_TEXT_OUTPUT_CHECKS = (
    "check_estimators_pickle",
    "check_fit_idempotent",
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
    "check_pipeline_consistency",
    "check_transformer_data_not_an_array",
    "check_transformer_general",
)


def _expected_failed_checks(estimator: Any) -> dict[str, str]:
    if isinstance(estimator, TextNormalizer):
        reason = "TextNormalizer outputs text; the check compares numbers"
        return dict.fromkeys(_TEXT_OUTPUT_CHECKS, reason)
    return {}


@parametrize_with_checks(
    [TextNormalizer(), CueCounter(), CueCounter(cap=2)],
    expected_failed_checks=_expected_failed_checks,
    xfail_strict=True,
)
def test_transformers_follow_sklearn_contract(estimator: Any, check: Any) -> None:
    check(estimator)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was a sh*t show", f"it was a {CENSORED_TOKEN} show"),
        ("f*** this, f**k that", f"{CENSORED_TOKEN} this, {CENSORED_TOKEN} that"),
        ("that f*cking a**hole", f"that {CENSORED_TOKEN} {CENSORED_TOKEN}"),
        ("What the F*CK?!", f"what the {CENSORED_TOKEN}?!"),
        ("sh!t and a$$hole", f"{CENSORED_TOKEN} and {CENSORED_TOKEN}"),
        ("b*tch.", f"{CENSORED_TOKEN}."),
        ("I\u2019m \u201cfine\u201d \u2014 really", 'i\'m "fine" - really'),
        ("  Tabs\tand\n\nnewlines  ", "tabs and newlines"),
        ("\uff26\uff55\uff4c\uff4c width", "full width"),
        ("Wow! I know C# and 5*3 is 15", "wow! i know c# and 5*3 is 15"),
        ("mail me@example.com", "mail me@example.com"),
        ("**bold** text", "**bold** text"),
    ],
)
def test_normalize_text_folds_case_quotes_and_censored_words(text: str, expected: str) -> None:
    assert expected == normalize_text(text)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["What the F*CK", "OK"], ["what the xxcensored", "ok"]),
        ((), []),
        (np.array(["A\u2019s", "B"], dtype=object), ["a's", "b"]),
    ],
)
def test_text_normalizer_transform_returns_normalized_texts(
    texts: Any, expected: list[str]
) -> None:
    assert expected == TextNormalizer().fit(["x"]).transform(texts).tolist()


@pytest.mark.parametrize(
    "texts",
    [["Sh*t happens", "I guess maybe", "Thanks \u2014 bye", "ok ok"]],
)
def test_text_normalizer_is_order_invariant_idempotent_and_picklable(texts: list[str]) -> None:
    normalizer = TextNormalizer().fit(texts)
    out = normalizer.transform(texts).tolist()
    assert out[::-1] == normalizer.transform(texts[::-1]).tolist()
    assert out == clone(normalizer).fit(texts).fit(texts).transform(texts).tolist()
    assert out == pickle.loads(pickle.dumps(normalizer)).transform(texts).tolist()
    assert out[1:3] == normalizer.transform(texts[1:3]).tolist()


@pytest.mark.parametrize("estimator", [TextNormalizer(), CueCounter()])
def test_transformers_refuse_unfitted_use(estimator: Any) -> None:
    with pytest.raises(NotFittedError):
        estimator.transform(["text"])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("one string", "single string"),
        ([1, 2], "got an element of type int"),
        (["ok", None], "got an element of type NoneType"),
    ],
)
def test_transformers_refuse_non_text_input(bad: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TextNormalizer().fit(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I guess maybe I kind of did it?", [3.0, 1.0, 1.0, 0.0, 0.0]),
        ("I think it went well.", [1.0, 0.0, 0.0, 0.0, 0.0]),
        ("What the f*** is this?! Sh*t!", [0.0, 0.0, 1.0, 2.0, 2.0]),
        ("Kinda, sorta, maybe, perhaps, probably, possibly, I dunno", [6.0, 1.0, 0.0, 0.0, 0.0]),
        ("", [0.0, 0.0, 0.0, 0.0, 0.0]),
    ],
)
def test_cue_counter_counts_cues_before_scaling(text: str, expected: list[float]) -> None:
    counter = CueCounter().fit([text])
    counter.scale_ = np.ones(len(CUE_NAMES))
    assert expected == counter.transform([text]).tolist()[0]


@pytest.mark.parametrize(
    ("train", "expected_scale"),
    [
        (["maybe maybe?", "ok"], [2.0, 1.0, 1.0, 1.0, 1.0]),
        (["maybe " * 20], [6.0, 1.0, 1.0, 1.0, 1.0]),
    ],
)
def test_cue_counter_fit_learns_clipped_scale(
    train: list[str], expected_scale: list[float]
) -> None:
    assert expected_scale == CueCounter().fit(train).scale_.tolist()


@pytest.mark.parametrize(
    "expected",
    [
        [
            "cue_hedge_count",
            "cue_hedge_pileup",
            "cue_question_marks",
            "cue_exclamation_marks",
            "cue_censored_words",
        ]
    ],
)
def test_cue_counter_names_its_features(expected: list[str]) -> None:
    assert expected == CueCounter().fit(["a"]).get_feature_names_out().tolist()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["maybe", "I guess"], ["ok?", "fine"]],
            [[2.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0]],
        )
    ],
)
def test_cue_counter_joins_the_cells_of_2d_input(rows: list[list[str]], expected: Any) -> None:
    counter = CueCounter().fit(rows)
    counter.scale_ = np.ones(len(CUE_NAMES))
    assert counter.n_features_in_ == 2
    assert expected == counter.transform(rows).tolist()
