"""Loading and validating rule files.

A rule file is ``interview_diag/rules/<code>.json``: one finding code with its
default severity, impression and advice, and a list of rules. Each rule names a
check type (see ``CHECK_TYPES``), carries its own data (token patterns, phrases or
parameters) and its own examples that must and must not fire. Unknown keys are
rejected so that a typo in a rule file fails loudly instead of being ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from interview_diag.errors import Messages, RuleError
from interview_diag.types import IMPRESSIONS, KINDS, Impression, Kind, Severity

# Span-level checks run inside the rule detector; turn-level checks run in aggregate.
SPAN_CHECKS = ("phrase", "token_pattern", "cluster")
TURN_CHECKS = (
    "repeated_across_turns",
    "absent_topic",
    "term_coverage",
    "answer_length",
    "brevity",
    "token_rate",
    "letter_missing",
    "letter_specificity",
    "letter_length",
)
CHECK_TYPES = SPAN_CHECKS + TURN_CHECKS

CONTEXT_MODIFIERS = ("negation", "hypothetical", "reported_other")
SPEAKERS = ("candidate", "interviewer", "any")

_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_MARK_RE = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)

_FILE_KEYS = {
    "code",
    "title",
    "severity",
    "impression",
    "advice",
    "description",
    "classifier",
    "classifier_min_score",
    "rules",
}
_RULE_KEYS = {
    "id",
    "code",
    "check",
    "severity",
    "message",
    "advice",
    "rationale",
    "speaker",
    "kinds",
    "patterns",
    "phrases",
    "attr",
    "after_questions",
    "unless_raised",
    "context",
    "exceptions",
    "params",
    "score",
    "examples",
}
# ``interviewer`` and ``interview_level`` are letter options (see ``letters.check_letter``).
_EXAMPLE_OPTIONS = (
    "kind",
    "company",
    "role",
    "job_description",
    "candidate",
    "interviewer",
    "interview_level",
)
_EXAMPLE_KEYS = {"text", "note", *_EXAMPLE_OPTIONS}


@dataclass(frozen=True)
class Example:
    """One example of a rule: the input text and, for flag examples, the marked spans.

    Attributes:
        text: the input with the ``[[...]]`` markers removed.
        spans: the character ranges the markers enclosed, in order.
        options: keyword options for ``analyze`` (kind, company, role...).
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    options: Mapping[str, str]


@dataclass(frozen=True)
class Rule:
    """One validated rule record."""

    id: str
    code: str
    check: str
    severity: Severity
    impression: Impression
    message: str
    advice: str
    rationale: str
    speaker: str
    kinds: tuple[Kind, ...]
    patterns: tuple[tuple[Mapping[str, Any], ...], ...]
    phrases: tuple[str, ...]
    attr: str
    after_questions: tuple[str, ...]
    unless_raised: tuple[str, ...]
    context: tuple[str, ...]
    exceptions: tuple[str, ...]
    params: Mapping[str, Any]
    score: float
    flag_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    path: str = ""


@dataclass(frozen=True)
class CodeInfo:
    """What a finding code means: its defaults, shared by all its rules."""

    code: str
    title: str
    severity: Severity
    impression: Impression
    advice: str
    description: str
    classifier: tuple[Kind, ...] = KINDS
    """The input kinds on which the trained classifier may report this code
    (the rule file's ``"classifier"``: ``true`` for all, ``false`` for none, or a
    list of kinds)."""
    classifier_min_score: float = 0.0
    """The lowest score at which the classifier may report this code (the rule
    file's ``"classifier_min_score"``, default 0): a floor under the model's own
    threshold for codes where a wrong classifier finding costs most."""


