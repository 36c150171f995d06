"""Every rule of every rule file carries examples, and every example behaves.

One parametrised test per rule (the test id is the rule id) checks what
STYLE.md lists: the record is valid and unknown keys are rejected, its id is
unique, it has flag and pass examples, each flag example gives exactly one
finding from the rule whose evidence is exactly the ``[[...]]`` span(s), and each
pass example gives none. Examples run with an analyzer restricted to the rule and
the rules of any code it builds on (``params.of_code``), rules only.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from interview_diag import Analyzer, RuleError
from interview_diag.rules.schema import Example, Rule, RuleSet, load_rules, parse_rule_file

ALL: RuleSet = load_rules()


def _file_name(rule: Rule) -> str:
    return Path(rule.path).name


@cache
def _raw_file(name: str) -> dict[str, Any]:
    text = resources.files("interview_diag.rules").joinpath(name).read_text("utf-8")
    return json.loads(text)


def _needed(rule: Rule) -> frozenset[str]:
    """The rule's id and the ids of every rule of the codes it depends on, transitively."""
    ids = {rule.id}
    todo = [rule]
    seen_codes: set[str] = set()
    while todo:
        r = todo.pop()
        code = r.params.get("of_code")
        if isinstance(code, str) and code not in seen_codes:
            seen_codes.add(code)
            for dep in ALL.by_code(code):
                ids.add(dep.id)
                todo.append(dep)
    return frozenset(ids)


@cache
def _analyzer(ids: frozenset[str]) -> Analyzer:
    """An analyzer running only the rules in ``ids`` (built once per set)."""
    return Analyzer(model=None, disable=[r.id for r in ALL.rules if r.id not in ids])


# Example options only a follow-up letter takes (``letters.check_letter``).
_LETTER_OPTIONS = ("interviewer", "interview_level")


def _run(rule: Rule, ex: Example) -> list[Any]:
    opts = dict(ex.options)
    analyzer = _analyzer(_needed(rule))
    if any(k in opts for k in _LETTER_OPTIONS):
        from interview_diag.letters import check_letter

        report = check_letter(
            ex.text,
            report=opts.get("interview_level"),
            company=opts.get("company"),
            interviewer=opts.get("interviewer"),
            role=opts.get("role"),
            analyzer=analyzer,
        )
    else:
        report = analyzer.analyze(
            ex.text,
            kind=opts.get("kind", "auto"),
            company=opts.get("company"),
            role=opts.get("role"),
            job_description=opts.get("job_description"),
            candidate=opts.get("candidate"),
        )
    return [f for f in report.findings if f.rule_id == rule.id]


def _check_flag(rule: Rule, i: int, ex: Example) -> str | None:
    found = _run(rule, ex)
    where = f"{rule.path} {rule.id} flag example {i} {ex.text[:70]!r}"
    if len(found) != 1:
        got = [[e.text for e in f.evidence] for f in found]
        return f"{where}: expected exactly 1 finding, got {len(found)} {got}"
    expected = [(s, e, ex.text[s:e]) for s, e in ex.spans]
    actual = [(e.start, e.end, e.text) for e in found[0].evidence]
    if expected != actual:
        return f"{where}: evidence {actual} != marked {expected}"
    return None


def _check_pass(rule: Rule, i: int, ex: Example) -> str | None:
    found = _run(rule, ex)
    if found:
        got = [[e.text for e in f.evidence] for f in found]
        return f"{rule.path} {rule.id} pass example {i} {ex.text[:70]!r}: fired on {got}"
    return None


@pytest.mark.parametrize("rule", ALL.rules, ids=[r.id for r in ALL.rules])
def test_rule_examples_behave(rule: Rule) -> None:
    """Schema, unique id, examples present, flag examples fire exactly, pass examples do not."""
    raw_file = _raw_file(_file_name(rule))
    raw_rule = next(r for r in raw_file["rules"] if r["id"] == rule.id)
    typo = {**raw_file, "rules": [{**raw_rule, "serverity": "high"}]}
    with pytest.raises(RuleError, match="unknown keys"):
        parse_rule_file(typo, rule.path)
    assert 1 == Counter(r.id for r in ALL.rules)[rule.id], f"{rule.path} {rule.id}: duplicate id"
    assert (True, True) == (bool(rule.message), bool(rule.rationale)), (
        f"{rule.path} {rule.id}: needs a message and a rationale"
    )
    assert rule.flag_examples, f"{rule.path} {rule.id}: no flag example"
    assert rule.pass_examples, f"{rule.path} {rule.id}: no pass example"
    problems = [_check_flag(rule, i, ex) for i, ex in enumerate(rule.flag_examples)]
    problems += [_check_pass(rule, i, ex) for i, ex in enumerate(rule.pass_examples)]
    failures = [p for p in problems if p]
    assert [] == failures, "\n".join(failures)


