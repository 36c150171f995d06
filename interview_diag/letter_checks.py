"""Whole-letter check types: what a follow-up letter lacks, and how long it is.

These are turn-level check types (they run in ``aggregate`` with the other
interview-level checks) that only make sense over a whole letter:

- ``letter_missing``: fires when none of the rule's ``phrases`` and none of its
  ``params.regex`` patterns occur anywhere in the letter (both are matched
  against the letter as ``normalise`` gives it: lower case, straight quotes,
  contractions expanded) (no thanks, nothing
  specific, no concrete case, no acknowledgement). A regex may name the options
  ``{company}``, ``{interviewer}`` and ``{role}``; a pattern whose option is not
  given is left out. With ``params.levels`` the check runs only when the
  interview the letter follows reached one of these summary levels
  (``options["interview_level"]``, set by ``check_letter``). The finding rests on
  what is missing, so it carries no evidence.
- ``letter_specificity``: fires when the letter says nothing specific to the
  company, the role or the conversation: no cue phrase, and no sentence that may
  be about the reader holds enough words outside the stock vocabulary of
  follow-up letters (see ``check_letter_specificity``).
- ``letter_length``: fires when the letter has more than ``params.max_words``
  (250) words; the evidence is the whole letter, from its first to its last
  character. Message figures: ``words``, ``limit``.

The letter is every turn of the input that is not the interviewer's (a letter
read as prose is one turn per paragraph, all the candidate's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from interview_diag.rules.schema import Rule
from interview_diag.turn_checks import InterviewInput, TurnCheck, count_words
from interview_diag.types import Evidence, Finding, Turn

LEVEL_OPTION = "interview_level"
"""The ``InterviewInput.options`` key holding the level of the interview a letter follows."""

_OPTION_FIELD = re.compile(r"\{(company|interviewer|role)\}")


def letter_turns(inp: InterviewInput) -> list[Turn]:
    """The turns that make up the letter: every non-empty turn not the interviewer's."""
    return [t for t in inp.transcript.turns if t.role != "interviewer" and t.text.strip()]


_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
)


def normalise(text: str) -> str:
    """Casefold, straighten quotes, expand contractions and collapse white space.

    Phrases and the letter both go through it, so "didn't" matches "did not".

    Example:
        >>> normalise("I DIDN\u2019T   know")
        'i did not know'
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').casefold()
    for pattern, full in _CONTRACTIONS:
        text = pattern.sub(full, text)
    return " ".join(text.split())


def phrase_regex(phrase: str) -> str:
    """A phrase as a regex source: words in order, any white space, at word boundaries."""
    words = normalise(phrase).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return rf"(?<!\w){body}(?!\w)"


def _words_regex(value: str) -> str:
    return r"\s+".join(re.escape(w) for w in normalise(value).split())


def _fill_options(pattern: str, values: Mapping[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        return _words_regex(values[m.group(1)])

    return _OPTION_FIELD.sub(one, pattern)


def _option_regexes(patterns: Sequence[str], options: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for pattern in patterns:
        names = set(_OPTION_FIELD.findall(pattern))
        values = {n: str(options.get(n) or "").strip() for n in names}
        if any(not v for v in values.values()):
            continue
        out.append(_fill_options(pattern, values))
    return out


def _finding(rule: Rule, evidence: tuple[Evidence, ...], figures: Mapping[str, Any]) -> Finding:
    try:
        message = rule.message.format(**figures) if figures else rule.message
    except (KeyError, IndexError, ValueError):
        message = rule.message
    return Finding(
        code=rule.code,
        severity=rule.severity,
        score=rule.score,
        impression=rule.impression,
        evidence=evidence,
        message=message,
        advice=rule.advice,
        rule_id=rule.id,
        source="rule",
        details=dict(figures),
    )


def check_letter_missing(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """The letter holds none of the rule's phrases or patterns.

    Params: ``regex`` (patterns, case-insensitive, over the normalised letter text;
    ``{company}``, ``{interviewer}``, ``{role}`` are filled from the options),
    ``levels`` (run only after an interview at one of these levels),
    ``min_words`` (skip letters shorter than this; default 1),
    ``unless_codes`` (skip letters that already have a finding of one of these
    codes: a letter that makes excuses for the interview or blames someone for it
    does not fail to mention it, and gets those findings instead).

    Returns:
        At most one finding, without evidence.
    """
    params = inp.params(rule)
    levels = params.get("levels")
    if levels is not None and inp.options.get(LEVEL_OPTION) not in set(levels):
        return []
    unless = set(params.get("unless_codes", ()))
    if any(f.code in unless for f in findings):
        return []
    turns = letter_turns(inp)
    text = normalise("\n".join(t.text for t in turns))
    if count_words(text) < int(params.get("min_words", 1)) or _mentions(rule, params, inp, text):
        return []
    return [_finding(rule, (), {})]


def _mentions(rule: Rule, params: Mapping[str, Any], inp: InterviewInput, text: str) -> bool:
    """Does the letter hold one of the rule's phrases or ``params.regex`` patterns?"""
    sources = [phrase_regex(p) for p in rule.phrases]
    sources += _option_regexes([str(p) for p in params.get("regex", [])], inp.options)
    return any(re.search(s, text) for s in sources)