def _classifier_kinds(value: object, path: str) -> tuple[Kind, ...]:
    """The kinds a rule file's ``"classifier"`` value lets the classifier report on."""
    if value is True:
        return KINDS
    if value is False:
        return ()
    if isinstance(value, list) and value and all(k in KINDS for k in value):
        return tuple(k for k in KINDS if k in value)
    problem = f"'classifier' must be true, false or a non-empty list of kinds from {list(KINDS)}"
    raise RuleError(Messages.IDG010.format(path=path, problem=problem))


@dataclass(frozen=True)
class RuleSet:
    """All rules in force, with the codes they belong to."""

    rules: tuple[Rule, ...]
    codes: Mapping[str, CodeInfo] = field(default_factory=dict)

    def without(self, names: Iterable[str]) -> RuleSet:
        """The rules left once those whose code or id is in ``names`` are removed."""
        off = set(names)
        kept = tuple(r for r in self.rules if r.code not in off and r.id not in off)
        return RuleSet(rules=kept, codes=self.codes)

    def by_code(self, code: str) -> tuple[Rule, ...]:
        """The rules of one code, in file order."""
        return tuple(r for r in self.rules if r.code == code)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id.

        Raises:
            KeyError: no such rule.
        """
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def parse_example(raw: Any, where: str) -> Example:
    """Read one example (a string or an object with ``text``) and its ``[[...]]`` marks.

    Args:
        raw: the JSON value.
        where: file and rule id, for error messages.

    Returns:
        The example with markers removed and the marked spans in the cleaned text.
    """
    options: dict[str, str] = {}
    if isinstance(raw, str):
        marked = raw
    elif isinstance(raw, dict):
        unknown = set(raw) - _EXAMPLE_KEYS
        if unknown:
            raise RuleError(f"{where}: unknown example keys {sorted(unknown)}")
        if not isinstance(raw.get("text"), str):
            raise RuleError(f"{where}: an example object needs a string 'text'")
        marked = raw["text"]
        for k in _EXAMPLE_OPTIONS:
            if k in raw:
                if not isinstance(raw[k], str):
                    raise RuleError(f"{where}: example {k!r} must be a string")
                options[k] = raw[k]
    else:
        raise RuleError(f"{where}: an example must be a string or an object")
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        inner = m.group(1)
        spans.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise RuleError(f"{where}: unbalanced [[ ]] marker in example {marked!r}")
    return Example(text=text, spans=tuple(spans), options=options)


def _require(cond: bool, path: str, rule_id: str, problem: str) -> None:
    if not cond:
        raise RuleError(Messages.IDG011.format(rule_id=rule_id, path=path, problem=problem))


def _str_list(value: Any, path: str, rule_id: str, key: str) -> tuple[str, ...]:
    _require(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        path,
        rule_id,
        f"{key!r} must be a list of strings",
    )
    return tuple(cast(list[str], value))


def _validate_rule(raw: Any, info: CodeInfo, path: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(Messages.IDG010.format(path=path, problem="each rule must be an object"))
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
        raise RuleError(
            Messages.IDG010.format(path=path, problem=f"rule id {rule_id!r} must be UPPER_SNAKE")
        )
    unknown = set(raw) - _RULE_KEYS
    _require(not unknown, path, rule_id, f"unknown keys {sorted(unknown)}")
    code = raw.get("code", info.code)
    _require(code == info.code, path, rule_id, f"code {code!r} differs from the file's code")
    check = raw.get("check")
    _require(check in CHECK_TYPES, path, rule_id, f"check must be one of {CHECK_TYPES}")
    severity = Severity.parse(raw.get("severity", info.severity))
    message = raw.get("message")
    _require(isinstance(message, str) and bool(message), path, rule_id, "needs a 'message'")
    advice = raw.get("advice", info.advice)
    _require(isinstance(advice, str) and bool(advice), path, rule_id, "needs 'advice'")
    rationale = raw.get("rationale", "")
    _require(isinstance(rationale, str), path, rule_id, "'rationale' must be a string")
    speaker = raw.get("speaker", "candidate")
    _require(speaker in SPEAKERS, path, rule_id, f"speaker must be one of {SPEAKERS}")
    kinds = _str_list(raw.get("kinds", list(KINDS)), path, rule_id, "kinds")
    _require(all(k in KINDS for k in kinds), path, rule_id, f"kinds must be among {KINDS}")
    patterns_raw = raw.get("patterns", [])
    _require(
        isinstance(patterns_raw, list)
        and all(
            isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in patterns_raw
        ),
        path,
        rule_id,
        "'patterns' must be a list of non-empty lists of token objects",
    )
    phrases = _str_list(raw.get("phrases", []), path, rule_id, "phrases")
    if check == "token_pattern":
        _require(bool(patterns_raw), path, rule_id, "a token_pattern rule needs 'patterns'")
    if check in ("phrase", "cluster"):
        _require(bool(phrases), path, rule_id, f"a {check} rule needs 'phrases'")
    attr = raw.get("attr", "LOWER")
    _require(attr in ("LOWER", "ORTH", "NORM"), path, rule_id, "attr must be LOWER, ORTH or NORM")
    context = _str_list(raw.get("context", list(CONTEXT_MODIFIERS)), path, rule_id, "context")
    _require(
        all(c in CONTEXT_MODIFIERS for c in context),
        path,
        rule_id,
        f"context must be among {CONTEXT_MODIFIERS}",
    )
    params = raw.get("params", {})
    _require(isinstance(params, dict), path, rule_id, "'params' must be an object")
    score = raw.get("score", 0.9)
    _require(
        isinstance(score, (int, float)) and 0.0 <= float(score) <= 1.0,
        path,
        rule_id,
        "'score' must be a number in 0..1",
    )
    examples = raw.get("examples")
    _require(
        isinstance(examples, dict) and set(examples) <= {"flag", "pass"},
        path,
        rule_id,
        "needs 'examples' with 'flag' and 'pass' lists",
    )
    where = f"{path} {rule_id}"
    assert isinstance(examples, dict)
    flag = tuple(parse_example(e, where) for e in examples.get("flag", []))
    passing = tuple(parse_example(e, where) for e in examples.get("pass", []))
    _require(
        bool(flag) and bool(passing), path, rule_id, "needs at least one flag and one pass example"
    )
    for ex in flag:
        # A turn-level finding may rest on what is missing (no evidence): its flag
        # example then marks nothing, and the finding must carry no evidence.
        _require(
            bool(ex.spans) or check in TURN_CHECKS,
            path,
            rule_id,
            f"flag example without [[ ]] span: {ex.text!r}",
        )
    for ex in passing:
        _require(not ex.spans, path, rule_id, f"pass example with a [[ ]] span: {ex.text!r}")
    return Rule(
        id=rule_id,
        code=info.code,
        check=cast(str, check),
        severity=severity,
        impression=info.impression,
        message=cast(str, message),
        advice=cast(str, advice),
        rationale=rationale,
        speaker=cast(str, speaker),
        kinds=cast(tuple[Kind, ...], kinds),
        patterns=tuple(tuple(p) for p in patterns_raw),
        phrases=phrases,
        attr=cast(str, attr),
        after_questions=_str_list(raw.get("after_questions", []), path, rule_id, "after_questions"),
        unless_raised=_str_list(raw.get("unless_raised", []), path, rule_id, "unless_raised"),
        context=context,
        exceptions=_str_list(raw.get("exceptions", []), path, rule_id, "exceptions"),
        params=MappingProxyType(dict(params)),
        score=float(score),
        flag_examples=flag,
        pass_examples=passing,
        path=path,
    )


def parse_rule_file(data: Any, path: str) -> tuple[CodeInfo, tuple[Rule, ...]]:
    """Validate the JSON content of one rule file.

    Args:
        data: the decoded JSON.
        path: where it came from, for error messages.

    Returns:
        The code's defaults and its rules.

    Raises:
        RuleError: anything is missing, unknown or inconsistent.
    """
    if not isinstance(data, dict):
        raise RuleError(Messages.IDG010.format(path=path, problem="must hold a JSON object"))
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise RuleError(
            Messages.IDG010.format(path=path, problem=f"unknown keys {sorted(unknown)}")
        )
    code = data.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise RuleError(Messages.IDG010.format(path=path, problem="'code' must be lower_snake"))
    impression = data.get("impression")
    if impression not in IMPRESSIONS:
        raise RuleError(
            Messages.IDG010.format(path=path, problem=f"'impression' must be one of {IMPRESSIONS}")
        )
    for key in ("title", "advice"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RuleError(Messages.IDG010.format(path=path, problem=f"needs a {key!r} string"))
    try:
        severity = Severity.parse(data.get("severity", ""))
    except ValueError as exc:
        raise RuleError(Messages.IDG010.format(path=path, problem=str(exc))) from None
    classifier = _classifier_kinds(data.get("classifier", True), path)
    min_score = data.get("classifier_min_score", 0.0)
    is_number = isinstance(min_score, (int, float)) and not isinstance(min_score, bool)
    if not (is_number and 0.0 <= min_score <= 1.0):
        problem = "'classifier_min_score' must be a number from 0 to 1"
        raise RuleError(Messages.IDG010.format(path=path, problem=problem))
    info = CodeInfo(
        classifier=classifier,
        classifier_min_score=float(min_score),
        code=code,
        title=data["title"],
        severity=severity,
        impression=cast(Impression, impression),
        advice=data["advice"],
        description=str(data.get("description", "")),
    )
    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise RuleError(
            Messages.IDG010.format(path=path, problem="'rules' must be a non-empty list")
        )
    return info, tuple(_validate_rule(r, info, path) for r in rules_raw)


def _builtin_files() -> list[tuple[str, str]]:
    folder = resources.files("interview_diag.rules")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.startswith("_"):
            out.append((f"interview_diag/rules/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


def _parse_text(path_name: str, text: str) -> tuple[CodeInfo, tuple[Rule, ...]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(Messages.IDG010.format(path=path_name, problem=exc)) from None
    return parse_rule_file(data, path_name)


@lru_cache(maxsize=1)
def _builtin_parsed() -> tuple[tuple[CodeInfo, tuple[Rule, ...]], ...]:
    """The shipped rule files, read and validated once per process.

    Every Analyzer and every component loads the rules; the shipped ones never
    change while the process runs, and the records are frozen, so one parse serves all.
    """
    return tuple(_parse_text(name, text) for name, text in _builtin_files())


def load_rules(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> RuleSet:
    """Load the built-in rule files and any extra ones, validated.

    Args:
        extra: paths of more rule files (or folders of them) to add.
        builtin: include the rules shipped with the package.

    Returns:
        Every rule, built-in first, in file order.

    Raises:
        RuleError: a file is invalid, or two rules share an id.
    """
    parsed = list(_builtin_parsed()) if builtin else []
    for p in extra:
        path = Path(p)
        paths: Sequence[Path] = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for q in paths:
            try:
                text = q.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RuleError(Messages.IDG010.format(path=q, problem=exc)) from None
            parsed.append(_parse_text(str(q), text))
    rules: list[Rule] = []
    codes: dict[str, CodeInfo] = {}
    first: dict[str, str] = {}
    for info, file_rules in parsed:
        path_name = file_rules[0].path
        if info.code in codes and codes[info.code] != info:
            # An extra file may add rules to a known code but must not redefine it.
            info = codes[info.code]
        codes.setdefault(info.code, info)
        for r in file_rules:
            if r.id in first:
                raise RuleError(
                    Messages.IDG012.format(rule_id=r.id, path=path_name, first=first[r.id])
                )
            first[r.id] = path_name
            rules.append(r)
    return RuleSet(rules=tuple(rules), codes=codes)
