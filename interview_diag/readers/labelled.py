"""Reading labelled transcripts: ``Name: text`` lines and their real-world variants.

Recognised speaker marks, each optionally with a clock time before or after the
name (``[00:12:03] Name:``, ``Name (00:12):``, ``12:03:45 Name:``):

- ``Name: text``, ``INTERVIEWER: text``, ``Q: text``, ``**Name:** text``;
- Otter headers: ``Name  m:ss`` or ``**Name** m:ss`` alone on a line, text below;
- Zoom chat: ``HH:MM:SS<TAB>Name:<TAB>text``, ``HH:MM:SS<TAB>Name: text`` and
  ``HH:MM:SS From  Name  to  Everyone:`` with the message on the next lines;
- whisper.cpp: ``(speaker 0) text``;
- both sides of an exchange on one line, when the line starts with an interview
  role and another one follows a sentence end: ``Interviewer: Any questions for
  us? Candidate: No, I'm good.`` is two turns.

A line without a mark continues the current turn (hard-wrapped text, paragraphs
after a blank line, pasted code in a chat). Consecutive marks for the same speaker
make one turn. Bare clock lines (``00:05:00``), Google Meet's document header and
its "Meeting ended after" line are skipped. When most lines start with a clock
time (Otter exports run through a re-timestamping script), it is removed from
continuation lines too.

Ordinary prose also has ``Word: text`` lines ("My goal: to learn."), so a plain
label counts only when it is a role (Q, INTERVIEWER, Speaker 2...), recurs, or
reads like a name and is not a heading word ("Situation:", "Note:"); see
``_Policy``. Whether a text is a transcript at all is decided by ``sniff``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from interview_diag.errors import Messages, ParseError
from interview_diag.readers.lines import split_lines, strip_span
from interview_diag.readers.speakers import (
    NAME,
    fits_label,
    is_not_speaker,
    is_role,
    looks_like_name,
)
from interview_diag.readers.timestamps import BARE_CLOCK, CLOCK, LEADING_CLOCK, MARKED_CLOCK
from interview_diag.readers.turnbuilder import Reading, TurnBuilder

_TAB_CHAT = re.compile(rf"{CLOCK}\t(?P<name>[^\t\r\n]{{1,80}}?):(?:[ \t]+|$)")
_FROM_CHAT = re.compile(
    rf"{CLOCK}[ \t]+From[ \t]+(?P<name>[^\r\n]{{1,80}}?)"
    r"(?:[ \t]+to[ \t]+[^\r\n]{1,80}?)?[ \t]*:(?:[ \t]+|$)"
)
_WHISPERCPP = re.compile(
    r"\((?P<name>(?:speaker|spk)[ _]?\d{1,3})\)(?P<glue>[ \t]?)", re.IGNORECASE
)
_OTTER = re.compile(
    rf"(?:{MARKED_CLOCK}[ \t]+)?"
    rf"(?:\*\*(?P<bold>[^*\r\n]{{1,60}})\*\*(?:[ \t]+{MARKED_CLOCK})?"
    rf"|(?P<name>{NAME})(?:[ \t]{{2,}}|\t)[ \t]*{MARKED_CLOCK})[ \t]*"
)
_LABEL = re.compile(
    rf"(?:(?P<lts>{MARKED_CLOCK})[ \t]+)?(?P<bold>\*\*)?(?P<name>{NAME})(?:\*\*)?"
    rf"(?:[ \t]*(?P<tts>{MARKED_CLOCK}))?[ \t]?:(?:\*\*)?(?:[ \t]+|$)"
)
# An interview role label inside a line, right after the end of a sentence. "Q" and
# "A" are left out: inside a labelled turn they are more often quoted text than a
# new speaker, and a stray "A" speaker can take the candidate's place.
_INLINE_ROLE = re.compile(
    r"(?<=[.?!\u2026\"\u201d')\]])[ \t]+"
    r"(?=(?:interviewer|interviewee|candidate|applicant|recruiter|hiring[ _-]manager"
    r"|panel(?:ist)?)[ \t]?:[ \t])",
    re.IGNORECASE,
)
_TEXT_CLOCK = re.compile(rf"(?:\[{CLOCK}\]|\({CLOCK}\))[ \t]*")
_MEET_TITLE = re.compile(r"[^\r\n]{1,200} - Transcript")
_MEET_END = re.compile(r"Meeting ended after \d")
_MEET_DISCLAIMER = "This editable transcript was computer generated"

# What a line is.
_TEXT, _LABELLED, _CLOCK_LINE, _SKIP = 0, 1, 2, 3
# How much a label can be trusted: by its layout (always a speaker), or by nothing.
_STRUCTURAL, _PLAIN = 0, 1

# Lines looked at to recognise the format; enough for any real header.
_SNIFF_LINES = 3000
_SNIFF_CHARS = 200_000


class _Line(NamedTuple):
    kind: int
    name: str
    text_start: int
    sep: str  # separator when the same speaker goes on: "\n", " ", or "" (glued)
    trust: int


_CLOCK_INFO = _Line(_CLOCK_LINE, "", 0, "", _PLAIN)
_SKIP_INFO = _Line(_SKIP, "", 0, "", _PLAIN)


def _classify(src: str, s: int, e: int) -> _Line | None:
    """Classify the stripped, non-empty line ``src[s:e]``; ``None`` for plain text."""
    c = src[s]
    if c.isdigit():
        m = _TAB_CHAT.match(src, s, e)
        if m:
            return _Line(_LABELLED, m.group("name").strip(), m.end(), "\n", _STRUCTURAL)
        m = _FROM_CHAT.match(src, s, e)
        if m:
            return _Line(_LABELLED, m.group("name").strip(), m.end(), "\n", _STRUCTURAL)
    elif c == "(":
        m = _WHISPERCPP.match(src, s, e)
        if m:
            sep = " " if m.group("glue") else ""
            return _Line(_LABELLED, m.group("name"), m.end(), sep, _STRUCTURAL)
    if (c in "[(" or c.isdigit()) and BARE_CLOCK.fullmatch(src, s, e):
        return _CLOCK_INFO
    m = _OTTER.fullmatch(src, s, e)
    if m:
        name = (m.group("bold") or m.group("name") or "").strip()
        if fits_label(name):
            return _Line(_LABELLED, name, e, "\n", _STRUCTURAL)
    m = _LABEL.match(src, s, e)
    if m and fits_label(m.group("name")):
        return _Line(_LABELLED, m.group("name"), m.end(), "\n", _PLAIN)
    if _MEET_END.match(src, s, e):
        return _SKIP_INFO
    return None


class _Policy:
    """Which labels of one transcript are speakers (see the module docstring)."""

    def __init__(self, infos: list[_Line], lenient: bool) -> None:
        self.counts: Counter[str] = Counter(
            i.name for i in infos if i.kind == _LABELLED and i.trust != _STRUCTURAL
        )
        self.lenient = lenient

    def accepts(self, info: _Line) -> bool:
        if info.kind != _LABELLED:
            return False
        if info.trust == _STRUCTURAL or is_role(info.name):
            return True
        name = info.name
        if self.lenient:
            return looks_like_name(name) or self.counts[name] >= 2
        if is_not_speaker(name):
            return False
        return self.counts[name] >= 2 or looks_like_name(name)


def _entries(source: str, limit: int | None = None) -> list[tuple[int, int, int, _Line | None]]:
    """``(line index, start, end, info)`` of each non-blank line (stripped)."""
    out: list[tuple[int, int, int, _Line | None]] = []
    for idx, (start, end) in enumerate(split_lines(source)):
        if limit is not None and idx >= limit:
            break
        s, e = strip_span(source, start, end)
        if s >= e:
            continue
        info = _classify(source, s, e)
        if info is not None and info.kind == _LABELLED and is_role(info.name):
            # "Interviewer: Any questions? Candidate: No." holds two turns.
            for m in _INLINE_ROLE.finditer(source, info.text_start, e):
                a, b = strip_span(source, s, m.start())
                nxt = _classify(source, m.end(), e)
                if nxt is None or nxt.kind != _LABELLED or b <= info.text_start:
                    continue
                out.append((idx, a, b, info))
                s, info = m.end(), nxt
        out.append((idx, s, e, info))
    return out


def sniff(source: str) -> bool:
    """True when ``source`` reads as a labelled transcript rather than prose.

    That is when structural marks (Otter headers, chat lines, whisper.cpp labels)
    recur, when a role label or a recurring label is found, or when two or more
    different name-like labels start at least half of the paragraphs.
    """
    head = source[:_SNIFF_CHARS]
    entries = _entries(head, _SNIFF_LINES)
    infos = [i for _, _, _, i in entries if i is not None]
    if sum(1 for i in infos if i.kind == _LABELLED and i.trust == _STRUCTURAL) >= 2:
        return True
    policy = _Policy(infos, lenient=False)
    accepted = [i for i in infos if policy.accepts(i)]
    if not accepted:
        return False
    if any(is_role(i.name) or policy.counts[i.name] >= 2 for i in accepted):
        return True
    if len({i.name for i in accepted}) < 2:
        return False
    # Paragraph starts without a label: prose with a couple of "Word:" lines has many.
    unlabelled = 0
    previous = -2
    for idx, _, _, info in entries:
        if idx != previous + 1 and (info is None or not policy.accepts(info)):
            unlabelled += 1
        previous = idx
    return len(accepted) >= unlabelled


def read(source: str, *, lenient: bool = False) -> Reading:
    """Read a labelled transcript.

    Args:
        source: the original input.
        lenient: the caller asked for this format, so heading words ("Note:") count
            as speakers too when they read like names or recur.

    Returns:
        The turns and the problems met. Text before the first label is a turn with
        speaker ``None``.

    Raises:
        ParseError: no speaker label was found.
    """
    entries = _entries(source)
    policy = _Policy([i for _, _, _, i in entries if i is not None], lenient)
    nonblank = len(entries)
    clocked = sum(1 for _, s, e, _ in entries if LEADING_CLOCK.match(source, s, e))
    strip_clock = nonblank >= 2 and clocked * 5 >= nonblank * 3
    b = TurnBuilder(source)
    labelled = False
    skip_attendees = False
    for _, s, e, info in entries:
        if info is not None and policy.accepts(info):
            labelled = True
            same = b.is_open and b.speaker == info.name
            b.switch(info.name)
            if same and info.sep:
                b.separate(info.sep)
            start = info.text_start
            m = _TEXT_CLOCK.match(source, start, e)
            if m:
                start = m.end()
            b.add(*strip_span(source, start, e))
            continue
        if info is not None and info.kind in (_CLOCK_LINE, _SKIP):
            continue
        if not labelled:
            text = source[s:e]
            if skip_attendees:
                skip_attendees = False
                continue
            if text == "Attendees":
                skip_attendees = True
                continue
            if (
                text == "Transcript"
                or text.startswith(_MEET_DISCLAIMER)
                or _MEET_TITLE.fullmatch(text)
            ):
                continue
        if strip_clock:
            m = LEADING_CLOCK.match(source, s, e)
            if m:
                s = m.end()
        b.separate("\n")
        b.add(s, e)
    if not labelled:
        first = entries[0][0] + 1 if entries else 1
        problem = Messages.IDG005.format(line=first, problem="no speaker label found")
        raise ParseError(Messages.IDG006.format(fmt="labelled", problem=problem), line=first)
    return b.finish()
