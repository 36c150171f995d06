"""Golden predictions and invariants of the SHIPPED model (models/ in the repo).

When the model is retrained on purpose, check these sentences by hand and update
the expected labels (see the steps in interview_diag/model/artifact.py).
"""

from __future__ import annotations

from importlib import resources

import pytest

from interview_diag.model.artifact import MODEL_FILE, file_sha256, load_model
from interview_diag.model.dataset import LABELS
from interview_diag.model.scorer import SCORER_FORMAT

MAX_MODEL_BYTES = 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My former boss was clueless and micromanaged the whole team.", ("badmouthing",)),
        ("I left my previous job because the company relocated to another city.", ("job_leaving",)),
        ("Sorry, what exactly does your company do?", ("company_unawareness",)),
        ("No, I think you've covered everything, no questions from me.", ("no_questions",)),
        ("How many vacation days would I get, and is there a signing bonus?", ("premature_perks",)),
        ("I'm so nervous, my mind just went completely blank.", ("nerves",)),
        ("She kept checking her phone and cut me off twice.", ("interviewer_negative_cue",)),
        (
            "Please, I really need this job, I'm begging you to give me a chance.",
            ("whining_begging",),
        ),
        ("Damn, that was a crappy week, excuse my language.", ("unprofessional_language",)),
        ("I guess maybe I sort of kind of helped with it, I think?", ("hedging",)),
        # Model 1.0.1 no longer reads "so I quit" as a reason for leaving (1.0.0 did),
        # and no job_leaving rule matches it either: a known gap.
        (
            "My old boss was a f***ing clown so I quit.",
            ("badmouthing", "unprofessional_language"),
        ),
        ("I led a team of five and we shipped the new billing system two weeks early.", ()),
        ("Thank you for your time today; I enjoyed learning about the data platform team.", ()),
        ("She smiled, nodded and we ran ten minutes over.", ()),
        ("I read about your expansion into Brazil; how is the team organised for that?", ()),
    ],
)
def test_shipped_model_golden_predictions(text: str, expected: tuple[str, ...]) -> None:
    assert (expected,) == load_model().predict([text])


@pytest.mark.parametrize("limit", [MAX_MODEL_BYTES])
def test_shipped_model_is_small(limit: int) -> None:
    data = resources.files("interview_diag.models").joinpath(MODEL_FILE).read_bytes()
    assert len(data) <= limit


@pytest.mark.parametrize("expected_labels", [LABELS])
def test_shipped_manifest_matches_model_and_labels(expected_labels: tuple[str, ...]) -> None:
    import sklearn

    model = load_model()
    data = resources.files("interview_diag.models").joinpath(MODEL_FILE).read_bytes()
    manifest = model.manifest
    assert expected_labels == model.labels
    assert file_sha256(data) == manifest.model_sha256
    assert len(data) == manifest.model_bytes
    assert manifest.model_format == SCORER_FORMAT
    assert sklearn.__version__.split(".")[:2] == manifest.sklearn_version.split(".")[:2]
    assert list(expected_labels) == list(manifest.test_metrics.per_code)
    assert all(m.support > 0 for m in manifest.test_metrics.per_code.values())
    assert all(0.05 <= t <= 0.95 for t in model.thresholds.values())
