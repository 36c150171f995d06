"""The overall picture: levels on example reports, impressions, next steps, wiring."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from interview_diag.summary import (
    LEVELS,
    code_totals,
    load_summary_config,
    parse_summary_config,
    report_level,
    summarize,
)
from interview_diag.types import Evidence, Finding, Severity

CONFIG = load_summary_config()


def finding(
    code: str, severity: str, quote: str = "", start: int = 0, **details: object
) -> Finding:
    """A finding as the detectors would make it (evidence only when a quote is given)."""
    evidence = (Evidence(start, start + len(quote), quote, "Candidate", 1),) if quote else ()
    return Finding(
        code=code,
        severity=Severity(severity),
        score=0.9,
        impression="attitude",
        evidence=evidence,
        message="m",
        advice="a",
        rule_id=code.upper(),
        details=dict(details),
    )


BADMOUTH = finding("badmouthing", "high", "my old boss was an idiot", 10)
UNAWARE = finding("company_unawareness", "high", "what do you guys do?", 60)
REPEATED = finding("repeated_job_leaving", "high", count=3)
NO_QUESTIONS = finding("no_questions", "medium", "Nope, I'm good", 120)
FILLERS = finding("filler_words", "low")
NERVES = finding("nerves", "low", "I blanked", 90)
JOB_LEAVING = finding("job_leaving", "info", "left because", 30)
CUES = [
    finding("interviewer_negative_cue", "medium", "kept checking his watch", 200),
    finding("interviewer_negative_cue", "medium", "cut me off", 240),
    finding("interviewer_negative_cue", "medium", "wrapped up after ten minutes", 280),
]

EXAMPLE_REPORTS = [
    ("clean interview", "transcript", [], "fine"),
    ("one explanation of leaving", "transcript", [JOB_LEAVING], "fine"),
    ("a few fillers", "transcript", [FILLERS, NERVES], "fine"),
    ("one bad remark about a boss", "transcript", [BADMOUTH], "some concerns"),
    ("no questions only", "transcript", [NO_QUESTIONS], "some concerns"),
    (
        "the same slip twice",
        "transcript",
        [BADMOUTH, replace(BADMOUTH, evidence=())],
        "some concerns",
    ),
    ("two different serious slips", "transcript", [BADMOUTH, UNAWARE], "serious"),
    ("a series of slips", "transcript", [BADMOUTH, UNAWARE, REPEATED, NO_QUESTIONS], "likely lost"),
    ("recap: nerves and a bored interviewer", "recap", [NERVES, *CUES], "some concerns"),
    ("recap: a remark and a bored interviewer", "recap", [BADMOUTH, *CUES], "serious"),
    ("recap: a series and a bored interviewer", "recap", [BADMOUTH, UNAWARE, *CUES], "likely lost"),
]


@pytest.mark.parametrize(
    ("kind", "findings", "expected"),
    [(k, f, e) for _, k, f, e in EXAMPLE_REPORTS],
    ids=[name for name, *_ in EXAMPLE_REPORTS],
)
def test_summarize_level_of_example_report(
    kind: str, findings: list[Finding], expected: str
) -> None:
    assert expected == summarize(findings, kind=kind, words=200)["level"]  # type: ignore[arg-type]


@pytest.mark.parametrize("severity", [s.value for s in Severity])
@pytest.mark.parametrize("code", sorted(CONFIG.code_factors))
def test_summarize_one_slip_never_decides(code: str, severity: str) -> None:
    level = summarize([finding(code, severity, "x")], kind="transcript")["level"]
    assert level in ("fine", "some concerns")


@pytest.mark.parametrize("n", [2, 3, 5])
def test_summarize_repeats_have_diminishing_returns(n: int) -> None:
    one = code_totals([BADMOUTH], CONFIG)["badmouthing"]
    many = code_totals([replace(BADMOUTH, rule_id=f"R{i}") for i in range(n)], CONFIG)
    assert many["badmouthing"] < 2 * one


@pytest.mark.parametrize(
    "codes", [("no_questions", "premature_perks", "no_company_reference", "rambling")]
)
def test_summarize_distinct_codes_score_more_than_repeats(codes: tuple[str, ...]) -> None:
    distinct = [finding(code, "medium") for code in codes]
    repeated = [replace(distinct[0], rule_id=f"R{i}") for i in range(len(codes))]
    scores = [summarize(f, kind="transcript")["score"] for f in (distinct, repeated)]
    assert scores[0] > 2 * scores[1]


@pytest.mark.parametrize("findings", [[BADMOUTH, UNAWARE, NO_QUESTIONS, *CUES]])
def test_summarize_does_not_depend_on_order(findings: list[Finding]) -> None:
    first = summarize(findings, kind="recap")
    for perm in itertools.islice(itertools.permutations(findings), 0, 720, 37):
        assert first == summarize(list(perm), kind="recap")


@pytest.mark.parametrize("findings", [[NERVES, *CUES]])
def test_summarize_recap_cues_weigh_in(findings: list[Finding]) -> None:
    without = summarize([NERVES], kind="recap")
    with_cues = summarize(findings, kind="recap")
    assert ("fine", "some concerns") == (without["level"], with_cues["level"])
    assert ["interviewer_negative_cue"] == with_cues["impressions"][0]["codes"]


@pytest.mark.parametrize(
    ("found", "impression", "words"),
    [
        (REPEATED, "commitment", "commitment risk"),
        (BADMOUTH, "attitude", "will speak of us the same way"),
        (UNAWARE, "preparation", "poor preparation and low interest"),
        (finding("too_brief", "medium"), "communication", "disengagement"),
    ],
)
def test_summarize_impression_in_plain_words(found: Finding, impression: str, words: str) -> None:
    imp = summarize([found], kind="transcript")["impressions"][0]
    assert (impression, [found.code], True) == (
        imp["impression"],
        imp["codes"],
        words in imp["text"],
    )


@pytest.mark.parametrize("findings", [[NO_QUESTIONS, UNAWARE, BADMOUTH]])
def test_summarize_impressions_heaviest_first_and_grouped(findings: list[Finding]) -> None:
    no_ref = finding("no_company_reference", "medium")
    imps = summarize([*findings, no_ref], kind="transcript")["impressions"]
    expected = [
        ("preparation", ["company_unawareness", "no_company_reference"]),
        ("attitude", ["badmouthing"]),
        ("interest", ["no_questions"]),
    ]
    assert expected == [(i["impression"], i["codes"]) for i in imps]


@pytest.mark.parametrize("findings", [[NO_QUESTIONS, BADMOUTH, UNAWARE, REPEATED]])
def test_summarize_next_steps_follow_findings(findings: list[Finding]) -> None:
    steps = summarize(findings, kind="transcript")["next_steps"]
    assert '"my old boss was an idiot"' in steps[0]
    assert "3 explanation(s)" in steps[2]
    assert "letter draft" in steps[-2]  # then the letter, then keep going
    assert "Keep your other applications moving" in steps[-1]


@pytest.mark.parametrize("found", [finding("hedging", "low")])
def test_summarize_next_step_without_evidence_drops_quote(found: Finding) -> None:
    step = summarize([found], kind="transcript")["next_steps"][0]
    assert ("{quote}" in step, "()" in step, step.endswith('"kind of".')) == (False, False, True)


@pytest.mark.parametrize(("words", "expected"), [(0, []), (None, 1)])
def test_summarize_empty_input_has_no_steps(words: int | None, expected: object) -> None:
    steps = summarize([], kind="transcript", words=words)["next_steps"]
    assert expected == (steps if expected == [] else len(steps))


@pytest.mark.parametrize("findings", [[finding("letter_pushy", "medium", "I expect a reply")]])
def test_summarize_letter_uses_letter_wording(findings: list[Finding]) -> None:
    s = summarize(findings, kind="letter")
    assert ("some concerns", True) == (s["level"], "letter" in s["level_text"])


@pytest.mark.parametrize(
    "text",
    [
        "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened.",
        "",
        "Dear Ms Lee,\n\nThank you for your time.\n\nBest,\nJo",
    ],
)
def test_summary_on_every_analyze_report(rules_analyzer, text: str) -> None:  # type: ignore[no-untyped-def]
    report = rules_analyzer.analyze(text)
    assert report.summary is not None
    assert report.summary["level"] in LEVELS
    assert dict(report.summary) == report.to_dict()["summary"]


@pytest.mark.parametrize("texts", [["My old boss was an idiot.", "Thank you."]])
def test_summary_on_batch_reports(rules_analyzer, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    levels = [r.report.summary["level"] for r in rules_analyzer.pipe(texts)]
    assert ["some concerns", "fine"] == levels


@pytest.mark.parametrize(
    "text", ["Interviewer: Why did you leave?\nCandidate: My old boss was an idiot."]
)
def test_summary_on_spacy_component(text: str) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("interview_diag", config={"model": None})
    report = nlp(text)._.interview_diag
    assert "some concerns" == report.summary["level"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"levels": [{"level": "fine", "below": 1}, {"level": "bad"}]}, "must list"),
        (
            {
                "levels": [
                    {"level": "fine", "below": 3},
                    {"level": "some concerns", "below": 2},
                    {"level": "serious", "below": 9},
                    {"level": "likely lost"},
                ]
            },
            "rising",
        ),
    ],
)
def test_parse_summary_config_rejects_bad_levels(change: dict[str, object], problem: str) -> None:
    import json
    from importlib import resources

    folder = resources.files("interview_diag").joinpath("summary_data")
    scoring = json.loads(folder.joinpath("scoring.json").read_text("utf-8"))
    wording = json.loads(folder.joinpath("wording.json").read_text("utf-8"))
    with pytest.raises(ValueError, match=problem):
        parse_summary_config({**scoring, **change}, wording)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, None),
        ("serious", "serious"),
        ({"summary": {"level": "likely lost"}}, "likely lost"),
        ({"level": "fine"}, "fine"),
    ],
)
def test_report_level_from_any_form(given: object, expected: str | None) -> None:
    assert expected == report_level(given)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["awful", {"summary": None}])
def test_report_level_rejects_unknown(given: object) -> None:
    with pytest.raises(ValueError, match="unknown interview level"):
        report_level(given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["Interviewer: Why did you leave?\nCandidate: My old boss was an idiot."]
)
def test_report_level_of_report_without_summary(rules_analyzer, text: str) -> None:  # type: ignore[no-untyped-def]
    report = rules_analyzer.analyze(text)
    assert "some concerns" == report_level(replace(report, summary=None))
