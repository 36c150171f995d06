"""Check the options a caller passes to ``Analyzer`` against the rules in force.

A typo in a code, a rule id or a parameter name would otherwise be ignored in
silence and the caller would believe a check was switched off or retuned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from interview_diag.errors import ConfigError
from interview_diag.rules.schema import RuleSet


def _names(rules: RuleSet) -> set[str]:
    return set(rules.codes) | {r.id for r in rules.rules}


def _unknown(kind: str, name: str, rules: RuleSet) -> ConfigError:
    codes = ", ".join(sorted(rules.codes))
    return ConfigError(f"{kind}: unknown finding code or rule id {name!r}; codes: {codes}")


def check_names(kind: str, value: object, rules: RuleSet) -> tuple[str, ...]:
    """A list of codes or rule ids, each known.

    Raises:
        ConfigError: a single string was given (it would be read letter by letter),
            or a name is unknown.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ConfigError(f"{kind} must be a list of finding codes or rule ids, not {value!r}")
    names = tuple(value)
    known = _names(rules)
    for name in names:
        if not isinstance(name, str) or name not in known:
            raise _unknown(kind, str(name), rules)
    return names


def check_allow(allow: Mapping[str, Any] | None, rules: RuleSet) -> None:
    """Allow-list keys are known codes or rule ids; values are lists of phrases.

    Raises:
        ConfigError: otherwise.
    """
    known = _names(rules)
    for key, phrases in (allow or {}).items():
        if key not in known:
            raise _unknown("allow", key, rules)
        if isinstance(phrases, (str, bytes)) or not all(isinstance(p, str) for p in phrases):
            raise ConfigError(f"allow[{key!r}] must be a list of phrases, not {phrases!r}")


def check_thresholds(thresholds: Mapping[str, Any] | None, rules: RuleSet) -> None:
    """Threshold keys are known; parameter overrides name parameters the rules have.

    A number is a classifier score threshold (0..1, checked elsewhere); a mapping
    overrides parameters of the code's (or rule's) interview-level rules, and each
    value must have the type of the rule's own value (a non-negative number for a
    number).

    Raises:
        ConfigError: an unknown code, rule id or parameter, or a value of the wrong type.
    """
    known = _names(rules)
    for key, value in (thresholds or {}).items():
        if key not in known:
            raise _unknown("thresholds", key, rules)
        if not isinstance(value, Mapping):
            continue
        own = [r for r in rules.rules if key in (r.code, r.id)]
        params: dict[str, Any] = {}
        for r in own:
            params.update(r.params)
        for name, new in value.items():
            if name not in params:
                have = ", ".join(sorted(params)) or "none"
                raise ConfigError(
                    f"thresholds[{key!r}]: unknown parameter {name!r}; parameters: {have}"
                )
            old = params[name]
            number = isinstance(old, (int, float)) and not isinstance(old, bool)
            if number and (isinstance(new, bool) or not isinstance(new, (int, float)) or new < 0):
                raise ConfigError(
                    f"thresholds[{key!r}][{name!r}] must be a non-negative number, got {new!r}"
                )
            if not number and type(new) is not type(old):
                raise ConfigError(
                    f"thresholds[{key!r}][{name!r}] must be a {type(old).__name__}, got {new!r}"
                )