@pytest.mark.parametrize("code", sorted(ALL.codes))
def test_rule_examples_code_documented(code: str) -> None:
    """Every code has a title, a description and advice a candidate can act on."""
    info = ALL.codes[code]
    assert (True, True, True) == (bool(info.title), bool(info.description), bool(info.advice))


def _write_rule_file(tmp_path: Path, rule: dict[str, Any]) -> Path:
    data = {
        "code": "test_code",
        "title": "A test code",
        "severity": "low",
        "impression": "composure",
        "description": "Only for tests.",
        "advice": "None.",
        "rules": [rule],
    }
    path = tmp_path / "test_code.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


_GOOD_RULE: dict[str, Any] = {
    "id": "TEST_RULE",
    "check": "phrase",
    "message": "A test.",
    "phrases": ["blue moon"],
    "examples": {"flag": ["Once in a [[blue moon]]."], "pass": ["A red moon."]},
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"colour": "red"}, "unknown keys"),
        ({"examples": {"flag": [], "pass": ["A red moon."]}}, "at least one flag"),
        ({"examples": {"flag": ["Once in a [[blue moon]]."], "pass": []}}, "at least one flag"),
        ({"examples": None}, "needs 'examples'"),
    ],
)
def test_rule_examples_bad_file_fails_to_load(
    tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    """A rule file with an unknown key, or without examples of both kinds, does not load."""
    rule = {k: v for k, v in {**_GOOD_RULE, **change}.items() if v is not None}
    path = _write_rule_file(tmp_path, rule)
    with pytest.raises(RuleError, match=problem):
        load_rules([path], builtin=False)


def test_rule_examples_good_file_loads(tmp_path: Path) -> None:
    """The well-formed rule file of the tests above does load (so they fail for their reason)."""
    path = _write_rule_file(tmp_path, dict(_GOOD_RULE))
    assert ("TEST_RULE",) == tuple(r.id for r in load_rules([path], builtin=False).rules)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, ("transcript", "answer", "recap", "letter")),
        (False, ()),
        (["letter", "answer"], ("answer", "letter")),
        ("yes", "error"),
        ([], "error"),
        (["email"], "error"),
    ],
)
def test_classifier_key_takes_a_bool_or_a_list_of_kinds(value: Any, expected: Any) -> None:
    problem = "'classifier' must be true, false or a non-empty list of kinds"
    assert expected == _code_setting("classifier", value, problem)


def _code_setting(key: str, value: Any, problem: str) -> Any:
    """``CodeInfo.<key>`` of whining_begging.json with ``key`` set to ``value`` (left out
    when ``None``), or "error" when loading fails for ``problem``."""
    raw = {k: v for k, v in _raw_file("whining_begging.json").items() if k != key}
    if value is not None:
        raw[key] = value
    try:
        info, _rules = parse_rule_file(raw, "whining_begging.json")
    except RuleError as exc:
        assert problem in str(exc)
        return "error"
    return getattr(info, key)


def test_classifier_is_off_for_letters_only_where_the_rule_file_says_so() -> None:
    """whining_begging: the classifier scores interview answers, not letters."""
    code = "whining_begging"
    analyzer = Analyzer()
    text = "Please, I really need this job, I am begging you to give me one more chance."
    by_kind = {
        kind: sorted(
            {f.source for f in analyzer.analyze(text, kind=kind).findings if f.code == code}
        )
        for kind in ("answer", "letter")
    }
    assert {"answer": ["both", "rule"], "letter": ["rule"]} == by_kind


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 0.0), (0.98, 0.98), (1, 1.0), (1.5, "error"), (-0.1, "error"), ("high", "error")],
)
def test_classifier_min_score_is_a_number_from_0_to_1(value: Any, expected: Any) -> None:
    problem = "'classifier_min_score' must be a number from 0 to 1"
    assert expected == _code_setting("classifier_min_score", value, problem)


def test_classifier_min_score_raises_the_models_threshold() -> None:
    """badmouthing and company_unawareness: the classifier alone must be near-certain."""
    from interview_diag.components.classifier_detector import ClassifierDetector
    from interview_diag.model.artifact import load_model
    from interview_diag.rules.schema import load_rules

    rules = load_rules()
    model = load_model()
    detector = ClassifierDetector(Analyzer(model=None).nlp, "c", model, rules)
    for code in ("badmouthing", "company_unawareness"):
        assert 0.98 == rules.codes[code].classifier_min_score
        assert 0.98 == detector.thresholds[code]
    assert 0.0 == rules.codes["nerves"].classifier_min_score
    assert detector.thresholds["nerves"] < 0.98
    explicit = ClassifierDetector(
        Analyzer(model=None).nlp, "c", model, rules, thresholds={"badmouthing": 0.5}
    )
    assert 0.5 == explicit.thresholds["badmouthing"]
