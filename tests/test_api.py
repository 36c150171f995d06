"""The public API: analyze(), Analyzer, bad input, determinism, exact offsets."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import interview_diag as d
from interview_diag import ConfigError

ISSUE_EXAMPLE = (
    "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened."
)


@pytest.mark.parametrize("text", [ISSUE_EXAMPLE])
def test_analyze_issue_example_finds_badmouthing(rules_analyzer, text):
    report = rules_analyzer.analyze(text)
    found = [f for f in report.findings if f.code == "badmouthing"]
    assert len(found) == 1
    ev = found[0].evidence[0]
    assert ev.speaker == "Candidate"
    assert ev.text == "My old boss was an idiot"
    assert ev.text == text[ev.start : ev.end]
    assert report.kind == "transcript"
    assert report.candidate.speaker == "Candidate"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_analyze_empty_input_warns(rules_analyzer, text):
    report = rules_analyzer.analyze(text)
    assert report.findings == ()
    assert any("empty" in w for w in report.warnings)


def test_candidate_given_for_unlabelled_text_is_a_warning(rules_analyzer):
    report = rules_analyzer.analyze("My old boss was an idiot.", candidate="Bob")
    expected = (
        ("badmouthing",),
        None,
        (
            "candidate 'Bob' was given, but the input has no speaker labels: "
            "the whole text is taken as the candidate's",
        ),
    )
    assert expected == (report.codes, report.candidate.speaker, report.warnings)


@pytest.mark.parametrize(
    ("value", "name"), [(b"My boss was an idiot", "bytes"), (42, "int"), (None, "NoneType")]
)
def test_analyze_non_str_raises_type_error_naming_type(rules_analyzer, value, name):
    with pytest.raises(TypeError, match=name):
        rules_analyzer.analyze(value)


@pytest.mark.parametrize("kind", ["memo", "TRANSCRIPT"])
def test_analyze_unknown_kind_raises(rules_analyzer, kind):
    with pytest.raises(ConfigError, match="unknown kind"):
        rules_analyzer.analyze("hello", kind=kind)


@pytest.mark.parametrize(
    ("text", "candidate", "expected"),
    [
        ("Sam: Why did you leave?\nAlex: My old boss was an idiot.", None, "Alex"),
        ("Sam: Why did you leave?\nAlex: My old boss was an idiot.", "sam", "Sam"),
    ],
)
def test_analyze_candidate_override_wins(rules_analyzer, text, candidate, expected):
    report = rules_analyzer.analyze(text, candidate=candidate)
    assert expected == report.candidate.speaker


@pytest.mark.parametrize("text", [ISSUE_EXAMPLE])
def test_analyze_interviewer_turns_give_no_candidate_findings(rules_analyzer, text):
    report = rules_analyzer.analyze(text, candidate="Interviewer")
    assert [f for f in report.findings if f.code == "badmouthing"] == []


@pytest.mark.parametrize("text", [ISSUE_EXAMPLE])
def test_report_json_is_deterministic_and_valid(rules_analyzer, text):
    import jsonschema

    from interview_diag.report import load_schema

    a = rules_analyzer.analyze(text).to_json()
    b = rules_analyzer.analyze(text).to_json()
    assert a == b
    jsonschema.validate(json.loads(a), load_schema())


@pytest.mark.parametrize("text", [ISSUE_EXAMPLE])
def test_report_to_text_names_code_and_quote(rules_analyzer, text):
    out = rules_analyzer.analyze(text).to_text()
    assert "badmouthing" in out
    assert '"My old boss was an idiot"' in out


@pytest.mark.parametrize("n_turns", [3000])
def test_analyze_input_longer_than_max_length(rules_analyzer, evidence_exact, n_turns):
    parts = []
    for i in range(n_turns):
        parts.append(f"Interviewer: Question number {i}, why did you leave?")
        parts.append(f"Candidate: Answer {i}. My old boss was an idiot, honestly.")
    text = "\n".join(parts)
    old = rules_analyzer.nlp.max_length
    rules_analyzer.nlp.max_length = 20_000
    try:
        report = rules_analyzer.analyze(text)
    finally:
        rules_analyzer.nlp.max_length = old
    bad = [f for f in report.findings if f.code == "badmouthing"]
    assert n_turns == len(bad)
    evidence_exact(text, report)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_analyze_arbitrary_text_never_raises_and_is_deterministic(
    rules_analyzer, evidence_exact, text
):
    a = rules_analyzer.analyze(text)
    b = rules_analyzer.analyze(text)
    assert a.to_json() == b.to_json()
    evidence_exact(text, a)


@pytest.mark.parametrize("name", ["__version__", "analyze", "Analyzer", "Report", "Finding"])
def test_package_exports(name):
    assert hasattr(d, name)


def test_import_does_not_load_spacy_or_sklearn():
    import subprocess
    import sys

    code = (
        "import sys, interview_diag; "
        "print(sorted(m for m in ('spacy', 'sklearn', 'joblib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my old boss\nwas an idiot.", "my old boss\nwas an idiot"),
        ("My old boss was an\tidiot.", "My old boss was an\tidiot"),
        ("So what do you  guys do?", "what do you  guys do?"),
    ],
)
def test_analyze_matches_across_line_breaks_and_spaces(rules_analyzer, text, expected):
    report = rules_analyzer.analyze(text)
    assert [expected] == [e.text for f in report.findings for e in f.evidence]


@pytest.mark.parametrize("text", ["abc\ud800def my old boss was an idiot", "\udfff"])
def test_analyze_lone_surrogate_does_not_crash(rules_analyzer, evidence_exact, text):
    report = rules_analyzer.analyze(text)
    evidence_exact(text, report)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"disable": ["badmoutin"]}, "unknown finding code or rule id 'badmoutin'"),
        ({"disable": "badmouthing"}, "must be a list"),
        ({"thresholds": {"badmoutin": 0.5}}, "unknown finding code"),
        ({"thresholds": {"filler_words": {"per_100": 5}}}, "unknown parameter 'per_100'"),
        ({"thresholds": {"rambling": {"max_words": -1}}}, "non-negative number"),
        ({"thresholds": {"badmouthing": 1.5}}, "within 0..1"),
        ({"allow": {"nope": ["x"]}}, "unknown finding code"),
        ({"allow": {"badmouthing": "idiot"}}, "list of phrases"),
    ],
)
def test_analyzer_rejects_invalid_options(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        d.Analyzer(model=None, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "text", "expected"),
    [
        # Two rules read this insult; disabling both by id leaves nothing.
        (
            {"disable": ["BADMOUTH_BOSS_INSULT", "BADMOUTH_COWORKER_PUTDOWN"]},
            "My old boss was an idiot.",
            (),
        ),
        ({"disable": ["BADMOUTH_BOSS_INSULT"]}, "My old boss was an idiot.", ("badmouthing",)),
        ({"allow": {"badmouthing": ["idiot"]}}, "My old boss was an idiot.", ()),
        ({}, "My old boss was an idiot.", ("badmouthing",)),
    ],
)
def test_analyzer_disable_and_allow(kwargs, text, expected):
    assert expected == d.Analyzer(model=None, **kwargs).analyze(text).codes
