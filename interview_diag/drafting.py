"""Draft a follow-up letter from an interview's report.

How a draft is made:

1. **Thanks** for the conversation, naming the role and the company.
2. **Acknowledgement**: for the heaviest findings of the report (by the summary's
   weights, at most ``max_acknowledgements`` groups; rule-backed findings only,
   not the classifier's alone), one plain sentence each that owns what went
   wrong, after a short opening; when the interview went badly and
   no finding has a sentence of its own, one general sentence. No excuses, no
   pleading.
3. **The case**: the candidate's own strongest moments in the transcript
   (candidate sentences with a concrete result, as ``letter_no_case`` defines
   one: a number, "I led", "I built"... and no finding on them), then the
   ``strengths`` given; without either, an offer of a short 90-day plan.
4. **A request** for a second conversation, and the sign-off.

Wording and phrasing variants live in ``letter_templates/templates.json``. The variant of
each part is picked from a hash of the report, so the same input always gives the
same letter and different reports get different letters.

The draft is then checked with ``check_letter``; a part that draws a finding is
dropped (quoted moments and strengths first) or replaced, until the letter is
clean. ``tests/test_drafting.py`` runs the checker over every phrasing variant and
over drafts for every combination of findings in a set of example reports.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from interview_diag import ingest
from interview_diag.errors import ParseError
from interview_diag.letter_checks import normalise, phrase_regex
from interview_diag.letters import check_letter
from interview_diag.rules.schema import Rule
from interview_diag.summary import code_totals, load_summary_config, report_level
from interview_diag.types import Report, Transcript

if TYPE_CHECKING:
    from interview_diag.analyzer import Analyzer

_READER_FORMATS = ("prose", "labelled", "vtt", "srt", "json")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_FILLERS = re.compile(
    r"(?i)(?:\b(?:um+|uh+|erm+|er|ah+|hmm+)\b[,.]?\s*)"
    r"|(?:,\s*(?:like|you know|i mean|sort of|kind of)\s*,)"
)
_LEADING = re.compile(
    r"(?i)^(?:(?:so|well|yeah|yes|and|but|oh|okay|ok|right|actually|basically|honestly|like|anyway)\b[,]?\s+)+"
)
_SKIP = re.compile(
    r"(?i)(?<![\w'])(?:you|your|maybe|guess|probably|kind of|sort of|i think|not sure|he said|"
    r"she said|they said|hate|fired|quit|left|leave|leaving|nervous|sorry|please|damn|hell|crap)"
    r"(?![\w'])"
)
_FIRST_PERSON = re.compile(r"(?i)(?<![\w'])(?:i|we|my|our|me)(?![\w'])")
_REPORTED = re.compile(
    r"(?i)^i\s+(?:did\s+)?(?:mention(?:ed)?|said|explained|told\s+(?:them|him|her|the\s+\w+))"
    r"(?:\s+that)?\s+"
)
_LOWER_FIRST = frozenset(
    {
        *("the", "we", "our", "my", "in", "at", "last", "this", "that", "then", "after"),
        *("before", "when", "over", "for", "with", "by", "on", "during", "since", "as"),
        *("within", "across", "together", "it", "each", "every", "one", "two", "three"),
    }
)


@dataclass(frozen=True)
class Draft:
    """A drafted follow-up letter.

    Attributes:
        text: the letter, ready to edit and send.
        addresses: the finding codes the letter owns up to, in the letter's order.
        moments: the candidate's own sentences from the transcript the case rests on.
    """

    text: str
    addresses: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"text": self.text, "addresses": list(self.addresses), "moments": list(self.moments)}


@dataclass(frozen=True)
class AckGroup:
    """Codes one acknowledgement sentence owns, and its variants."""

    codes: tuple[str, ...]
    variants: tuple[str, ...]


@dataclass(frozen=True)
class LetterTemplates:
    """The wording of drafted letters (``letter_templates/templates.json``)."""

    parts: Mapping[str, tuple[str, ...]]
    acknowledgements: tuple[AckGroup, ...]
    topics: Mapping[str, tuple[str, ...]]
    max_acknowledgements: int = 3
    max_moments: int = 2
    max_strengths: int = 3
    moment_words: tuple[int, int] = (6, 38)

    def variants(self, part: str) -> tuple[str, ...]:
        """The phrasing variants of one part."""
        return self.parts[part]


# What a draft adds when the checker finds a whole-letter gap.
_MISSING_FIX: Mapping[str, str] = MappingProxyType(
    {
        "letter_generic": "topic",
        "letter_no_case": "case_fallback",
        "letter_no_acknowledgement": "ack_general",
    }
)
_SHIFTABLE = (
    "greeting_interviewer",
    "greeting_team",
    "thanks",
    "ack_intro",
    "ack_general",
    "case_fallback",
    "request",
)
_PARTS = (
    "greeting_interviewer",
    "greeting_team",
    "thanks",
    "ack_intro",
    "ack_general",
    "moment",
    "moment_more",
    "strengths",
    "case_fallback",
    "request",
    "closing",
)


def parse_templates(raw: Mapping[str, Any]) -> LetterTemplates:
    """Validate the decoded ``templates.json``.

    Raises:
        ValueError: a part is missing or is not a non-empty list of strings.
    """

    def strings(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError(
                f"letter_templates/templates.json: {where} must be a non-empty list of strings"
            )
        return tuple(value)

    parts = {name: strings(raw.get(name), name) for name in _PARTS}
    groups = tuple(
        AckGroup(
            codes=strings(g.get("codes"), "acknowledgement codes"),
            variants=strings(g.get("variants"), "acknowledgement variants"),
        )
        for g in raw.get("acknowledgements", [])
    )
    topics_raw = raw.get("topics", {})
    topics = {str(k): strings(v, f"topics.{k}") for k, v in topics_raw.items()}
    if "default" not in topics:
        raise ValueError("letter_templates/templates.json: topics need a 'default'")
    low, high = raw.get("moment_words", [6, 38])
    return LetterTemplates(
        parts=MappingProxyType(parts),
        acknowledgements=groups,
        topics=MappingProxyType(topics),
        max_acknowledgements=int(raw.get("max_acknowledgements", 3)),
        max_moments=int(raw.get("max_moments", 2)),
        max_strengths=int(raw.get("max_strengths", 3)),
        moment_words=(int(low), int(high)),
    )


@lru_cache(maxsize=1)
def load_templates() -> LetterTemplates:
    """The shipped letter templates, read once (``load_templates.cache_clear()`` resets it)."""
    folder = resources.files("interview_diag").joinpath("letter_templates")
    text = folder.joinpath("templates.json").read_text("utf-8")
    return parse_templates(json.loads(text))


# -- the candidate's strongest moments ------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """A candidate sentence from the transcript that shows a concrete result.

    Attributes:
        text: the sentence, cleaned of fillers, without final punctuation.
        score: how many result cues it holds.
        start: source offset of the sentence.
        end: source offset just past it.
    """

    text: str
    score: int
    start: int
    end: int


def _case_cues(rules: Iterable[Rule]) -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    for r in rules:
        out.extend(re.compile(phrase_regex(p)) for p in r.phrases)
        for pattern in r.params.get("regex", []):
            if "{" not in pattern:
                out.append(re.compile(str(pattern)))
    return out


def _reread(report: Report, source: str) -> Transcript | None:
    fmt = report.stats.format if report.stats.format in _READER_FORMATS else "auto"
    try:
        transcript = ingest.read(source, fmt=fmt)
    except (ParseError, ValueError):
        return None
    if len(transcript.turns) != len(report.turns):
        return None
    return transcript


def _clean(sentence: str) -> str:
    text = _FILLERS.sub(" ", sentence)
    text = " ".join(text.split())
    text = _LEADING.sub("", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"(?:\b(\w+)\s+)\1\b", r"\1", text)  # "I I built" -> "I built"
    text = _REPORTED.sub("", text.strip(" ,;:-"))  # "I mentioned that I led" -> "I led"
    return text.rstrip(".!")


def strongest_moments(
    report: Report, source: str, case_rules: Sequence[Rule], *, limit: int = 2
) -> tuple[Moment, ...]:
    """The candidate's sentences with the most concrete results and no finding on them.

    Args:
        report: the interview's report.
        source: the text the report was made from.
        case_rules: the ``letter_no_case`` rules; their phrases and patterns are the
            result cues ("I led", a percentage...).
        limit: at most this many moments.

    Returns:
        The moments, strongest first (ties: earlier first).
    """
    transcript = _reread(report, source)
    if transcript is None:
        return ()
    cues = _case_cues(case_rules)
    low, high = load_templates().moment_words
    taken = [(e.start, e.end) for f in report.findings for e in f.evidence]
    found: list[Moment] = []
    for turn, info in zip(transcript.turns, report.turns, strict=True):
        if info.role != "candidate":
            continue
        for m in _SENTENCE.finditer(turn.text):
            ranges = turn.to_source(m.start(), m.end())
            if not ranges:
                continue
            start, end = ranges[0][0], ranges[-1][1]
            if any(s < end and start < e for s, e in taken):
                continue
            raw = m.group(0)
            if "?" in raw or '"' in raw or _SKIP.search(raw):
                continue
            text = _clean(raw)
            words = len(text.split())
            if not low <= words <= high or not _FIRST_PERSON.search(text):
                continue
            norm = normalise(text)
            score = sum(1 for c in cues if c.search(norm))
            if score:
                found.append(Moment(text=text, score=score, start=start, end=end))
    found.sort(key=lambda x: (-x.score, x.start))
    seen: set[str] = set()
    out: list[Moment] = []
    for x in found:
        key = normalise(x.text)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return tuple(out[:limit])


def _as_clause(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST and first != "I":
        text = first.lower() + text[len(first) :]
    return text + "."


# -- assembling and checking a draft --------------------------------------------------


@dataclass(frozen=True)
class _Part:
    paragraph: int
    text: str
    codes: tuple[str, ...] = ()
    drop: int = 0  # 0: never dropped; higher numbers are dropped first (moments, strengths)
    moment: str | None = None


@dataclass(frozen=True)
class _Plan:
    parts: list[_Part] = field(default_factory=list)

    def render(self, closing: str, name: str) -> tuple[str, list[tuple[int, int, _Part]]]:
        spans: list[tuple[int, int, _Part]] = []
        out = ""
        paragraphs = sorted({p.paragraph for p in self.parts})
        for i, number in enumerate(paragraphs):
            if i:
                out += "\n\n"
            for j, part in enumerate(p for p in self.parts if p.paragraph == number):
                if j:
                    out += " "
                spans.append((len(out), len(out) + len(part.text), part))
                out += part.text
        out += f"\n\n{closing}\n{name}"
        return out, spans


class _Picker:
    """Deterministic choice of phrasing variants: from a seed, or one fixed index."""

    def __init__(self, seed: str, variant: int | None) -> None:
        self.seed = seed
        self.variant = variant

    def pick(self, key: str, options: Sequence[str]) -> str:
        if self.variant is not None:
            return options[self.variant % len(options)]
        digest = hashlib.sha256(f"{self.seed}|{key}".encode()).hexdigest()
        return options[int(digest[:12], 16) % len(options)]


def _fill(template: str, fields: Mapping[str, str]) -> str:
    out = template
    for k, v in fields.items():
        out = out.replace("{" + k + "}", v)
    return out


def _first_question(report: Report) -> str:
    """The type of the first question the candidate answered without a finding.

    The topic sentence of a draft recalls a part of the conversation; it should not
    recall an answer that went wrong ("I enjoyed discussing why Northwind" after
    "what do you guys do?").
    """
    flagged = {e.turn for f in report.findings for e in f.evidence}
    turns = report.turns
    for i, t in enumerate(turns):
        if t.role != "interviewer" or not t.question or t.question == "salary":
            continue
        answer = []
        for u in turns[i + 1 :]:
            if u.role == "interviewer":
                break
            answer.append(u.index)
        if answer and not flagged & set(answer):
            return t.question
    return "default"


def _ack_groups(
    report: Report, templates: LetterTemplates
) -> list[tuple[AckGroup, tuple[str, ...]]]:
    """Acknowledgement groups with the report's codes in each, heaviest group first.

    Only codes with a rule behind them (source ``rule`` or ``both``) are owned up
    to: a letter should admit what certainly happened, not a classifier's guess.
    """
    certain = [f for f in report.findings if f.source != "model"]
    totals = code_totals(certain, load_summary_config())
    ranked: list[tuple[float, int, AckGroup, tuple[str, ...]]] = []
    for order, group in enumerate(templates.acknowledgements):
        present = tuple(c for c in group.codes if c in totals)
        if present:
            ranked.append((-sum(totals[c] for c in present), order, group, present))
    ranked.sort(key=lambda x: (x[0], x[1]))
    return [(g, present) for _, _, g, present in ranked[: templates.max_acknowledgements]]


def draft_followup(
    report: Report,
    *,
    candidate_name: str,
    company: str,
    role: str,
    interviewer: str | None = None,
    strengths: Sequence[str] = (),
    source: str | None = None,
    variant: int | None = None,
    analyzer: Analyzer | None = None,
) -> Draft:
    """Draft a short, honest follow-up letter from an interview's report.

    Args:
        report: the interview's report (from ``analyze``).
        candidate_name: the name to sign with.
        company: the company's name.
        role: the role applied for.
        interviewer: the interviewer's name, for the greeting.
        strengths: more reasons to see the candidate again, in their own words
            ("five years of SQL reporting").
        source: the text the report was made from; needed to quote the
            candidate's strongest moments (without it the case rests on
            ``strengths``).
        variant: use this phrasing variant for every part (default: picked from a
            hash of the report and names).
        analyzer: the analyzer that checks the draft (default: the one
            ``analyze()`` uses).

    Returns:
        The draft: its text, the finding codes it owns up to, and the moments quoted.

    Raises:
        ValueError: ``candidate_name``, ``company`` or ``role`` is empty.

    Example:
        >>> d = draft_followup(report, candidate_name="Sam Lee", company="Acme",
        ...                    role="analyst", source=text)  # doctest: +SKIP
        >>> d.addresses  # doctest: +SKIP
        ('badmouthing', 'no_questions')
    """
    for label, value in (("candidate_name", candidate_name), ("company", company), ("role", role)):
        if not value or not value.strip():
            raise ValueError(f"draft_followup needs a non-empty {label}")
    if analyzer is None:
        from interview_diag.analyzer import default_analyzer

        analyzer = default_analyzer()
    templates = load_templates()
    level = report_level(report)
    case_rules = analyzer.rules.by_code("letter_no_case")
    if not case_rules:
        from interview_diag.rules.schema import load_rules

        case_rules = load_rules().by_code("letter_no_case")
    moments = (
        strongest_moments(report, source, case_rules, limit=templates.max_moments) if source else ()
    )
    chosen_strengths = [" ".join(s.split()).rstrip(".") for s in strengths if s and s.strip()]
    chosen_strengths = chosen_strengths[: templates.max_strengths]
    groups = _ack_groups(report, templates)
    fields = {
        "company": company.strip(),
        "role": role.strip(),
        "interviewer": (interviewer or "").strip(),
        "name": candidate_name.strip(),
    }
    seed = json.dumps(
        [fields, sorted(report.codes), [m.text for m in moments], chosen_strengths, level],
        sort_keys=True,
    )
    picker = _Picker(seed, variant)
    serious = level in ("serious", "likely lost")

    def build(shifts: Mapping[str, int], dropped: set[str], needs: set[str]) -> _Plan:
        def pick(key: str, options: Sequence[str]) -> str:
            text = picker.pick(key, options)
            shift = shifts.get(key, 0)
            if shift:
                text = options[(options.index(text) + shift) % len(options)]
            return _fill(text, fields)

        def keep(part: _Part) -> bool:
            return not part.drop or part.text not in dropped

        greet = "greeting_interviewer" if fields["interviewer"] else "greeting_team"
        acks = [
            _Part(2, pick("ack:" + g.codes[0], g.variants), codes=present, drop=40 + i)
            for i, (g, present) in enumerate(groups)
        ]
        acks = [a for a in acks if keep(a)]
        case = [
            _Part(
                3,
                _fill(
                    pick(f"moment{i}", templates.variants("moment_more" if i else "moment")),
                    {"moment": _as_clause(m.text)},
                ),
                drop=50 + i,
                moment=m.text,
            )
            for i, m in enumerate(moments)
        ]
        if chosen_strengths:
            joined = "; ".join(chosen_strengths)
            text = _fill(pick("strengths", templates.variants("strengths")), {"strengths": joined})
            case.append(_Part(3, text, drop=70))
        case = [c for c in case if keep(c)]
        plan = _Plan()
        plan.parts.append(_Part(0, pick(greet, templates.variants(greet))))
        plan.parts.append(_Part(1, pick("thanks", templates.variants("thanks"))))
        if "topic" in needs or not any(c.moment for c in case):
            topic = templates.topics.get(_first_question(report)) or templates.topics["default"]
            plan.parts.append(_Part(1, pick("topic", topic)))
        if acks or serious or "ack_general" in needs:
            plan.parts.append(_Part(2, pick("ack_intro", templates.variants("ack_intro"))))
        plan.parts.extend(acks)
        if (serious or "ack_general" in needs) and not acks:
            plan.parts.append(_Part(2, pick("ack_general", templates.variants("ack_general"))))
        plan.parts.extend(case)
        if not case or "case_fallback" in needs:
            plan.parts.append(_Part(3, pick("case_fallback", templates.variants("case_fallback"))))
        plan.parts.append(_Part(4, pick("request", templates.variants("request"))))
        return plan

    closing = picker.pick("closing", templates.variants("closing"))
    shifts: dict[str, int] = {}
    dropped: set[str] = set()
    needs: set[str] = set()
    for _ in range(16):
        plan = build(shifts, dropped, needs)
        text, spans = plan.render(closing, fields["name"])
        checked = check_letter(
            text,
            report=level,
            company=company,
            interviewer=interviewer,
            role=role,
            analyzer=analyzer,
        )
        if not checked.findings:
            addresses = tuple(dict.fromkeys(c for p in plan.parts for c in p.codes))
            used = tuple(p.moment for p in plan.parts if p.moment)
            return Draft(text=text, addresses=addresses, moments=used)
        culprits: list[_Part] = []
        missing = {_MISSING_FIX[f.code] for f in checked.findings if f.code in _MISSING_FIX}
        if missing - needs:
            needs |= missing
            continue
        for f in checked.findings:
            if f.code == "letter_too_long" or not f.evidence:
                continue
            culprits.extend(
                part
                for s, e, part in spans
                if any(ev.start < e and s < ev.end for ev in f.evidence)
            )
        if not culprits and any(f.code == "letter_too_long" for f in checked.findings):
            culprits = sorted((p for p in plan.parts if p.drop), key=lambda p: -p.drop)[:1]
        if not culprits:
            break
        for part in culprits:
            if part.drop:
                dropped.add(part.text)
                continue
            key = next(
                (k for k in _SHIFTABLE if part.text in _variants_filled(templates, k, fields)), ""
            )
            if not key or shifts.get(key, 0) + 1 >= len(templates.variants(key)):
                return _minimal(templates, picker, fields, closing, serious, report)
            shifts[key] = shifts.get(key, 0) + 1
    return _minimal(templates, picker, fields, closing, serious, report)


def _variants_filled(templates: LetterTemplates, key: str, fields: Mapping[str, str]) -> set[str]:
    return {_fill(v, fields) for v in templates.variants(key)}


def _minimal(
    templates: LetterTemplates,
    picker: _Picker,
    fields: Mapping[str, str],
    closing: str,
    serious: bool,
    report: Report,
) -> Draft:
    """The shortest draft: thanks, a general acknowledgement when needed, the 90-day offer."""
    greet = "greeting_interviewer" if fields["interviewer"] else "greeting_team"
    topic = templates.topics.get(_first_question(report)) or templates.topics["default"]
    paragraphs = [
        _fill(picker.pick(greet, templates.variants(greet)), fields),
        " ".join(
            [
                _fill(picker.pick("thanks", templates.variants("thanks")), fields),
                _fill(picker.pick("topic", topic), fields),
            ]
        ),
    ]
    if serious:
        paragraphs.append(
            _fill(picker.pick("ack_general", templates.variants("ack_general")), fields)
        )
    paragraphs.append(
        _fill(picker.pick("case_fallback", templates.variants("case_fallback")), fields)
    )
    paragraphs.append(_fill(picker.pick("request", templates.variants("request")), fields))
    text = "\n\n".join(paragraphs) + f"\n\n{closing}\n{fields['name']}"
    return Draft(text=text, addresses=(), moments=())
