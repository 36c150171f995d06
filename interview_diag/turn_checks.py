"""Turn-level check types: findings that need the whole interview, not one sentence.

Each check type is a pure function ``(rule, findings, inp) -> list[Finding]``: it
reads the rule's parameters (``inp.params(rule)``, so callers can override them),
the findings the span-level rules produced and the turns, and returns new
findings. Nothing here touches spaCy, and no result depends on the order the
findings arrive in. The check types:

- ``repeated_across_turns``: findings of another code (``of_code``) counted as
  distinct occurrences; medium at ``medium_at``, high at ``high_at``.
- ``absent_topic``: a company or role that is known (options, or named by the
  interviewer) and that the candidate never mentions.
- ``term_coverage``: the share of a job description's key terms the candidate used.
- ``answer_length``: answers far longer than the question needs.
- ``brevity``: one-line answers to open questions, or a candidate who barely spoke.
- ``token_rate``: filler words per 100 candidate words.

Messages of turn-level rules are templates: ``{name}`` fields are filled with the
figures each check computes (listed in its docstring); unknown fields stay as written.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from interview_diag.layout import evidence_in_turn
from interview_diag.questions import TurnContext, is_open
from interview_diag.rules.schema import Rule
from interview_diag.types import Evidence, Finding, Kind, Severity, Transcript, Turn


@dataclass(frozen=True)
class InterviewInput:
    """What turn-level checks may look at.

    Attributes:
        transcript: the turns, with roles.
        kind: transcript, answer, recap or letter.
        contexts: per turn, the question it answers and the topics raised before it.
        options: ``company``, ``role``, ``job_description`` and other options.
        thresholds: overrides of rule parameters, by code or rule id
            (``{"rambling": {"max_words": 300}}``).
    """

    transcript: Transcript
    kind: Kind
    contexts: tuple[TurnContext, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def params(self, rule: Rule) -> dict[str, Any]:
        """The rule's parameters with any overrides for its code, then its id, applied."""
        out = dict(rule.params)
        out.update(self.thresholds.get(rule.code, {}))
        out.update(self.thresholds.get(rule.id, {}))
        return out

    @cached_property
    def turn_words(self) -> tuple[int, ...]:
        """The number of words of each turn, by turn index (counted once)."""
        return tuple(count_words(t.text) for t in self.transcript.turns)


TurnCheck = Callable[[Rule, Sequence[Finding], InterviewInput], list[Finding]]

_WORD = re.compile(r"[^\W_](?:[\w'\u2019-]*[^\W_])?")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)]*\s+|\n+")


