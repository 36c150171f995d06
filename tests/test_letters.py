"""Checking follow-up letters: the letter rules, their check types, the API, the CLI, the data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from interview_diag import Analyzer, check_letter
from interview_diag.cli import main
from interview_diag.letter_checks import normalise
from interview_diag.letter_evaluation import (
    LETTER_EVAL_CODES,
    evaluate_letters,
    format_letter_table,
    load_letter_examples,
)
from interview_diag.letters import LETTER_CODES
from interview_diag.rules.schema import Example, Rule, load_rules
from interview_diag.types import Report

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "data" / "letters" / "letters.jsonl"
ALL = load_rules()
LETTER_RULES = [r for r in ALL.rules if r.code in LETTER_CODES]

WHINY = """Dear Ms Young,

I felt the questions were unfair and you kept interrupting me. I expect a reply by Friday.

Jamie"""

GOOD = (ROOT / "examples" / "letter_good.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """Rules only: the letter checks do not need the classifier."""
    return Analyzer(model=None)


def _check(rule: Rule, ex: Example, analyzer: Analyzer) -> list[object]:
    opts = dict(ex.options)
    report = check_letter(
        ex.text,
        report=opts.get("interview_level"),
        company=opts.get("company"),
        interviewer=opts.get("interviewer"),
        role=opts.get("role"),
        analyzer=analyzer,
    )
    return [f for f in report.findings if f.rule_id == rule.id]


@pytest.mark.parametrize("rule", LETTER_RULES, ids=[r.id for r in LETTER_RULES])
def test_letter_rule_examples_behave(rule: Rule, analyzer: Analyzer) -> None:
    """Through check_letter (so interview_level applies): flags fire exactly, passes do not."""
    problems = []
    for i, ex in enumerate(rule.flag_examples):
        found = _check(rule, ex, analyzer)
        expected = [[(s, e, ex.text[s:e]) for s, e in ex.spans]]
        actual = [[(e.start, e.end, e.text) for e in f.evidence] for f in found]  # type: ignore[attr-defined]
        if expected != actual:
            problems.append(f"flag {i}: {actual} != {expected}")
    for i, ex in enumerate(rule.pass_examples):
        if _check(rule, ex, analyzer):
            problems.append(f"pass {i} fired")
    assert [] == problems


@pytest.mark.parametrize("code", LETTER_CODES)
def test_letter_codes_have_a_rule_file(code: str) -> None:
    rules = ALL.by_code(code)
    assert (True, True) == (bool(rules), all(r.kinds == ("letter",) for r in rules))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I DIDN\u2019T   know", "i did not know"),
        ("I won't, I can't, I'd, we're", "i will not, i can not, i would, we are"),
        ("Northwind's depot", "northwind's depot"),
    ],
)
def test_letter_checks_normalise(text: str, expected: str) -> None:
    assert expected == normalise(text)


@pytest.mark.parametrize(
    ("text", "company", "expected"),
    [
        (GOOD, None, ()),
        (WHINY, None, ("letter_no_case", "letter_no_thanks")),
        (
            "Dear Ana,\n\nI am writing about the role. I built 3 apps.\n\nJo",
            None,
            ("letter_generic", "letter_no_thanks"),
        ),
        (
            "Dear Ana,\n\nThank you. Brightline's Porto clinic sounds great; I led 3.\n\nJo",
            "Brightline",
            (),
        ),
        (
            "Dear Ana,\n\nThank you for the interview at Brightline. I led 3 clinics.\n\nJo",
            "Brightline",
            ("letter_generic",),
        ),
    ],
)
def test_check_letter_whole_letter_codes(
    analyzer: Analyzer, text: str, company: str | None, expected: tuple[str, ...]
) -> None:
    report = check_letter(text, company=company, analyzer=analyzer)
    whole = tuple(sorted(f.code for f in report.findings if not f.evidence))
    assert expected == whole


@pytest.mark.parametrize("text", [WHINY])
def test_check_letter_report_kind_summary_and_evidence(analyzer: Analyzer, text: str) -> None:
    report = check_letter(text, analyzer=analyzer)
    spans = {(f.code, e.text) for f in report.findings for e in f.evidence}
    assert ("letter", True) == (report.kind, report.summary is not None)
    assert {
        ("letter_blames_others", "you kept interrupting me"),
        ("letter_pushy", "I expect a reply"),
    } <= spans
    assert all(text[e.start : e.end] == e.text for f in report.findings for e in f.evidence)


@pytest.mark.parametrize(
    ("level", "fires"),
    [
        (None, False),
        ("fine", False),
        ("some concerns", False),
        ("serious", True),
        ("likely lost", True),
    ],
)
def test_check_letter_acknowledgement_only_after_bad_interview(
    analyzer: Analyzer, level: str | None, fires: bool
) -> None:
    text = GOOD.replace("I know my answer about forecasting was too vague. ", "")
    report = check_letter(text, report=level, analyzer=analyzer)
    assert fires == ("letter_no_acknowledgement" in report.codes)


@pytest.mark.parametrize("as_dict", [False, True])
def test_check_letter_takes_interview_report(analyzer: Analyzer, as_dict: bool) -> None:
    transcript = (
        "Interviewer: What do you know about us?\nCandidate: Nothing, what do you guys do? "
        "My old boss was an idiot anyway.\nInterviewer: Any questions for us?\nCandidate: Nope."
    )
    interview = analyzer.analyze(transcript)
    given: Report | dict[str, object] = interview.to_dict() if as_dict else interview
    text = GOOD.replace("I know my answer about forecasting was too vague. ", "")
    report = check_letter(text, report=given, analyzer=analyzer)
    expected = interview.summary is not None and interview.summary["level"] in (
        "serious",
        "likely lost",
    )
    assert expected == ("letter_no_acknowledgement" in report.codes)


@pytest.mark.parametrize("level", ["terrible"])
def test_check_letter_rejects_unknown_level(analyzer: Analyzer, level: str) -> None:
    with pytest.raises(ValueError, match="unknown interview level"):
        check_letter(GOOD, report=level, analyzer=analyzer)


@pytest.mark.parametrize("value", [b"bytes", None])
def test_check_letter_rejects_non_text(analyzer: Analyzer, value: object) -> None:
    with pytest.raises(TypeError):
        check_letter(value, analyzer=analyzer)  # type: ignore[arg-type]


@pytest.mark.parametrize(("extra", "fires"), [(0, False), (200, True)])
def test_letter_too_long_evidence_is_whole_letter(
    analyzer: Analyzer, extra: int, fires: bool
) -> None:
    text = GOOD.replace("Best regards", "More. " * extra + "\n\nBest regards") if extra else GOOD
    found = [
        f for f in check_letter(text, analyzer=analyzer).findings if f.code == "letter_too_long"
    ]
    assert fires == bool(found)
    if found:
        ev = found[0].evidence
        assert [(0, len(text.rstrip()))] == [(e.start, e.end) for e in ev]


@pytest.mark.parametrize("path", [ROOT / "examples" / "letter_whiny.txt"])
def test_letter_whiny_example_is_flagged(analyzer: Analyzer, path: Path) -> None:
    if not path.exists():
        pytest.skip("examples/letter_whiny.txt is not written yet")
    report = check_letter(path.read_text(encoding="utf-8"), analyzer=analyzer)
    assert report.findings


@pytest.mark.parametrize("text", [GOOD])
def test_letter_good_example_passes_clean(text: str) -> None:
    """With the default analyzer (rules and the shipped classifier), as the CLI runs it."""
    assert () == check_letter(text, report="serious").findings


# -- the labelled letters ------------------------------------------------------------


def test_letter_set_is_labelled_and_split() -> None:
    examples = load_letter_examples(LETTERS)
    splits = {e.split for e in examples}
    groups = {}
    for e in examples:
        groups.setdefault(e.group, set()).add(e.split)
    per_code = {c: sum(c in e.labels for e in examples) for c in LETTER_EVAL_CODES}
    assert (True, {"dev", "test"}) == (len(examples) >= 150, splits)
    assert all(len(s) == 1 for s in groups.values()), "a group straddles dev and test"
    assert all(n >= 5 for n in per_code.values()), per_code


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "x", "text": "t", "labels": ["nope"], "split": "dev"}', "labels"),
        ('{"id": "x", "text": "t", "labels": [], "split": "train"}', "split"),
        ('{"id": "x", "text": "t", "labels": [], "split": "dev", "colour": 1}', "unknown keys"),
        ('{"id": "x", "text": "t", "labels": [], "split": "dev", "report_level": "meh"}', "level"),
    ],
)
def test_load_letter_examples_rejects_bad_lines(tmp_path: Path, line: str, problem: str) -> None:
    from interview_diag.errors import ParseError

    path = tmp_path / "l.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ParseError, match=problem):
        load_letter_examples(path)


def test_evaluate_letters_counts_errors(tmp_path: Path, analyzer: Analyzer) -> None:
    rows = [
        {"id": "a", "text": WHINY, "labels": ["letter_pushy"], "split": "dev"},
        {"id": "b", "text": GOOD, "labels": [], "split": "dev"},
    ]
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ev = evaluate_letters(analyzer, path, split="dev")
    assert ((1, 0, 0), 1.0, 2) == (ev.counts["letter_pushy"], ev.clean_pass_rate, ev.n_letters)
    assert "+letter_blames_others" in ev.errors["a"]
    assert "| letter_pushy | 1 | 1.00 | 1.00 | 1.00 | 1 | 0 | 0 |" in format_letter_table(ev)


# -- command line ----------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def whiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(WHINY, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_letter_check_flags(capsys, whiny_file: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, ["letter", "check", str(whiny_file), "--no-model", "--format", fmt])
    codes = (
        {f["code"] for f in json.loads(out)["findings"]}
        if fmt == "json"
        else {c for c in ("letter_blames_others", "letter_pushy") if c in out}
    )
    assert (0, True) == (code, {"letter_blames_others", "letter_pushy"} <= codes)


@pytest.mark.parametrize("level", ["serious"])
def test_cli_letter_check_with_report_file(capsys, tmp_path: Path, level: str) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"summary": {"level": level}}), encoding="utf-8")
    letter = tmp_path / "l.txt"
    letter.write_text(GOOD.replace("I know my answer about forecasting was too vague. ", ""))
    argv = [
        "letter",
        "check",
        str(letter),
        "--report",
        str(report),
        "--no-model",
        "--format",
        "json",
    ]
    code, out, _ = run(capsys, argv)
    assert (0, True) == (code, "letter_no_acknowledgement" in out)


@pytest.mark.parametrize(
    ("content", "problem"), [("not json", "not a JSON report"), ('{"summary": null}', "level")]
)
def test_cli_letter_check_bad_report_exits_2(
    capsys, tmp_path: Path, content: str, problem: str
) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.json"
    report.write_text(content, encoding="utf-8")
    code, out, err = run(
        capsys, ["letter", "check", str(report), "--report", str(report), "--no-model"]
    )
    assert (2, "", True, 1) == (code, out, problem in err, len(err.strip().splitlines()))


def test_cli_evaluate_letters(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, ["evaluate", "--letters", str(LETTERS), "--split", "dev", "--no-model"]
    )
    assert (0, True) == (code, all(c in out for c in LETTER_EVAL_CODES))


# -- the whole-letter check types, on their own ------------------------------------------


def _letter_input(text: str, **options: str) -> object:
    from interview_diag import ingest
    from interview_diag.roles import assign_roles, infer_candidate
    from interview_diag.turn_checks import InterviewInput

    transcript = ingest.read(text, fmt="prose")
    transcript = assign_roles(transcript, infer_candidate(transcript, None))
    return InterviewInput(transcript=transcript, kind="letter", contexts=(), options=options)


def _rule(check: str, **params: object) -> Rule:
    return replace(
        ALL.by_code("letter_no_thanks")[0], check=check, phrases=("thank",), params=params
    )


@pytest.mark.parametrize(
    ("text", "params", "options", "fires"),
    [
        ("Dear Ana,\n\nThank you!\n\nJo", {}, {}, False),
        ("Dear Ana,\n\nHello.\n\nJo", {}, {}, True),
        (
            "Dear Ana,\n\nAcme's depot.\n\nJo",
            {"regex": ["{company}'s depot"]},
            {"company": "Acme"},
            False,
        ),
        ("Dear Ana,\n\nAcme's depot.\n\nJo", {"regex": ["{company}'s depot"]}, {}, True),
        ("Dear Ana,\n\nHello.\n\nJo", {"levels": ["serious"]}, {"interview_level": "fine"}, False),
        (
            "Dear Ana,\n\nHello.\n\nJo",
            {"levels": ["serious"]},
            {"interview_level": "serious"},
            True,
        ),
    ],
)
def test_check_letter_missing_phrases_options_and_levels(
    text: str, params: dict[str, object], options: dict[str, str], fires: bool
) -> None:
    from interview_diag.letter_checks import check_letter_missing

    found = check_letter_missing(
        _rule("letter_missing", **params), [], _letter_input(text, **options)
    )  # type: ignore[arg-type]
    assert (fires, ()) == (bool(found), found[0].evidence if found else ())


@pytest.mark.parametrize(("limit", "fires"), [(5, True), (50, False)])
def test_check_letter_length_figures(limit: int, fires: bool) -> None:
    from interview_diag.letter_checks import check_letter_length

    rule = replace(_rule("letter_length", max_words=limit), message="{words} > {limit}")
    found = check_letter_length(rule, [], _letter_input("Dear Ana,\n\nOne two three four.\n\nJo"))  # type: ignore[arg-type]
    assert ([f"7 > {limit}"] if fires else []) == [f.message for f in found]


@pytest.mark.parametrize("check", ["letter_missing", "letter_specificity", "letter_length"])
def test_letter_check_types_are_registered(check: str) -> None:
    from interview_diag.aggregate import TURN_CHECK_FUNCTIONS
    from interview_diag.rules.schema import CHECK_TYPES, TURN_CHECKS

    assert (True, True, True) == (
        check in TURN_CHECK_FUNCTIONS,
        check in CHECK_TYPES,
        check in TURN_CHECKS,
    )


_SPECIFICITY = {
    "first_person": ["i", "me", "my"],
    "second_person": ["you", "your"],
    "conversation_words": ["explaining"],
    "stock_words": [
        "a",
        "and",
        "can",
        "clinic",
        "for",
        "friday",
        "great",
        "grow",
        "meeting",
        "on",
        "people",
        "thank",
        "the",
    ],
    "stock_compound_ends": ["focused"],
    "place_cues": ["in"],
    "min_content": 2,
}


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        # only the clause that names the reader counts, and it holds one content word
        ("I raised grants from trusts, so I can grow your fundraising.", True),
        ("Your team raised grants from trusts.", False),
        # a clause with no subject of its own goes with the one before it
        ("Thank you for meeting me on Friday and for a new rota.", False),
        ("I won on Friday and for a new rota.", True),
        # plurals of stock words and compounds with a stock head are stock
        ("Your people-focused greats.", True),
        ("Your greats and meetings.", True),
        # a capitalised word after a place cue counts twice; numbers and ordinals never
        ("The clinic in Porto.", False),
        ("The clinic in porto.", True),
        ("The 12th clinic.", True),
    ],
)
def test_check_letter_specificity_reader_clauses_stock_and_places(body: str, fires: bool) -> None:
    assert (fires, ()) == _specificity(_SPECIFICITY, f"Dear Ana,\n\n{body}\n\nJo")


def _specificity(params: dict[str, object], letter: str) -> tuple[bool, tuple[object, ...]]:
    """Whether the specificity check fires on the letter with these params, and the
    evidence of its finding (always none)."""
    from interview_diag.letter_checks import check_letter_specificity

    rule = replace(_rule("letter_specificity", **params), phrases=())
    found = check_letter_specificity(rule, [], _letter_input(letter))  # type: ignore[arg-type]
    return bool(found), found[0].evidence if found else ()


_SPECIFICITY_CLAUSES = {
    **_SPECIFICITY,
    "conversation_words": ["tour", "explaining"],
    "stock_words": [*_SPECIFICITY["stock_words"], "about", "company", "decide", "help", "what"],  # type: ignore[misc]
    "lead_phrases": ["you told me", "showing me round"],
    "reader_phrases": ["I understand"],
    "openers": ["with", "please"],
    "place_cues": ["in", "at"],
}


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        # after a lead phrase one content word is enough, but not the words of the phrase
        ("The kiln you told me about.", False),
        ("What you told me about the company.", True),
        ("Thank you for showing me round the bakery.", False),
        ("Thank you for showing me round.", True),
        # a reader phrase makes a first-person clause the reader's
        ("I understand the kiln broke.", False),
        ("I know the kiln broke.", True),
        # a conversation word right after "a" or "an" does not name the reader
        ("I ran the tour desk.", False),
        ("I ran a tour desk.", True),
        # a clause that opens the sentence with an opener goes with the first decided one
        ("With ten kilns fired, I can help.", True),
        ("With ten kilns fired, your team can grow.", False),
        ("Please find my kiln log attached.", True),
        # "if", "before"... open a clause of their own
        ("I can fire kilns before you decide.", True),
        # "the" may stand between a place cue and a place name
        ("The clinic at the Maltings.", False),
    ],
)
def test_check_letter_specificity_leads_reader_phrases_and_openers(body: str, fires: bool) -> None:
    assert (fires, ()) == _specificity(_SPECIFICITY_CLAUSES, f"Dear Ana,\n\n{body}\n\nJo")


_SPECIFICITY_OFFERS = {
    **_SPECIFICITY_CLAUSES,
    "first_person": ["i", "me", "my", "we"],
    "object_person": ["me"],
    "offer_modals": ["could", "would"],
    "offer_verbs": ["lead", "run"],
    "indefinite": ["a", "an", "every"],
    "reader_nouns": ["firm", "company"],
    "reader_noun_stops": ["i", "where"],
}


@pytest.mark.parametrize(
    ("body", "signoff", "fires"),
    [
        # a clause that offers the candidate says nothing of the reader
        ("I am sure I could lead your kiln crews.", "Jo", True),
        ("I am sure I would welcome your kiln crews.", "Jo", False),
        # an object pronoun in the opening words is not the subject
        ("Taking me round the kiln sheds was kind.", "Jo", False),
        # a conversation word after an indefinite word does not name the reader
        ("We fired kilns, safe in every tour.", "Jo", True),
        ("We fired kilns, safe in the tour.", "Jo", False),
        # "the firm" names the reader, "the company I left" does not
        ("I admired the firm plans for kilns.", "Jo", False),
        ("I admired the company I left for kilns.", "Jo", True),
        # a name alone on the last line is not counted in the sign-off paragraph
        ("I fired kilns.", "With warm wishes and thanks again,\nJoseph Amadi", True),
    ],
)
def test_check_letter_specificity_offers_objects_reader_nouns_and_name_line(
    body: str, signoff: str, fires: bool
) -> None:
    letter = f"Dear Ana,\n\n{body}\n\n{signoff}"
    assert (fires, ()) == _specificity(_SPECIFICITY_OFFERS, letter)
