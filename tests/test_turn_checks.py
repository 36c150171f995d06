"""Turn-level check types: unit tests on hand-built interviews, and order independence."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_diag.aggregate import aggregate
from interview_diag.layout import evidence_in_turn
from interview_diag.questions import turn_contexts
from interview_diag.rules.schema import Rule, load_rules
from interview_diag.turn_checks import (
    TURN_CHECKS,
    InterviewInput,
    check_absent_topic,
    check_answer_length,
    check_brevity,
    check_repeated_across_turns,
    check_term_coverage,
    check_token_rate,
    count_words,
    group_answers,
    key_terms,
    stem,
)
from interview_diag.types import Chunk, Finding, Severity, Transcript, Turn

RULES = load_rules()


def _rule(rule_id: str) -> Rule:
    return RULES.get(rule_id)


def _interview(
    *pairs: tuple[str, str],
    kind: str = "transcript",
    options: dict[str, Any] | None = None,
    thresholds: dict[str, Any] | None = None,
) -> InterviewInput:
    """An interview from ``(role, text)`` pairs, laid out as ``Role: text`` lines."""
    source = ""
    turns = []
    for i, (role, text) in enumerate(pairs):
        label = f"{role.capitalize()}: "
        start = len(source) + len(label)
        source += label + text + "\n"
        chunk = Chunk(0, len(text), start, start + len(text))
        turns.append(Turn(i, role.capitalize(), text, (chunk,), role))  # type: ignore[arg-type]
    transcript = Transcript(source, "labelled", tuple(turns))
    return InterviewInput(
        transcript=transcript,
        kind=kind,  # type: ignore[arg-type]
        contexts=turn_contexts(transcript.turns),
        options=options or {},
        thresholds=thresholds or {},
    )


def _finding(inp: InterviewInput, code: str, turn: int, phrase: str, rule_id: str = "R") -> Finding:
    t = inp.transcript.turns[turn]
    start = t.text.index(phrase)
    return Finding(
        code=code,
        severity=Severity.INFO,
        score=0.9,
        impression="commitment",
        evidence=evidence_in_turn(inp.transcript, t, start, start + len(phrase)),
        message="m",
        advice="a",
        rule_id=rule_id,
    )


def _texts(findings: list[Finding]) -> list[list[str]]:
    return [[e.text for e in f.evidence] for f in findings]


# -- helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Um, I'd say it's well-known.", 5), ("", 0), ("£30k - 40k", 2), ("a b  c\nd", 4)],
)
def test_count_words_counts_words_not_symbols(text: str, expected: int) -> None:
    assert expected == count_words(text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("forecasting", "forecasts"),
        ("managed", "manager"),
        ("inventories", "inventory"),
        ("SQL", "sql"),
    ],
)
def test_stem_matches_word_forms(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_turn_checks_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        TURN_CHECKS["new"] = check_brevity  # type: ignore[index]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (
            [
                ("interviewer", "Tell me about yourself."),
                ("candidate", "I run a depot."),
                ("interviewer", "Mm-hmm."),
                ("candidate", "For four years now."),
            ],
            [("tell_me_about_yourself", 8)],
        ),
        (
            [
                ("interviewer", "Why did you leave?"),
                ("candidate", "Growth."),
                ("interviewer", "Do you have any questions?"),
                ("candidate", "No."),
            ],
            [("why_left", 1), ("questions_for_us", 1)],
        ),
    ],
)
def test_group_answers_reads_across_backchannel(
    pairs: list[tuple[str, str]], expected: list[tuple[str, int]]
) -> None:
    answers = group_answers(_interview(*pairs))
    assert expected == [(a.question, a.words) for a in answers]


# -- answer_length ------------------------------------------------------------------

_LONG = " ".join(["word"] * 260)


@pytest.mark.parametrize(
    ("words", "expected"),
    [(240, []), (260, [Severity.LOW]), (520, [Severity.MEDIUM])],
)
def test_answer_length_flags_answers_over_the_limit(words: int, expected: list[Severity]) -> None:
    inp = _interview(("candidate", " ".join(["word"] * words)), kind="answer")
    found = check_answer_length(_rule("RAMBLING_LONG_ANSWER"), [], inp)
    assert expected == [f.severity for f in found]


def test_answer_length_evidence_is_the_opening_words() -> None:
    inp = _interview(("candidate", _LONG), kind="answer")
    (finding,) = check_answer_length(_rule("RAMBLING_LONG_ANSWER"), [], inp)
    assert (25, "An answer of 260 words, past the 250-word mark (1.0 times).") == (
        count_words(finding.evidence[0].text),
        finding.message,
    )


@pytest.mark.parametrize(("long_words", "expected"), [(90, 0), (130, 1)])
def test_answer_length_compares_with_the_median_answer(long_words: int, expected: int) -> None:
    short = " ".join(["word"] * 20)
    inp = _interview(
        ("interviewer", "Tell me about yourself."),
        ("candidate", short),
        ("interviewer", "Why this role?"),
        ("candidate", short),
        ("interviewer", "Tell me about a time you failed."),
        ("candidate", short),
        ("interviewer", "And another?"),
        ("candidate", " ".join(["word"] * long_words)),
    )
    assert expected == len(check_answer_length(_rule("RAMBLING_LONG_ANSWER"), [], inp))


def test_answer_length_threshold_override() -> None:
    inp = _interview(
        ("candidate", _LONG), kind="answer", thresholds={"rambling": {"max_words": 300}}
    )
    assert [] == check_answer_length(_rule("RAMBLING_LONG_ANSWER"), [], inp)


# -- brevity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("Tell me about yourself.", "I'm Sam.", [["I'm Sam."]]),
        ("What's your notice period?", "Four weeks.", []),
        ("Tell me about yourself.", "Sorry, my work or my studies?", []),
        ("Tell me about yourself.", "I have run a warehouse team of twelve for four years.", []),
    ],
)
def test_brevity_flags_one_line_answers_to_open_questions(
    question: str, answer: str, expected: list[list[str]]
) -> None:
    inp = _interview(("interviewer", question), ("candidate", answer))
    assert expected == _texts(check_brevity(_rule("TOO_BRIEF_ANSWER"), [], inp))


@pytest.mark.parametrize(("candidate_words", "expected"), [(20, 1), (120, 0)])
def test_brevity_flags_a_candidate_who_barely_spoke(candidate_words: int, expected: int) -> None:
    inp = _interview(
        ("interviewer", " ".join(["talk"] * 150) + "?"),
        ("candidate", " ".join(["word"] * candidate_words)),
    )
    found = check_brevity(_rule("TOO_BRIEF_SHARE"), [], inp)
    assert (expected, []) == (len(found), [e for f in found for e in f.evidence])


def test_brevity_share_needs_a_long_enough_interview() -> None:
    inp = _interview(("interviewer", "Hello there, welcome in."), ("candidate", "Hi."))
    assert [] == check_brevity(_rule("TOO_BRIEF_SHARE"), [], inp)


# -- token_rate ---------------------------------------------------------------------

_FILLED = (
    "Um, so I, like, ran the stock counts, you know, every week. We basically counted "
    "everything twice and, uh, actually found the cause, which was the labels on the "
    "pallets in the goods-in area, and we fixed it within a week with the supplier."
)


def test_token_rate_counts_each_filler() -> None:
    inp = _interview(("candidate", _FILLED), kind="answer")
    (finding,) = check_token_rate(_rule("FILLER_WORDS_RATE"), [], inp)
    expected = {"actually": 1, "basically": 1, "like": 1, "uh": 1, "um": 1, "you know": 1}
    assert (expected, ["Um", "like", "you know", "basically", "uh", "actually"]) == (
        finding.details["counts"],
        [e.text for e in finding.evidence],
    )


@pytest.mark.parametrize(
    "text",
    [
        "What kind of support do new starters get? I'd like to know, as you know, how the "
        "first month is planned, because I like to prepare and a clear plan helps everyone "
        "settle in quickly and do good work from the first week on the floor.",
        "I ran goods-in for four years. I built the weekly dock-to-stock report, found that "
        "two suppliers caused most delays, and agreed new booking slots with them, so our "
        "average time fell from nine hours to five within two months.",
    ],
)
def test_token_rate_ignores_words_that_are_not_fillers(text: str) -> None:
    inp = _interview(("candidate", text), kind="answer")
    assert [] == check_token_rate(_rule("FILLER_WORDS_RATE"), [], inp)


def test_token_rate_ignores_the_interviewer() -> None:
    inp = _interview(("interviewer", _FILLED), ("candidate", "I ran the counts every week."))
    assert [] == check_token_rate(_rule("FILLER_WORDS_RATE"), [], inp)


# -- term_coverage ------------------------------------------------------------------

_JD = (
    "You will own demand forecasting and inventory reports in SQL. Demand forecasting "
    "accuracy and inventory turnover matter. Work with transport planners on freight costs."
)


def test_key_terms_prefers_repeated_bigrams() -> None:
    terms = key_terms(_JD, _rule("ROLE_TERMS_MISSING").params)
    assert (True, False) == ("demand forecasting" in terms, "demand" in terms)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("I like helping customers and keeping shelves tidy.", 1),
        (
            "I run demand forecasting and inventory reports in SQL, work with transport "
            "planners on freight costs, and track accuracy and turnover.",
            0,
        ),
    ],
)
def test_term_coverage_fires_below_the_coverage(answer: str, expected: int) -> None:
    inp = _interview(
        ("interviewer", "Tell me about yourself."),
        ("candidate", answer),
        options={"job_description": _JD},
    )
    found = check_term_coverage(_rule("ROLE_TERMS_MISSING"), [], inp)
    assert expected == len(found)


def test_term_coverage_details_list_missing_terms() -> None:
    inp = _interview(
        ("candidate", "I wrote SQL reports on inventory every week."),
        options={"job_description": _JD},
    )
    (finding,) = check_term_coverage(_rule("ROLE_TERMS_MISSING"), [], inp)
    assert (True, False, ()) == (
        "demand forecasting" in finding.details["missing"],
        "sql" in finding.details["missing"],
        finding.evidence,
    )


def test_term_coverage_needs_a_job_description() -> None:
    inp = _interview(("candidate", "I like helping customers."))
    assert [] == check_term_coverage(_rule("ROLE_TERMS_MISSING"), [], inp)


# -- absent_topic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interviewer", "answer", "options", "expected"),
    [
        (
            "Welcome to Northwind Logistics. Tell me about yourself.",
            "I like numbers.",
            {},
            [["Northwind Logistics"]],
        ),
        ("Tell me about yourself.", "I like numbers.", {"company": "Northwind"}, [[]]),
        ("Welcome to Northwind Logistics.", "Northwind's depots are why I applied.", {}, []),
        ("Tell me about yourself.", "I'm an analyst at heart.", {"role": "Operations Analyst"}, []),
        ("Tell me about yourself.", "I like numbers.", {}, []),
    ],
)
def test_absent_topic_fires_when_the_company_is_never_named(
    interviewer: str, answer: str, options: dict[str, str], expected: list[list[str]]
) -> None:
    inp = _interview(("interviewer", interviewer), ("candidate", answer), options=options)
    assert expected == _texts(check_absent_topic(_rule("NO_COMPANY_REFERENCE"), [], inp))


def test_absent_topic_message_names_the_subject() -> None:
    inp = _interview(("candidate", "I like numbers."), options={"company": "Acme", "role": "Buyer"})
    (finding,) = check_absent_topic(_rule("NO_COMPANY_REFERENCE"), [], inp)
    assert "Never mentions Acme or the Buyer role." == finding.message


# -- repeated_across_turns ----------------------------------------------------------


def test_repeated_across_turns_counts_turns() -> None:
    inp = _interview(
        ("interviewer", "Why did you leave?"),
        ("candidate", "I left because of the hours."),
        ("interviewer", "And after that?"),
        ("candidate", "I quit because of the pay."),
    )
    found = [
        _finding(inp, "job_leaving", 1, "left because"),
        _finding(inp, "job_leaving", 3, "quit because"),
    ]
    (finding,) = check_repeated_across_turns(_rule("REPEATED_JOB_LEAVING"), found, inp)
    assert (Severity.MEDIUM, [["left because", "quit because"]]) == (
        finding.severity,
        _texts([finding]),
    )


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        (
            "I left the bakery because of hours. I quit the café because of pay. "
            "I'm leaving Acme Foods because it's closing.",
            ["left the bakery because", "quit the café because", "leaving Acme Foods because"],
            [Severity.HIGH],
        ),
        (
            "I left Acme because of the commute. Leaving was hard because I liked the team.",
            ["left Acme because", "Leaving was hard because"],
            [],
        ),
    ],
)
def test_repeated_across_turns_counts_subjects_within_a_turn(
    text: str, phrases: list[str], expected: list[Severity]
) -> None:
    inp = _interview(("candidate", text), kind="answer")
    found = [_finding(inp, "job_leaving", 0, p) for p in phrases]
    assert expected == [
        f.severity for f in check_repeated_across_turns(_rule("REPEATED_JOB_LEAVING"), found, inp)
    ]


def test_repeated_across_turns_same_employer_twice_is_one() -> None:
    inp = _interview(
        ("interviewer", "Why did you leave Acme?"),
        ("candidate", "I left Acme because of pay."),
        ("interviewer", "Sorry, why again?"),
        ("candidate", "I left Acme because of the pay."),
    )
    found = [
        _finding(inp, "job_leaving", 1, "left Acme because"),
        _finding(inp, "job_leaving", 3, "left Acme because"),
    ]
    assert [] == check_repeated_across_turns(_rule("REPEATED_JOB_LEAVING"), found, inp)


# -- aggregate does not depend on the order of the findings ---------------------------

_ORDER_INPUT = _interview(
    ("interviewer", "Welcome to Northwind. Why did you leave your last job?"),
    (
        "candidate",
        "I left because my old boss was an idiot. Then I quit the bakery because of pay.",
    ),
    ("interviewer", "Tell me about yourself."),
    ("candidate", "Um, like, I, uh, basically run the tills, you know, and, um, the rota."),
)
_PHRASES = [
    ("job_leaving", 1, "left because"),
    ("job_leaving", 1, "quit the bakery because"),
    ("badmouthing", 1, "my old boss was an idiot"),
    ("badmouthing", 1, "old boss was an idiot"),
    ("job_leaving", 3, "run the tills"),
    ("nerves", 3, "Um, like"),
]


@settings(max_examples=60, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(range(len(_PHRASES))), min_size=1, max_size=8),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_aggregate_result_does_not_depend_on_input_order(chosen: list[int], seed: int) -> None:
    findings = [
        _finding(_ORDER_INPUT, code, turn, phrase, rule_id=f"R{i}")
        for i, (code, turn, phrase) in ((i, _PHRASES[i]) for i in chosen)
    ]
    shuffled = list(findings)
    random.Random(seed).shuffle(shuffled)
    assert aggregate(findings, _ORDER_INPUT, RULES) == aggregate(shuffled, _ORDER_INPUT, RULES)
