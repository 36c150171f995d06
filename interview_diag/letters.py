"""Check a follow-up letter: what in it would hurt the candidate, with evidence and advice.

A letter is read as prose (one turn per paragraph, all the candidate's) and runs
through the same pipeline as any other input, with kind ``letter``. The letter
codes are rules-as-data in ``rules/letter_*.json``: the span-level ones (blaming
others, excuses, pushiness) are phrase and token-pattern rules; the whole-letter
ones (no thanks, generic, no case, no acknowledgement, too long) use the check
types of ``interview_diag.letter_checks``. ``whining_begging`` and
``unprofessional_language`` come from the detectors, whose rules cover letters too.

``letter_no_acknowledgement`` needs to know how the interview went: pass the
interview's ``Report`` (or its JSON form, or a level name) as ``report``; it fires
only when that interview's summary level is ``serious`` or ``likely lost``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interview_diag.diagnosis import check_text, prepare
from interview_diag.letter_checks import LEVEL_OPTION
from interview_diag.summary import report_level
from interview_diag.types import Report

if TYPE_CHECKING:
    from interview_diag.analyzer import Analyzer

LETTER_CODES: tuple[str, ...] = (
    "letter_blames_others",
    "letter_no_thanks",
    "letter_generic",
    "letter_no_case",
    "letter_no_acknowledgement",
    "letter_excuses",
    "letter_pushy",
    "letter_too_long",
)
"""The codes only letters get (``whining_begging`` and ``unprofessional_language`` also apply)."""


def check_letter(
    text: str,
    report: Report | Mapping[str, Any] | str | None = None,
    company: str | None = None,
    interviewer: str | None = None,
    *,
    role: str | None = None,
    analyzer: Analyzer | None = None,
) -> Report:
    """Check a follow-up letter and report what would hurt the candidate.

    Args:
        text: the letter.
        report: how the interview went: its ``Report``, the JSON form of one
            (``Report.to_dict()``), or a summary level name (``"serious"``). Only
            with a level of ``serious`` or ``likely lost`` is a missing
            acknowledgement of the off day a finding.
        company: the company's name (a detail about it makes the letter specific).
        interviewer: the interviewer's name.
        role: the role applied for.
        analyzer: the analyzer to use (default: the one ``analyze()`` uses).

    Returns:
        A report of kind ``letter``, with its summary.

    Raises:
        TypeError: ``text`` is not a ``str``.
        ValueError: ``report`` names no known level.

    Example:
        >>> r = check_letter("Dear Ana,\\n\\nI expect a reply by Friday.\\n\\nJo")  # doctest: +SKIP
        >>> "letter_pushy" in r.codes  # doctest: +SKIP
        True
    """
    check_text(text)
    level = report_level(report)
    options = {
        k: v
        for k, v in (
            ("company", company),
            ("interviewer", interviewer),
            ("role", role),
            (LEVEL_OPTION, level),
        )
        if v
    }
    if analyzer is None:
        from interview_diag.analyzer import default_analyzer

        analyzer = default_analyzer()
    prepared = prepare(text, fmt="prose", kind="letter", options=options)
    return analyzer._run(prepared)
