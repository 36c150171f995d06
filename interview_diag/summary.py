"""The overall picture of a report: a level, the impressions left, and what to do next.

One slip rarely decides an interview; a series of them does. The score follows
that idea (weights and wording are data, in ``summary_data/scoring.json`` and
``summary_data/wording.json``):

1. Each finding weighs ``severity_weights[severity] * code_factors[code]``.
2. Within one code, findings count heaviest first, the n-th at ``decay ** n`` of
   its weight (diminishing returns: saying the same wrong thing twice is not
   twice as bad).
3. Every distinct code whose total reaches ``bonus.min_code_total`` is a distinct
   problem; from the ``bonus.from``-th one on, each adds ``bonus.per_code``.
4. The level is the first of ``fine``, ``some concerns``, ``serious`` and
   ``likely lost`` whose bound the score is under.

In a recap the interviewer's bad signs (``interviewer_negative_cue``) are
findings like any other, so they weigh into the level. Letters get the same
structure, with wording about the letter instead of the interview.

``finish`` (in ``interview_diag.diagnosis``) calls ``summarize`` for every report,
so ``analyze``, the spaCy component and batch all carry a summary; an empty
input gets level ``fine`` with no impressions and no next steps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

from interview_diag.types import Finding, Kind, Report

Level = Literal["fine", "some concerns", "serious", "likely lost"]
LEVELS: tuple[Level, ...] = get_args(Level)

_PAREN_QUOTE = re.compile(r"\s*\([^()]*\{quote\}[^()]*\)")


@dataclass(frozen=True)
class SummaryConfig:
    """Weights, thresholds and wording of the summary (read from ``summary_data/*.json``).

    Attributes:
        severity_weights: weight of one finding per severity name.
        code_factors: multiplier per code (1.0 for codes not listed).
        decay: weight ratio of each further finding of one code.
        code_decay: ``decay`` overrides per code.
        bonus_from: the distinct problem from which on each adds ``bonus_per_code``.
        bonus_per_code: what each distinct problem from ``bonus_from`` on adds.
        bonus_min: the code total from which a code is a distinct problem.
        levels: ``(level, upper bound)`` in order; the last bound is ``None``.
        max_impressions: at most this many impressions.
        max_code_steps: next steps from at most this many codes.
        quote_chars: quotes in next steps are cut to this length.
        level_texts: per level, one sentence on what it means (interviews).
        letter_level_texts: the same for letters.
        impressions: per code, ``(impression key, text)``.
        next_steps: per code, the steps to take.
        general_steps: per level, steps after the code steps (interviews).
        letter_general_steps: the same for letters.
    """

    severity_weights: Mapping[str, float]
    code_factors: Mapping[str, float]
    decay: float
    code_decay: Mapping[str, float]
    bonus_from: int
    bonus_per_code: float
    bonus_min: float
    levels: tuple[tuple[Level, float | None], ...]
    max_impressions: int
    max_code_steps: int
    quote_chars: int
    level_texts: Mapping[str, str]
    letter_level_texts: Mapping[str, str]
    impressions: Mapping[str, tuple[str, str]]
    next_steps: Mapping[str, tuple[str, ...]]
    general_steps: Mapping[str, tuple[str, ...]]
    letter_general_steps: Mapping[str, tuple[str, ...]]


def _read_json(name: str) -> dict[str, Any]:
    text = resources.files("interview_diag").joinpath(f"summary_data/{name}").read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"summary_data/{name} must hold a JSON object")
    return data


def _floats(raw: Any, where: str) -> Mapping[str, float]:
    if not isinstance(raw, dict) or not all(isinstance(v, (int, float)) for v in raw.values()):
        raise ValueError(f"{where} must map names to numbers")
    return MappingProxyType({str(k): float(v) for k, v in raw.items()})


def _steps(raw: Any, where: str) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in raw.values()
    ):
        raise ValueError(f"{where} must map names to lists of strings")
    return MappingProxyType({str(k): tuple(v) for k, v in raw.items()})


def _texts(raw: Any, where: str) -> Mapping[str, str]:
    if not isinstance(raw, dict) or set(raw) != set(LEVELS):
        raise ValueError(f"{where} must give one text for each level {LEVELS}")
    return MappingProxyType({str(k): str(v) for k, v in raw.items()})


def parse_summary_config(scoring: Mapping[str, Any], wording: Mapping[str, Any]) -> SummaryConfig:
    """Validate the decoded summary data files.

    Args:
        scoring: the content of ``scoring.json``.
        wording: the content of ``wording.json``.

    Returns:
        The configuration.

    Raises:
        ValueError: a value is missing or of the wrong type, or the levels are not
            ``fine``, ``some concerns``, ``serious``, ``likely lost`` with rising bounds.
    """
    levels_raw = scoring.get("levels")
    if not isinstance(levels_raw, list) or [
        lv.get("level") if isinstance(lv, dict) else None for lv in levels_raw
    ] != list(LEVELS):
        raise ValueError(f"scoring 'levels' must list {LEVELS} in order")
    levels: list[tuple[Level, float | None]] = []
    last = float("-inf")
    for i, lv in enumerate(levels_raw):
        bound = lv.get("below")
        if i == len(levels_raw) - 1:
            if bound is not None:
                raise ValueError("the last level has no 'below' bound")
            levels.append((cast(Level, lv["level"]), None))
            continue
        if not isinstance(bound, (int, float)) or float(bound) <= last:
            raise ValueError("level bounds must be rising numbers")
        last = float(bound)
        levels.append((cast(Level, lv["level"]), last))
    bonus = scoring.get("bonus", {})
    impressions_raw = wording.get("impressions", {})
    if not isinstance(impressions_raw, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("impression"), str)
        and isinstance(v.get("text"), str)
        for v in impressions_raw.values()
    ):
        raise ValueError("wording 'impressions' must map codes to {impression, text}")
    return SummaryConfig(
        severity_weights=_floats(scoring.get("severity_weights"), "severity_weights"),
        code_factors=_floats(scoring.get("code_factors", {}), "code_factors"),
        decay=float(scoring.get("decay", 0.5)),
        code_decay=_floats(scoring.get("code_decay", {}), "code_decay"),
        bonus_from=int(bonus.get("from", 3)),
        bonus_per_code=float(bonus.get("per_code", 1.0)),
        bonus_min=float(bonus.get("min_code_total", 0.75)),
        levels=tuple(levels),
        max_impressions=int(scoring.get("max_impressions", 5)),
        max_code_steps=int(scoring.get("max_code_steps", 4)),
        quote_chars=int(scoring.get("quote_chars", 90)),
        level_texts=_texts(wording.get("levels"), "wording 'levels'"),
        letter_level_texts=_texts(wording.get("letter_levels"), "wording 'letter_levels'"),
        impressions=MappingProxyType(
            {k: (v["impression"], v["text"]) for k, v in impressions_raw.items()}
        ),
        next_steps=_steps(wording.get("next_steps", {}), "wording 'next_steps'"),
        general_steps=_steps(wording.get("general_steps", {}), "wording 'general_steps'"),
        letter_general_steps=_steps(
            wording.get("letter_general_steps", {}), "wording 'letter_general_steps'"
        ),
    )


@lru_cache(maxsize=1)
def load_summary_config() -> SummaryConfig:
    """The shipped summary configuration, read once.

    ``load_summary_config.cache_clear()`` makes the next call read the files again.

    Returns:
        The configuration; it is immutable, so sharing it is safe.
    """
    return parse_summary_config(_read_json("scoring.json"), _read_json("wording.json"))


def finding_weight(finding: Finding, config: SummaryConfig) -> float:
    """The weight of one finding: severity weight times the code's factor."""
    base = config.severity_weights.get(finding.severity.value, 0.0)
    return base * config.code_factors.get(finding.code, 1.0)


def code_totals(findings: Iterable[Finding], config: SummaryConfig) -> dict[str, float]:
    """Per code, the weights of its findings with diminishing returns.

    Args:
        findings: the findings, any order.
        config: the weights.

    Returns:
        Code to total, for codes whose total is above zero, heaviest first
        (ties by code name).
    """
    by_code: dict[str, list[float]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(finding_weight(f, config))
    totals: dict[str, float] = {}
    for code, weights in by_code.items():
        decay = config.code_decay.get(code, config.decay)
        total = sum(w * decay**i for i, w in enumerate(sorted(weights, reverse=True)))
        if total > 0:
            totals[code] = round(total, 4)
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def score_totals(totals: Mapping[str, float], config: SummaryConfig) -> float:
    """The overall score: the code totals plus the bonus for many distinct problems."""
    distinct = sum(1 for t in totals.values() if t >= config.bonus_min)
    bonus = config.bonus_per_code * max(0, distinct - config.bonus_from + 1)
    return round(sum(totals.values()) + bonus, 4)


def level_for(score: float, config: SummaryConfig) -> Level:
    """The level a score falls in."""
    for level, bound in config.levels:
        if bound is None or score < bound:
            return level
    return config.levels[-1][0]


def _quote(findings: Sequence[Finding], code: str, config: SummaryConfig) -> str:
    own = sorted(
        (f for f in findings if f.code == code and f.evidence),
        key=lambda f: (-finding_weight(f, config), f.start, f.rule_id),
    )
    if not own:
        return ""
    text = " ".join(own[0].evidence[0].text.split())
    if len(text) > config.quote_chars:
        text = text[: config.quote_chars - 3].rstrip() + "..."
    return text


def _fill(template: str, quote: str, count: int) -> str:
    if not quote:
        template = _PAREN_QUOTE.sub("", template)
    return template.replace("{quote}", quote).replace("{count}", str(count))


def summarize(
    findings: Sequence[Finding],
    *,
    kind: Kind,
    words: int | None = None,
    config: SummaryConfig | None = None,
) -> dict[str, Any]:
    """The overall picture of one input's findings.

    Args:
        findings: the report's final findings.
        kind: transcript, answer, recap or letter (letters get letter wording).
        words: the number of words of the input; with 0 (an empty input) there are
            no next steps.
        config: weights and wording (default: the shipped data files).

    Returns:
        A JSON-ready mapping: ``level``, ``level_text``, ``score``, ``by_code``
        (each code's weight after diminishing returns), ``impressions`` (a list of
        ``{impression, text, codes}``, heaviest first) and ``next_steps``
        (ordered, most important first).

    Example:
        >>> summarize([], kind="transcript")["level"]
        'fine'
    """
    config = config or load_summary_config()
    totals = code_totals(findings, config)
    score = score_totals(totals, config)
    level = level_for(score, config)
    letter = kind == "letter"

    # Codes are grouped by the impression they leave; the entry's text holds the
    # wording of every code in it, so no code is described by another code's words.
    groups: dict[str, list[str]] = {}
    for code in totals:
        if code in config.impressions:
            groups.setdefault(config.impressions[code][0], []).append(code)
    ranked = sorted(groups.items(), key=lambda kv: (-sum(totals[c] for c in kv[1]), kv[1][0]))
    impressions = [
        {
            "impression": key,
            "text": " ".join(dict.fromkeys(config.impressions[c][1] for c in codes)),
            "codes": codes,
        }
        for key, codes in ranked[: config.max_impressions]
    ]

    steps: list[str] = []
    if words != 0 or findings:
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        with_steps = [c for c in totals if config.next_steps.get(c)]
        for code in with_steps[: config.max_code_steps]:
            for template in config.next_steps[code]:
                steps.append(
                    _fill(template, _quote(findings, code, config), _count(findings, code))
                )
        general = config.letter_general_steps if letter else config.general_steps
        steps.extend(general.get(level, ()))
    texts = config.letter_level_texts if letter else config.level_texts
    return {
        "level": level,
        "level_text": texts[level],
        "score": score,
        "by_code": totals,
        "impressions": impressions,
        "next_steps": list(dict.fromkeys(steps)),
    }


def _count(findings: Sequence[Finding], code: str) -> int:
    own = [f for f in findings if f.code == code]
    if len(own) == 1 and isinstance(own[0].details.get("count"), int):
        return int(own[0].details["count"])
    return len(own)


def summarize_report(report: Report, config: SummaryConfig | None = None) -> dict[str, Any]:
    """``summarize`` applied to a finished report (its findings, kind and size).

    Args:
        report: the report.
        config: weights and wording (default: the shipped data files).

    Returns:
        The summary mapping.
    """
    return summarize(report.findings, kind=report.kind, words=report.stats.words, config=config)


def report_level(report: Report | Mapping[str, Any] | str | None) -> Level | None:
    """The overall level of an interview, from a report, its JSON form or a level name.

    Args:
        report: a ``Report`` (its summary, computed when missing), a report mapping
            as ``Report.to_dict()`` gives it, a level name, or ``None``.

    Returns:
        The level, or ``None`` when ``report`` is ``None``.

    Raises:
        ValueError: the level named is not one of ``LEVELS``, or a mapping has none.
    """
    if report is None:
        return None
    if isinstance(report, Report):
        summary = report.summary if report.summary is not None else summarize_report(report)
        value: Any = summary.get("level")
    elif isinstance(report, str):
        value = report
    else:
        summary_raw = report.get("summary") if "summary" in report else report
        value = summary_raw.get("level") if isinstance(summary_raw, Mapping) else None
    if value not in LEVELS:
        raise ValueError(f"unknown interview level {value!r}; expected one of {LEVELS}")
    return cast(Level, value)