_WORD_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_SENTENCES = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?")
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s"
    r"|\b(?:and|but|so|which|because|while|though|although|if|before|until|unless|once)\b",
    re.IGNORECASE,
)
_INDEFINITE = frozenset({"a", "an"})
_NAME_LINE = re.compile(r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3}")
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hiya|hello|hey|alright|morning|afternoon|evening|greetings|ciao|hola|good\s+\w+|to\s+whom)\b",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return [w.removesuffix("'s") for w in _WORD_TOKEN.findall(normalise(text))]


def _body_turns(turns: Sequence[Turn], max_signoff_words: int) -> list[Turn]:
    """The letter without its greeting line and its sign-off paragraph."""
    body = list(turns)
    if body and _GREETING.match(body[0].text) and count_words(body[0].text) <= 8:
        body = body[1:]
    if len(body) > 1:
        lines = body[-1].text.strip().splitlines()
        # A name on its own last line ("Joseph Amadi") is not part of the sign-off count.
        if len(lines) > 1 and _NAME_LINE.fullmatch(lines[-1].strip()):
            lines = lines[:-1]
        if count_words(" ".join(lines)) <= max_signoff_words:
            body = body[:-1]
    return body


def _is_stock(word: str, stock: set[str], ends: set[str]) -> bool:
    """A stock word or its plural, or a compound of stock words or with a stock head.

    Example:
        >>> _is_stock("people-focused", {"people"}, {"focused"})
        True
    """
    parts = word.split("-")
    if word in stock or (word.endswith("s") and word[:-1] in stock):
        return True
    return len(parts) > 1 and (parts[-1] in ends or set(parts) <= stock)


def _about_reader(
    clause: Sequence[str],
    reader: set[str],
    talk: set[str],
    phrases: Sequence[re.Pattern[str]],
    indefinite: frozenset[str] = _INDEFINITE,
    nouns: frozenset[str] = frozenset(),
    stops: frozenset[str] = frozenset(),
) -> bool:
    """Does the clause name the reader: a reader word, a word of the conversation not
    right after a word of ``indefinite`` ("the tour", not "a tour operator" or "in
    every case"), a word of ``nouns`` right after "the" and not followed by a word
    of ``stops`` ("the firm's move", not "the company I left"), or a reader phrase?

    Example:
        >>> _about_reader(["of", "a", "tour", "operator"], {"you"}, {"tour"}, [])
        False
        >>> _about_reader(["the", "firm", "move"], set(), set(), [], nouns=frozenset({"firm"}))
        True
    """
    said = " ".join(clause)
    return any(
        w in reader
        or (w in talk and (i == 0 or clause[i - 1] not in indefinite))
        or (
            w in nouns
            and i > 0
            and clause[i - 1] == "the"
            and (i + 1 == len(clause) or clause[i + 1] not in stops)
        )
        for i, w in enumerate(clause)
    ) or any(p.search(said) for p in phrases)


def _reader_words(
    clauses: Sequence[list[str]],
    about: Sequence[bool],
    mine: bool,
    first: set[str],
    openers: set[str],
    modals: frozenset[str] = frozenset(),
    offers: frozenset[str] = frozenset(),
) -> list[str]:
    """The words of the clauses of a sentence that may be about the reader.

    A clause that names the reader (``about``) may be about them, unless it opens
    with the first person and offers the candidate ("I am sure I could lead your
    team", see ``_offers``: it says nothing of the reader); one that opens with the first
    person is about the candidate; any other clause goes with the
    one before it ("..., and for explaining the plan"). A clause that opens the
    sentence with a word of ``openers`` is about the candidate if it holds the first
    person ("In my last post, ..."); if not, it and the clauses that follow it go
    with the first clause after them that is decided ("With ten years in retail,
    ..., I ..."). ``mine``: the sentence opens about the candidate.

    Example:
        >>> _reader_words([["i", "x"], ["so", "your", "y"]], [False, True], True, {"i"}, set())
        ['so', 'your', 'y']
        >>> _reader_words([["with", "x"], ["i", "y"]], [False, False], False, {"i"}, {"with"})
        []
        >>> offer = [["i", "could", "lead", "your", "y"]]
        >>> _reader_words(offer, [True], True, {"i"}, set(), {"could"}, {"lead"})
        []
    """
    out: list[str] = []
    pending: list[str] = []
    decided: bool | None = None
    for clause, named in zip(clauses, about, strict=True):
        opener = decided is None and bool(clause[:1]) and clause[0] in openers
        offer = bool(clause[:1]) and clause[0] in first and _offers(clause, first, modals, offers)
        if named and not offer:
            now = False
        elif (clause[:1] and clause[0] in first) or (opener and first & set(clause)):
            now = True
        elif opener or (decided is None and pending):
            pending += clause
            continue
        else:
            now = mine if decided is None else decided
        if not now:
            out += pending + clause
        pending = []
        decided = now
    if not mine:
        out += pending
    return out


