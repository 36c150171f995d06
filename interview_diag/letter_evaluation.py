"""Score the letter checker on the labelled letters in ``data/letters/letters.jsonl``.

Each line is one letter::

    {"id": "L001", "text": "...", "labels": ["letter_generic"], "split": "dev",
     "group": "Acme|Analyst", "company": "Acme", "role": "Analyst",
     "interviewer": "Ms Lee", "report_level": "serious"}

``labels`` holds the letter codes that apply plus ``whining_begging`` and
``unprofessional_language``; ``report_level`` (optional) is the summary level of
the interview the letter follows, which ``letter_no_acknowledgement`` needs.
``company``, ``role`` and ``interviewer`` are passed to ``check_letter`` as a
user would pass them. Letters that share a ``group`` (the same company and role)
are in the same split, so near-twins never straddle dev and test.

How to use it: tune rules on ``split="dev"`` only; report ``split="test"``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_diag.errors import Messages, ParseError
from interview_diag.letters import LETTER_CODES, check_letter
from interview_diag.model.metrics import CodeMetrics, score_code
from interview_diag.summary import LEVELS

if TYPE_CHECKING:
    from interview_diag.analyzer import Analyzer

LETTER_EVAL_CODES: tuple[str, ...] = (*LETTER_CODES, "whining_begging", "unprofessional_language")
"""The codes scored on letters, in table order."""

DEFAULT_LETTERS = Path("data") / "letters" / "letters.jsonl"

_REQUIRED = frozenset({"id", "text", "labels", "split"})
_OPTIONAL = frozenset({"group", "company", "role", "interviewer", "report_level", "note"})
_SPLITS = ("dev", "test")


@dataclass(frozen=True)
class LetterExample:
    """One labelled letter."""

    id: str
    text: str
    labels: tuple[str, ...]
    split: str
    group: str = ""
    company: str | None = None
    role: str | None = None
    interviewer: str | None = None
    report_level: str | None = None


def parse_letter_example(raw: Any) -> LetterExample:
    """Validate one decoded JSON line.

    Raises:
        ValueError: a key is missing or unknown, a label or level is not known, or a
            split is not ``dev`` or ``test``.
    """
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    missing = sorted(_REQUIRED - raw.keys())
    unknown = sorted(raw.keys() - _REQUIRED - _OPTIONAL)
    if missing or unknown:
        raise ValueError(f"missing keys {missing}, unknown keys {unknown}")
    labels = raw["labels"]
    if not isinstance(labels, list) or not set(labels) <= set(LETTER_EVAL_CODES):
        raise ValueError(f"'labels' must be a list of codes among {list(LETTER_EVAL_CODES)}")
    if raw["split"] not in _SPLITS:
        raise ValueError(f"'split' must be one of {list(_SPLITS)}")
    level = raw.get("report_level")
    if level is not None and level not in LEVELS:
        raise ValueError(f"'report_level' must be one of {list(LEVELS)}")
    for key in ("id", "text"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string")
    return LetterExample(
        id=raw["id"],
        text=raw["text"],
        labels=tuple(c for c in LETTER_EVAL_CODES if c in labels),
        split=raw["split"],
        group=str(raw.get("group", "")),
        company=raw.get("company"),
        role=raw.get("role"),
        interviewer=raw.get("interviewer"),
        report_level=level,
    )


def load_letter_examples(
    path: str | os.PathLike[str] = DEFAULT_LETTERS,
) -> tuple[LetterExample, ...]:
    """Read and validate the labelled letters.

    Raises:
        ParseError: a line is not valid (the message names the file and line).
    """
    out: list[LetterExample] = []
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                example = parse_letter_example(json.loads(line))
                if example.id in seen:
                    raise ValueError(f"duplicate id {example.id!r}")
            except (json.JSONDecodeError, ValueError) as exc:
                problem = Messages.IDG024.format(path=path, line=line_no, problem=exc)
                raise ParseError(problem, line=line_no) from None
            seen.add(example.id)
            out.append(example)
    return tuple(out)


@dataclass(frozen=True)
class LetterEvaluation:
    """Per-code scores of the letter checker on one split.

    Attributes:
        split: ``dev``, ``test`` or ``all``.
        n_letters: letters scored.
        per_code: precision, recall, F1 and support per code.
        counts: per code, ``(true positives, false positives, false negatives)``.
        errors: per letter id, the codes missed (``-code``) and the extra ones (``+code``).
        clean_pass_rate: share of letters labelled clean with no finding of a scored code.
    """

    split: str
    n_letters: int
    per_code: Mapping[str, CodeMetrics]
    counts: Mapping[str, tuple[int, int, int]]
    errors: Mapping[str, tuple[str, ...]]
    clean_pass_rate: float

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "split": self.split,
            "n_letters": self.n_letters,
            "per_code": {
                c: {**m.to_dict(), "tp_fp_fn": list(self.counts[c])}
                for c, m in self.per_code.items()
            },
            "clean_pass_rate": round(self.clean_pass_rate, 4),
            "errors": {k: list(v) for k, v in self.errors.items()},
        }


def predict_letter_codes(analyzer: Analyzer, example: LetterExample) -> set[str]:
    """The scored codes ``check_letter`` finds in one labelled letter."""
    report = check_letter(
        example.text,
        report=example.report_level,
        company=example.company,
        interviewer=example.interviewer,
        role=example.role,
        analyzer=analyzer,
    )
    return {f.code for f in report.findings if f.code in LETTER_EVAL_CODES}


def evaluate_letters(
    analyzer: Analyzer,
    path: str | os.PathLike[str] = DEFAULT_LETTERS,
    split: str = "test",
) -> LetterEvaluation:
    """Score the letter checker on one split of the labelled letters.

    Args:
        analyzer: the analyzer ``check_letter`` uses.
        path: the JSONL file.
        split: ``dev``, ``test`` or ``all``.

    Returns:
        The per-code scores.
    """
    examples = [e for e in load_letter_examples(path) if split == "all" or e.split == split]
    gold = [set(e.labels) for e in examples]
    predicted = [predict_letter_codes(analyzer, e) for e in examples]
    per_code: dict[str, CodeMetrics] = {}
    counts: dict[str, tuple[int, int, int]] = {}
    for code in LETTER_EVAL_CODES:
        g = [code in x for x in gold]
        p = [code in x for x in predicted]
        per_code[code] = score_code(g, p)
        tp = sum(1 for a, b in zip(g, p, strict=True) if a and b)
        counts[code] = (tp, sum(p) - tp, sum(g) - tp)
    errors: dict[str, tuple[str, ...]] = {}
    for e, g_set, p_set in zip(examples, gold, predicted, strict=True):
        diff = sorted(f"-{c}" for c in g_set - p_set) + sorted(f"+{c}" for c in p_set - g_set)
        if diff:
            errors[e.id] = tuple(diff)
    clean = [p for g_set, p in zip(gold, predicted, strict=True) if not g_set]
    clean_rate = sum(1 for p in clean if not p) / len(clean) if clean else 1.0
    return LetterEvaluation(
        split=split,
        n_letters=len(examples),
        per_code=per_code,
        counts=counts,
        errors=errors,
        clean_pass_rate=clean_rate,
    )


def format_letter_table(ev: LetterEvaluation, codes: Sequence[str] = LETTER_EVAL_CODES) -> str:
    """A Markdown table of per-code precision, recall and F1 on letters."""
    rows = [
        f"Letters, split `{ev.split}`, {ev.n_letters} letters.",
        "",
        "| code | support | P | R | F1 | TP | FP | FN |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for code in codes:
        m = ev.per_code[code]
        tp, fp, fn = ev.counts[code]
        rows.append(
            f"| {code} | {m.support} | {m.precision:.2f} | {m.recall:.2f} | {m.f1:.2f} "
            f"| {tp} | {fp} | {fn} |"
        )
    rows.append(f"| clean letters with no finding | | {ev.clean_pass_rate:.2f} | | | | | |")
    return "\n".join(rows) + "\n"