class _Figures(dict[str, Any]):
    """Format fields for message templates; a field with no figure stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _message(rule: Rule, figures: Mapping[str, Any]) -> str:
    try:
        return rule.message.format_map(_Figures(figures))
    except (ValueError, IndexError, AttributeError, TypeError):
        # A template whose fields do not fit the figures is shown as written.
        return rule.message


def _finding(
    rule: Rule,
    evidence: Iterable[Evidence],
    figures: Mapping[str, Any],
    *,
    severity: Severity | None = None,
    details: Mapping[str, Any] | None = None,
) -> Finding:
    return Finding(
        code=rule.code,
        severity=severity if severity is not None else rule.severity,
        score=rule.score,
        impression=rule.impression,
        evidence=tuple(sorted(set(evidence), key=lambda e: (e.start, e.end))),
        message=_message(rule, figures),
        advice=rule.advice,
        rule_id=rule.id,
        source="rule",
        details=dict(details or {}),
    )


def count_words(text: str) -> int:
    """Number of words (runs of letters or digits, with inner ``'`` or ``-``) in ``text``.

    Example:
        >>> count_words("Um, I'd say it's well-known.")
        5
    """
    return len(_WORD.findall(text))


def _candidate_turns(inp: InterviewInput) -> list[Turn]:
    return [t for t in inp.transcript.turns if t.role == "candidate" and t.text.strip()]


def _text_offset(turn: Turn, source_pos: int) -> int:
    """Map a source offset inside ``turn`` to an offset in ``turn.text``."""
    for c in turn.chunks:
        if c.source_start <= source_pos < c.source_end:
            return c.text_start + (source_pos - c.source_start if c.exact else 0)
    return len(turn.text) if turn.chunks and source_pos >= turn.end else 0


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` (split after ``.!?`` and at line breaks)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, len(text))]


def _sentence_index(spans: Sequence[tuple[int, int]], pos: int) -> int:
    for i, (_s, e) in enumerate(spans):
        if pos < e:
            return i
    return len(spans) - 1


def _whole_turn(inp: InterviewInput, turn: Turn) -> tuple[Evidence, ...]:
    return evidence_in_turn(inp.transcript, turn, 0, len(turn.text))


def _first_words(inp: InterviewInput, turn: Turn, n: int) -> tuple[Evidence, ...]:
    """Evidence for the first ``n`` words of a turn (the whole turn when shorter)."""
    end = len(turn.text)
    for i, m in enumerate(_WORD.finditer(turn.text)):
        if i == n - 1:
            end = m.end()
            break
    return evidence_in_turn(inp.transcript, turn, 0, end)


# -- answers -------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """Consecutive candidate turns read as one answer.

    Attributes:
        turns: the candidate turns, in order.
        question: the type of the question they answer (from the first turn's context).
        words: the number of words in all of them.
    """

    turns: tuple[Turn, ...]
    question: str | None
    words: int


def _is_backchannel(inp: InterviewInput, turn: Turn, max_words: int) -> bool:
    """An interviewer's "Mm-hmm." or "Right." that does not end the candidate's answer."""
    return "?" not in turn.text and inp.turn_words[turn.index] <= max_words


def group_answers(inp: InterviewInput, backchannel_words: int = 3) -> list[Answer]:
    """The candidate's answers: runs of candidate turns, read across interviewer backchannel.

    Args:
        inp: the interview.
        backchannel_words: an interviewer turn this short, without a question mark,
            does not end the candidate's answer ("Mm-hmm.", "Right, go on.").

    Returns:
        The answers in order.
    """
    out: list[Answer] = []
    current: list[Turn] = []
    question: str | None = None
    for t in inp.transcript.turns:
        if t.role == "candidate" and t.text.strip():
            if not current:
                ctx = inp.contexts[t.index] if t.index < len(inp.contexts) else None
                question = ctx.question if ctx is not None else None
            current.append(t)
        elif t.role == "candidate" or (current and _is_backchannel(inp, t, backchannel_words)):
            continue
        elif current:
            out.append(
                Answer(tuple(current), question, sum(inp.turn_words[x.index] for x in current))
            )
            current = []
    if current:
        out.append(Answer(tuple(current), question, sum(inp.turn_words[x.index] for x in current)))
    return out


# -- repeated_across_turns -------------------------------------------------------


_NAME = re.compile(
    r"[A-Z][\w&\u2019'-]*(?:[ \t]+(?:&[ \t]+|of[ \t]+|de[ \t]+)?[A-Z][\w&\u2019'-]*){0,3}"
)


_NUMBER_WORDS = frozenset(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    + ("eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred")
    + ("few", "couple", "several", "many")
)


def _subject_keys(sentence: str, params: Mapping[str, Any]) -> frozenset[str]:
    """What a sentence names as its subject: employer names, ordinal or place references.

    ``params`` may give ``name_after`` (words after which a capitalised name counts,
    such as "at" or "left"), ``ordinals`` ("first", "next"...) with ``ordinal_nouns``
    ("job", "place"...), ``place_after`` (leave verbs followed by "the bakery"...)
    and ``not_names`` (capitalised words that are no names).
    """
    keys: set[str] = set()
    not_names = {w.casefold() for w in params.get("not_names", [])}
    after = [w for w in params.get("name_after", []) if w]
    if after:
        lead = "|".join(re.escape(w) for w in sorted(after, key=len, reverse=True))
        for m in re.finditer(rf"(?i:\b(?:{lead}))\s+({_NAME.pattern})", sentence):
            name = m.group(1).rstrip(".'\u2019").removesuffix("'s").removesuffix("\u2019s")
            words = [w for w in name.split() if w.casefold() not in not_names]
            if words:
                keys.add("name:" + " ".join(words).casefold())
    ordinals = [w for w in params.get("ordinals", []) if w]
    nouns = [w for w in params.get("ordinal_nouns", []) if w]
    if ordinals and nouns:
        o = "|".join(re.escape(w) for w in ordinals)
        n = "|".join(re.escape(w) for w in nouns)
        for m in re.finditer(rf"(?i)\b({o})\s+(?:\w+\s+)?(?:{n})\b", sentence):
            keys.add("ordinal:" + m.group(1).casefold())
    place_after = [w for w in params.get("place_after", []) if w]
    generic = {w.casefold() for w in params.get("generic_places", [])}
    if place_after:
        lead = "|".join(re.escape(w) for w in sorted(place_after, key=len, reverse=True))
        for m in re.finditer(rf"(?i)\b(?:{lead})\s+(?:the|my|that|this)\s+([a-z][\w-]*)", sentence):
            word = m.group(1).casefold()
            if (
                word not in generic
                and word not in {o.casefold() for o in ordinals}
                and not (word.isdigit() or word in _NUMBER_WORDS)
            ):
                keys.add("place:" + word)
    return frozenset(keys)


def check_repeated_across_turns(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """The same kind of finding made about several distinct things (job after job left).

    Findings of ``params.of_code`` are counted as distinct occurrences: each
    candidate turn holding one is an occurrence (unless all the subjects it names
    were counted before: the same employer explained twice); inside one turn, a
    later finding is a further occurrence when the words around it (up to the
    neighbouring findings, within its sentence) name a subject (employer name, "my
    first job", "left the bakery") not named before.

    Params: ``of_code``; ``medium_at`` (2) and ``high_at`` (3) occurrences; the
    subject cues of ``_subject_keys``. Message figures: ``count``, ``code``.

    Returns:
        At most one finding, whose evidence is that of every counted finding.
    """
    params = inp.params(rule)
    of_code = str(params.get("of_code", ""))
    medium_at = int(params.get("medium_at", 2))
    high_at = int(params.get("high_at", 3))
    turns = inp.transcript.turns
    relevant = sorted(
        (f for f in findings if f.code == of_code and f.evidence),
        key=lambda f: (f.evidence[0].start, f.evidence[0].end, f.rule_id),
    )
    by_turn: dict[int, list[Finding]] = {}
    for f in relevant:
        turn_index = f.evidence[0].turn
        if 0 <= turn_index < len(turns) and turns[turn_index].role == "candidate":
            by_turn.setdefault(turn_index, []).append(f)
    occurrences: list[tuple[int, frozenset[str]]] = []
    evidence: list[Evidence] = []
    earlier_keys: set[str] = set()
    for turn_index in sorted(by_turn):
        turn = turns[turn_index]
        found = by_turn[turn_index]
        spans = _sentence_spans(turn.text)
        starts = [_text_offset(turn, f.evidence[0].start) for f in found]
        ends = [_text_offset(turn, f.evidence[-1].end - 1) + 1 for f in found]
        seen_keys: set[str] = set()
        for i, f in enumerate(found):
            evidence.extend(f.evidence)
            sent_start, sent_end = spans[_sentence_index(spans, starts[i])]
            # The words around this finding only: from the previous finding (or the
            # sentence start) to the next one (or the sentence end).
            lo = max(sent_start, ends[i - 1]) if i else sent_start
            hi = min(sent_end, starts[i + 1]) if i + 1 < len(found) else sent_end
            keys = _subject_keys(turn.text[lo : max(lo, hi)], params)
            if i == 0:
                # A new turn is a new occurrence, unless it only names subjects
                # already counted (the same employer explained a second time).
                if not keys or not keys <= earlier_keys:
                    occurrences.append((turn_index, keys))
            elif keys and not keys <= seen_keys | earlier_keys:
                occurrences.append((turn_index, keys - seen_keys))
            seen_keys |= keys
        earlier_keys |= seen_keys
    count = len(occurrences)
    if count < medium_at:
        return []
    severity = Severity.HIGH if count >= high_at else Severity.MEDIUM
    details = {
        "count": count,
        "of_code": of_code,
        "occurrences": [
            {"turn": t, "subjects": sorted(k.split(":", 1)[1] for k in keys)}
            for t, keys in occurrences
        ],
    }
    return [
        _finding(
            rule, evidence, {"count": count, "code": of_code}, severity=severity, details=details
        )
    ]


# -- absent_topic -----------------------------------------------------------------


def _name_pattern(cue: str) -> re.Pattern[str]:
    """A cue such as ``"here at {name}"`` as a regex with a ``name`` group."""
    before, _, after = cue.partition("{name}")
    return re.compile(
        r"(?i:\b"
        + re.escape(before)
        + r")(?P<name>"
        + _NAME.pattern
        + r")"
        + (r"(?i:" + re.escape(after) + r"\b)" if after.strip() else "")
    )


def _interviewer_names(
    inp: InterviewInput, params: Mapping[str, Any]
) -> list[tuple[Turn, int, int, str]]:
    """Company names the interviewer uses in cues like "here at Acme" (turn, start, end, name)."""
    not_names = {w.casefold() for w in params.get("not_names", [])}
    patterns = [_name_pattern(c) for c in params.get("name_cues", []) if "{name}" in c]
    out: list[tuple[Turn, int, int, str]] = []
    for t in inp.transcript.turns:
        if t.role != "interviewer":
            continue
        for p in patterns:
            for m in p.finditer(t.text):
                name = m.group("name")
                start = m.start("name")
                trimmed = name.rstrip(".,'\u2019").removesuffix("'s").removesuffix("\u2019s")
                words = list(re.finditer(r"\S+", trimmed))
                while words and words[-1].group(0).casefold() in not_names:
                    words.pop()
                if not words or words[0].group(0).casefold() in not_names:
                    continue
                end = start + words[-1].end()
                out.append((t, start, end, t.text[start:end]))
    out.sort(key=lambda x: (x[0].index, x[1], -x[2]))
    return out


def _mentions(text: str, phrase: str) -> bool:
    words = phrase.split()
    if not words:
        return False
    pattern = r"\s+".join(re.escape(w) for w in words)
    return re.search(rf"(?<![\w])(?:{pattern})(?![\w])", text, re.IGNORECASE) is not None


def check_absent_topic(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """The company or role is known, and the candidate never mentions it.

    The company is known from ``options["company"]``, the role from
    ``options["role"]``, or the interviewer names the company in a cue from
    ``params.name_cues`` ("here at {name}"). The candidate mentions it when any
    candidate turn holds the company name, its first word (unless listed in
    ``params.generic_words``), or a word of the role (stem match, minus
    ``params.role_stop_words``).

    Message figures: ``subject`` (what was never mentioned).

    Returns:
        At most one finding; its evidence is the interviewer's first naming of the
        company, or nothing when only the options name it.
    """
    params = inp.params(rule)
    candidate = _candidate_turns(inp)
    if not candidate:
        return []
    named = _interviewer_names(inp, params)
    company = str(inp.options.get("company") or "").strip()
    role = str(inp.options.get("role") or "").strip()
    names = [company] if company else []
    names.extend(n for _, _, _, n in named if n.casefold() not in {x.casefold() for x in names})
    if not names and not role:
        return []
    generic = {w.casefold() for w in params.get("generic_words", [])}
    phrases: list[str] = []
    for n in names:
        phrases.append(n)
        first = n.split()[0]
        if len(n.split()) > 1 and len(first) >= 3 and first.casefold() not in generic:
            phrases.append(first)
    said = "\n".join(t.text for t in candidate)
    if any(_mentions(said, p) for p in phrases):
        return []
    role_stop = {w.casefold() for w in params.get("role_stop_words", [])}
    role_words = [w for w in (m.group(0).casefold() for m in _WORD.finditer(role)) if len(w) >= 3]
    role_stems = {stem(w) for w in role_words if w not in role_stop}
    said_stems = {stem(m.group(0).casefold()) for m in _WORD.finditer(said)}
    if role_stems & said_stems:
        return []
    parts = []
    if names:
        parts.append(" or ".join(dict.fromkeys(names)))
    if role:
        parts.append(f"the {role} role")
    subject = " or ".join(parts)
    evidence: tuple[Evidence, ...] = ()
    if named:
        t, a, b, _ = named[0]
        evidence = evidence_in_turn(inp.transcript, t, a, b)
    details = {"names": list(dict.fromkeys(names)), "role": role or None}
    return [_finding(rule, evidence, {"subject": subject}, details=details)]


# -- term_coverage ------------------------------------------------------------------

_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """A crude stem, enough to match "forecasting" with "forecasts" and "managed" with "manager".

    Example:
        >>> stem("forecasting") == stem("forecasts")
        True
    """
    w = word.casefold().replace("\u2019", "'").removesuffix("'s")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def key_terms(text: str, params: Mapping[str, Any]) -> list[str]:
    """The key terms of a job description: frequent content words and bigrams.

    Words shorter than ``min_length`` (3) and ``stop_words`` are dropped; a bigram
    (two content words in a row within a clause) counts when it occurs at least
    twice. Terms are ranked by frequency (bigrams get a bonus of 0.5), then by first
    appearance; the top ``top_n`` (12) are kept, and a word already inside a kept
    bigram is not kept on its own.

    Args:
        text: the job description.
        params: ``stop_words``, ``min_length``, ``top_n``.

    Returns:
        The terms, most important first, lower-cased.
    """
    stop = {w.casefold() for w in params.get("stop_words", [])}
    min_length = int(params.get("min_length", 3))
    top_n = int(params.get("top_n", 12))
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    position = 0
    for clause in re.split(r"[.,;:!?()\n\u2022/|]+", text):
        prev: str | None = None
        for m in _WORD.finditer(clause):
            w = m.group(0).casefold().replace("\u2019", "'")
            position += 1
            if len(w) < min_length or w in stop or w.isdigit():
                prev = None
                continue
            scores[w] += 1
            first.setdefault(w, position)
            if prev is not None:
                bigram = f"{prev} {w}"
                scores[bigram] += 1
                first.setdefault(bigram, position)
            prev = w
    ranked = sorted(
        (t for t in scores if " " not in t or scores[t] >= 2),
        key=lambda t: (-(scores[t] + (0.5 if " " in t else 0.0)), first[t], t),
    )
    chosen: list[str] = []
    blocked: set[str] = set()
    for t in ranked:
        if len(chosen) >= top_n:
            break
        if t in blocked:
            continue
        if " " in t:
            for w in t.split():
                blocked.add(w)
                if w in chosen:
                    chosen.remove(w)
        chosen.append(t)
    return chosen


def check_term_coverage(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """Too few of the job description's key terms in what the candidate said.

    A term is covered when the candidate used every word of it (stem match, any
    candidate turn). Params: ``min_coverage`` (0.5), ``min_terms`` (5) and those of
    ``key_terms``. Message figures: ``covered``, ``total``, ``coverage``
    (a ratio), ``missing`` (comma-separated).

    Returns:
        At most one finding, without evidence (the missing words are, by
        definition, nowhere in the input); details list the terms and the ratio.
    """
    params = inp.params(rule)
    description = str(inp.options.get("job_description") or "")
    candidate = _candidate_turns(inp)
    if not description.strip() or not candidate:
        return []
    terms = key_terms(description, params)
    if len(terms) < int(params.get("min_terms", 5)):
        return []
    said = {stem(m.group(0)) for t in candidate for m in _WORD.finditer(t.text)}
    missing = [t for t in terms if not all(stem(w) in said for w in t.split())]
    covered = len(terms) - len(missing)
    coverage = covered / len(terms)
    if coverage >= float(params.get("min_coverage", 0.5)):
        return []
    figures = {
        "covered": covered,
        "total": len(terms),
        "coverage": coverage,
        "missing": ", ".join(missing),
    }
    details = {"terms": terms, "missing": missing, "coverage": round(coverage, 4)}
    return [_finding(rule, (), figures, details=details)]


# -- answer_length ----------------------------------------------------------------


def check_answer_length(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """Answers far longer than the question needs.

    An answer (consecutive candidate turns) is too long when it has more than
    ``max_words`` (250) words, or, when the candidate gave at least ``min_answers``
    (3) answers, more than ``ratio`` (3) times their median answer and at least
    ``min_words`` (100). Severity is the rule's, raised to medium past
    ``far_over`` (2) times the limit. Evidence is the first ``evidence_words`` (25)
    words of the answer, so a report quotes the opening, not a page.

    Message figures: ``words``, ``limit``, ``median``, ``times`` (words / limit).
    """
    params = inp.params(rule)
    max_words = int(params.get("max_words", 250))
    ratio = float(params.get("ratio", 3.0))
    min_answers = int(params.get("min_answers", 3))
    min_words = int(params.get("min_words", 100))
    far_over = float(params.get("far_over", 2.0))
    n_evidence = int(params.get("evidence_words", 25))
    answers = group_answers(inp)
    if not answers:
        return []
    median = statistics.median(a.words for a in answers)
    limit = max_words
    if len(answers) >= min_answers:
        limit = min(max_words, max(min_words, round(ratio * median)))
    out: list[Finding] = []
    for a in answers:
        if a.words <= limit:
            continue
        severity = Severity.MEDIUM if a.words > far_over * limit else rule.severity
        figures = {"words": a.words, "limit": limit, "median": median, "times": a.words / limit}
        details = {
            "words": a.words,
            "limit": limit,
            "median_words": median,
            "answers": len(answers),
        }
        ev = _first_words(inp, a.turns[0], n_evidence)
        out.append(_finding(rule, ev, figures, severity=severity, details=details))
    return out


# -- brevity ------------------------------------------------------------------------


def check_brevity(rule: Rule, findings: Sequence[Finding], inp: InterviewInput) -> list[Finding]:
    """One-line answers to open questions (``mode: "answer"``), or a silent candidate (``"share"``).

    ``answer`` mode: an answer of fewer than ``max_words`` (8) words to a question
    whose type is open (``questions.is_open``) is flagged, unless it is itself a
    question (a request to clarify); evidence is the answer. Figures: ``words``,
    ``question``.

    ``share`` mode (transcripts): the candidate said less than ``min_share`` (0.35)
    of the words of an interview of at least ``min_interview_words`` (150) words.
    No evidence (the problem is what is missing). Figures: ``share``,
    ``candidate_words``, ``total_words``.
    """
    params = inp.params(rule)
    if str(params.get("mode", "answer")) == "share":
        return _brief_share(rule, params, inp)
    return _brief_answers(rule, params, inp)


def _brief_share(rule: Rule, params: Mapping[str, Any], inp: InterviewInput) -> list[Finding]:
    total = sum(inp.turn_words)
    said = sum(inp.turn_words[t.index] for t in _candidate_turns(inp))
    if said == 0 or total < int(params.get("min_interview_words", 150)):
        return []
    share = said / total
    if share >= float(params.get("min_share", 0.35)):
        return []
    figures = {"share": share, "candidate_words": said, "total_words": total}
    return [_finding(rule, (), figures, details={**figures, "share": round(share, 4)})]


def _brief_answers(rule: Rule, params: Mapping[str, Any], inp: InterviewInput) -> list[Finding]:
    max_words = int(params.get("max_words", 8))
    out: list[Finding] = []
    for a in group_answers(inp):
        if a.words >= max_words or a.words == 0 or not is_open(a.question):
            continue
        if a.turns[-1].text.rstrip().endswith("?"):
            continue
        evidence = [e for t in a.turns for e in _whole_turn(inp, t)]
        figures: dict[str, Any] = {"words": a.words, "question": a.question}
        out.append(_finding(rule, evidence, figures, details=dict(figures)))
    return out


# -- token_rate ---------------------------------------------------------------------


def check_token_rate(rule: Rule, findings: Sequence[Finding], inp: InterviewInput) -> list[Finding]:
    """Too many filler words per 100 words of the candidate.

    ``params.fillers`` maps a filler's name to a regular expression (so "like" can
    be a filler only next to a comma); a regex only runs on turns that contain the
    first word of its name (any case), so every match must contain that word.
    Overlapping matches count once. Fires when
    the rate per 100 candidate words exceeds ``max_rate`` (4) and the candidate said
    at least ``min_words`` (40) words. Evidence is every filler occurrence.

    Message figures: ``count``, ``words``, ``rate``, ``top`` (the most frequent filler).
    """
    params = inp.params(rule)
    fillers = params.get("fillers", {})
    if not isinstance(fillers, Mapping) or not fillers:
        return []
    compiled = [
        (str(name), str(name).split()[0].casefold(), re.compile(str(rx)))
        for name, rx in sorted(fillers.items())
        if str(name).split()
    ]
    turns = _candidate_turns(inp)
    words = sum(inp.turn_words[t.index] for t in turns)
    if words == 0 or words < int(params.get("min_words", 40)):
        return []
    hits: list[tuple[Turn, int, int, str]] = []
    for t in turns:
        folded = t.text.casefold()
        found = sorted(
            (m.start(), -m.end(), name)
            for name, hint, rx in compiled
            if hint in folded
            for m in rx.finditer(t.text)
        )
        last_end = -1
        for start, neg_end, name in found:
            if start >= last_end and -neg_end > start:
                hits.append((t, start, -neg_end, name))
                last_end = -neg_end
    rate = 100.0 * len(hits) / words
    if rate <= float(params.get("max_rate", 4.0)):
        return []
    counts = Counter(name for *_, name in hits)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    evidence = [e for t, a, b, _ in hits for e in evidence_in_turn(inp.transcript, t, a, b)]
    figures = {"count": len(hits), "words": words, "rate": rate, "top": top}
    details = {"counts": dict(sorted(counts.items())), "rate": round(rate, 2), "words": words}
    return [_finding(rule, evidence, figures, details=details)]


TURN_CHECKS: Mapping[str, TurnCheck] = MappingProxyType(
    {
        "repeated_across_turns": check_repeated_across_turns,
        "absent_topic": check_absent_topic,
        "term_coverage": check_term_coverage,
        "answer_length": check_answer_length,
        "brevity": check_brevity,
        "token_rate": check_token_rate,
    }
)