def _offers(
    clause: Sequence[str], first: set[str], modals: frozenset[str], verbs: frozenset[str]
) -> bool:
    """Does the clause offer the candidate: the first person, a modal, then (after at
    most one other word) a verb of ``verbs`` ("I'd really bring", "I could lead")?

    Example:
        >>> _offers(["i", "am", "sure", "i", "could", "lead", "x"], {"i"}, {"could"}, {"lead"})
        True
        >>> _offers(["i", "would", "ask", "you"], {"i"}, {"would"}, {"lead"})
        False
    """
    for i in range(len(clause) - 2):
        if clause[i] in first and clause[i + 1] in modals:
            rest = clause[i + 2 : i + 4]
            if rest[:1] and (rest[0] in verbs or (len(rest) > 1 and rest[1] in verbs)):
                return True
    return False


def _place_names(sentence: str, cues: set[str]) -> set[str]:
    """Capitalised words right after a cue word (and "the") or a possessive: names of
    places, things.

    Example:
        >>> sorted(_place_names("Acme's Porto clinic opens in May at the Worlds", {"in", "at"}))
        ['may', 'porto', 'worlds']
    """
    words = [w for w in re.findall(r"[\w'\u2019]+", sentence) if w.casefold() != "the"]
    return {
        b.casefold()
        for a, b in zip(words, words[1:], strict=False)
        if b[:1].isupper()
        and b[1:].islower()
        and (a.casefold() in cues or a.casefold().endswith(("'s", "\u2019s")))
    }


def check_letter_specificity(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """Nothing in the letter is specific to the company, the role or the conversation.

    The letter is specific when any of the rule's ``phrases`` or ``params.regex``
    occurs (as for ``letter_missing``), or when one sentence of the body (greeting
    and sign-off left out) holds at least ``params.min_content`` (2) content words
    in the part of it that may be about the reader. A sentence holding a phrase of
    ``params.lead_phrases`` (phrases that point at what the reader said or showed:
    "you told me", "our chat about") needs only ``params.lead_content`` (1): "the
    new kiln you told me about" is specific, "what you told me about the company"
    is not.

    A sentence holding a phrase of ``params.conversation_phrases`` (phrases that own
    something that happened in the interview: "my mistake") counts whole. Any other
    sentence is cut into clauses (at commas, "and", "so", "which", "if", "before"...):
    a clause holding a reader word (``params.second_person``, the first word of the
    company's name, a word of ``params.conversation_words`` not right after a word
    of ``params.indefinite`` ("a tour operator", "in every case"), a word of
    ``params.reader_nouns`` right after "the" and not before a word of
    ``params.reader_noun_stops``: "the firm's move", not "the company I left") or a phrase of
    ``params.reader_phrases`` ("I understand", "good luck") may be about the reader,
    unless it opens with the first person and offers the candidate (the first
    person, a word of ``params.offer_modals``, then a word of ``params.offer_verbs``:
    "I am sure I could lead your team"); a clause opening with the first person
    (``params.first_person``), or a first clause with the first person (objects such
    as "me", ``params.object_person``, aside) within the sentence's first
    ``params.subject_window`` (6) words, is about the candidate;
    clauses that open the sentence with a word of ``params.openers`` ("With ten
    years in retail, I ...") go with the first clause after them that is decided;
    any other clause goes with the one before it. Only clauses that may be about
    the reader count: "I raised £180,000 for my charity, so I could grow your
    fundraising" says nothing about the reader.

    Content words have at least ``params.min_length`` (3) letters and are not
    numbers or ordinals, not words of the company, role or interviewer names, and
    not stock: in ``params.stock_words``, the plural of one, or a compound of stock
    words or ending in a word of ``params.stock_compound_ends`` ("people-focused").
    A capitalised word right after a word of ``params.place_cues`` or a possessive
    ("in Porto", "Brightline's Porto clinic") names a place or a thing and counts
    twice.

    Returns:
        At most one finding, without evidence.
    """
    params = inp.params(rule)
    turns = letter_turns(inp)
    text = normalise("\n".join(t.text for t in turns))
    if count_words(text) < int(params.get("min_words", 1)) or _mentions(rule, params, inp, text):
        return []
    stock = {normalise(w) for w in params.get("stock_words", [])}
    first = {normalise(w) for w in params.get("first_person", [])}
    second = {normalise(w) for w in params.get("second_person", [])}
    talk = {normalise(w) for w in params.get("conversation_words", [])}
    openers = {normalise(w) for w in params.get("openers", [])}
    objects = {normalise(w) for w in params.get("object_person", [])}
    modals = frozenset(normalise(w) for w in params.get("offer_modals", []))
    offers = frozenset(normalise(w) for w in params.get("offer_verbs", []))
    indefinite = frozenset(normalise(w) for w in params.get("indefinite", ["a", "an"]))
    nouns = frozenset(normalise(w) for w in params.get("reader_nouns", []))
    noun_stops = frozenset(normalise(w) for w in params.get("reader_noun_stops", []))
    reader_phrases = [re.compile(phrase_regex(p)) for p in params.get("reader_phrases", [])]
    owning = [re.compile(phrase_regex(p)) for p in params.get("conversation_phrases", [])]
    leads = [(re.compile(phrase_regex(p)), set(_words(p))) for p in params.get("lead_phrases", [])]
    company_words = _words(str(inp.options.get("company") or ""))
    # The first word names the company ("Willow" of "Willow Care Homes"); the rest
    # is often a common word ("care") that says nothing about the reader.
    reader = second | set(company_words[:1])
    names = set(company_words) | set(_words(str(inp.options.get("role") or "")))
    names |= set(_words(str(inp.options.get("interviewer") or "")))
    min_content = int(params.get("min_content", 2))
    lead_content = int(params.get("lead_content", 1))
    min_length = int(params.get("min_length", 3))
    subject_window = int(params.get("subject_window", 6))
    ends = {normalise(w) for w in params.get("stock_compound_ends", [])}
    cues = {normalise(w) for w in params.get("place_cues", [])}

    body = _body_turns(turns, int(params.get("signoff_words", 6)))
    for sentence in _SENTENCES.findall("\n".join(t.text for t in body)):
        said = normalise(sentence)
        words = _words(sentence)
        if not any(o.search(said) for o in owning):
            clauses = [_words(c) for c in _CLAUSE_BREAK.split(sentence)]
            about = [
                _about_reader(c, reader, talk, reader_phrases, indefinite, nouns, noun_stops)
                for c in clauses
            ]
            mine = bool((first - objects) & set(words[:subject_window]))
            words = _reader_words(clauses, about, mine, first, openers, modals, offers)
        places = _place_names(sentence, cues)
        content = {
            w
            for w in words
            if len(w) >= min_length
            and not _ORDINAL.fullmatch(w)
            and not _is_stock(w, stock, ends)
            and w not in names
            and w not in first
            and w not in second
        }
        led = [lead_words for lead, lead_words in leads if lead.search(said)]
        # The words of the lead phrase itself ("your plans") are not a detail.
        content -= {w for lead_words in led for w in lead_words}
        need = lead_content if led else min_content
        if len(content) + len(content & places) >= need:
            return []
    return [_finding(rule, (), {})]


def whole_letter(inp: InterviewInput) -> tuple[Evidence, ...]:
    """Evidence covering the letter from its first to its last character (one span)."""
    turns = letter_turns(inp)
    if not turns:
        return ()
    start, end = turns[0].start, turns[-1].end
    source = inp.transcript.source
    return (Evidence(start, end, source[start:end], turns[0].speaker, turns[0].index),)


def check_letter_length(
    rule: Rule, findings: Sequence[Finding], inp: InterviewInput
) -> list[Finding]:
    """The letter is longer than ``params.max_words`` (250) words.

    Returns:
        At most one finding; its evidence is the whole letter.
    """
    params = inp.params(rule)
    limit = int(params.get("max_words", 250))
    words = sum(count_words(t.text) for t in letter_turns(inp))
    if words <= limit:
        return []
    return [_finding(rule, whole_letter(inp), {"words": words, "limit": limit})]


LETTER_CHECKS: Mapping[str, TurnCheck] = MappingProxyType(
    {
        "letter_missing": check_letter_missing,
        "letter_specificity": check_letter_specificity,
        "letter_length": check_letter_length,
    }
)
"""The whole-letter check types by name (registered in ``aggregate.TURN_CHECK_FUNCTIONS``)."""
