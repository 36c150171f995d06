"""Where each turn sits in a spaCy Doc, and how Doc offsets map back to the input.

Two ways a Doc can come about:

1. ``build_docs`` (what ``analyze`` does): the turns' texts are joined into a Doc
   text of their own, split into several Docs when longer than ``nlp.max_length``.
2. ``layout_from_source`` (a user's ``nlp(text)`` with our component added): the
   Doc text *is* the input, and each turn sits in the pieces its chunks point at.

Either way a ``DocInput`` on ``doc._.idiag_input`` holds the transcript and the
segments, and ``evidence_for`` turns a Doc character range into ``Evidence``
whose offsets slice the original input exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from interview_diag.questions import TurnContext
from interview_diag.types import Candidate, Evidence, Kind, Transcript, Turn

TURN_SEPARATOR = "\n\n"
_WORD_RUN = re.compile(r"\S+")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Segment:
    """A stretch of one turn's text inside a Doc.

    The Doc holds the turn's words with every run of whitespace (line breaks of a
    wrapped caption, double spaces, tabs) written as one space, so that rules see
    "my old boss was an idiot" however the words were laid out. ``runs`` records
    where each run of non-space characters sits in the Doc and in the turn's text
    (the characters of a run are the same in both).

    Attributes:
        turn: the turn's index.
        doc_start: Doc offset of the first character.
        doc_end: Doc offset just past the last character.
        text_start: turn-text offset of the first character.
        runs: ``(doc offset, text offset, length)`` of each run, in order; empty
            means one run covering the whole segment.
    """

    turn: int
    doc_start: int
    doc_end: int
    text_start: int
    runs: tuple[tuple[int, int, int], ...] = ()

    def _runs(self) -> tuple[tuple[int, int, int], ...]:
        return self.runs or ((self.doc_start, self.text_start, self.doc_end - self.doc_start),)

    def to_text(self, pos: int, is_end: bool) -> int:
        """Map a Doc offset inside the segment to the turn's text.

        A position on a separating space maps to the end of the run before it
        (for an end) or the start of the run after it (for a start).
        """
        runs = self._runs()
        k = max(0, bisect_right([r[0] for r in runs], pos) - 1)
        doc, text, length = runs[k]
        off = pos - doc
        if off <= length:
            return text + max(off, 0)
        if is_end or k + 1 >= len(runs):
            return text + length
        return runs[k + 1][1]

    def to_doc(self, pos: int, is_end: bool) -> int | None:
        """Map a turn-text offset to the Doc (``None`` when outside this segment)."""
        runs = self._runs()
        first, last = runs[0], runs[-1]
        if pos < first[1] or pos > last[1] + last[2]:
            return None
        k = max(0, bisect_right([r[1] for r in runs], pos) - 1)
        doc, text, length = runs[k]
        off = pos - text
        if off <= length:
            return doc + off
        if is_end or k + 1 >= len(runs):
            return doc + length
        return runs[k + 1][0]


@dataclass(frozen=True)
class DocInput:
    """Everything the components need to know about the input behind a Doc.

    Attributes:
        transcript: the turns, with roles.
        segments: where the turns sit in this Doc, in order.
        kind: transcript, answer, recap or letter.
        candidate: who the candidate is.
        contexts: per turn, the question it answers and the topics raised before it.
        options: company, role, job_description and other per-input options.
        whole: True when this Doc holds every turn (so interview-level checks may run on it).
    """

    transcript: Transcript
    segments: tuple[Segment, ...]
    kind: Kind
    candidate: Candidate
    contexts: tuple[TurnContext, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    whole: bool = True

    def turn(self, index: int) -> Turn:
        """The turn with this index."""
        return self.transcript.turns[index]


def evidence_for(inp: DocInput, start: int, end: int) -> tuple[Evidence, ...]:
    """Map a Doc character range to evidence in the original input.

    Args:
        inp: the Doc's input description.
        start: start character offset in the Doc.
        end: end character offset in the Doc (exclusive).

    Returns:
        One ``Evidence`` per contiguous piece of the source the range covers
        (a range that crosses a timestamp or a tag in the source becomes two).
    """
    out: list[Evidence] = []
    segs = inp.segments
    k = max(0, bisect_right([g.doc_start for g in segs], start) - 1)
    for seg in segs[k:]:
        if seg.doc_start >= end:
            break
        if seg.doc_end <= start:
            continue
        a = seg.to_text(max(start, seg.doc_start), False)
        b = seg.to_text(min(end, seg.doc_end), True)
        if b > a:
            out.extend(evidence_in_turn(inp.transcript, inp.transcript.turns[seg.turn], a, b))
    return tuple(out)


def evidence_in_turn(
    transcript: Transcript, turn: Turn, start: int, end: int
) -> tuple[Evidence, ...]:
    """Evidence for the range ``[start, end)`` of one turn's text.

    Args:
        transcript: the transcript the turn belongs to (for the source string).
        turn: the turn.
        start: start offset in ``turn.text``.
        end: end offset in ``turn.text`` (exclusive).

    Returns:
        One ``Evidence`` per contiguous source piece, whitespace trimmed at both ends.
    """
    source = transcript.source
    speaker = turn.speaker if turn.speaker is not None else turn.role
    out: list[Evidence] = []
    for s, e in turn.to_source(start, end):
        piece = source[s:e]
        # Trim whitespace so evidence starts and ends on words.
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        s, e = s + lead, e - trail
        if s < e:
            out.append(Evidence(s, e, source[s:e], speaker, turn.index))
    return tuple(out)


def plan_docs(transcript: Transcript, max_length: int) -> list[tuple[str, tuple[Segment, ...]]]:
    """Lay the turns out as one or more Doc texts no longer than ``max_length``.

    Turns are joined with a blank line. When the whole would be too long, Docs are
    cut between turns; a single turn longer than the limit is cut between
    paragraphs, then between lines, then between words.

    Args:
        transcript: the turns.
        max_length: the longest Doc text allowed (``nlp.max_length``).

    Returns:
        ``(text, segments)`` for each Doc, in order.
    """
    limit = max(64, max_length)
    pieces: list[tuple[int, int, int]] = []  # (turn, text_start, text_end)
    for t in transcript.turns:
        if not t.text.strip():
            continue
        for a, b in _cut(t.text, limit):
            pieces.append((t.index, a, b))
    plans: list[tuple[str, tuple[Segment, ...]]] = []
    parts: list[str] = []
    segs: list[Segment] = []
    length = 0
    for turn_index, a, b in pieces:
        raw = transcript.turns[turn_index].text[a:b]
        words = [(m.start() + a, m.group()) for m in _WORD_RUN.finditer(raw)]
        if not words:
            continue
        size = sum(len(w) for _, w in words) + len(words) - 1
        extra = size + (len(TURN_SEPARATOR) if parts else 0)
        if parts and length + extra > limit:
            plans.append(("".join(parts), tuple(segs)))
            parts, segs, length = [], [], 0
        if parts:
            parts.append(TURN_SEPARATOR)
            length += len(TURN_SEPARATOR)
        runs = []
        start = length
        # A lone surrogate cannot be encoded, so the tokenizer would fail on it;
        # U+FFFD keeps the length, so offsets stay exact.
        surrogates = _SURROGATE.search(raw) is not None
        for i, (text_pos, word) in enumerate(words):
            if i:
                parts.append(" ")
                length += 1
            runs.append((length, text_pos, len(word)))
            parts.append(_SURROGATE.sub("\ufffd", word) if surrogates else word)
            length += len(word)
        segs.append(Segment(turn_index, start, length, words[0][0], tuple(runs)))
    if parts or not plans:
        plans.append(("".join(parts), tuple(segs)))
    return plans


def _cut(text: str, limit: int) -> list[tuple[int, int]]:
    if len(text) <= limit:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep)
            if k > limit // 4:
                cut = start + k + len(sep)
                break
        if cut <= start:
            cut = start + limit
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def segments_from_source(transcript: Transcript) -> tuple[Segment, ...]:
    """Segments for a Doc whose text is the original input itself.

    Each exact chunk of each turn is a segment at its own source offsets; atomic
    chunks (such as JSON escapes) are left out, since their source characters are
    not the turn's text.
    """
    segs: list[Segment] = []
    for t in transcript.turns:
        for c in t.chunks:
            if c.exact and c.source_end > c.source_start:
                segs.append(Segment(t.index, c.source_start, c.source_end, c.text_start))
    return tuple(segs)


def turn_words(turns: Sequence[Turn]) -> int:
    """Number of whitespace-separated words in the turns."""
    return sum(len(t.text.split()) for t in turns)


def source_to_doc(inp: DocInput, turn_index: int, start: int, end: int) -> tuple[int, int] | None:
    """Map a source range inside one turn back to Doc character offsets.

    Args:
        inp: the Doc's input description.
        turn_index: the turn the range belongs to.
        start: source start offset.
        end: source end offset (exclusive).

    Returns:
        ``(doc_start, doc_end)``, or ``None`` when the range is not in this Doc.
    """
    turn = inp.transcript.turns[turn_index]

    def text_offset(pos: int, is_end: bool) -> int | None:
        for c in turn.chunks:
            lo, hi = c.source_start, c.source_end
            if lo <= pos <= hi and (pos < hi or is_end) and (pos > lo or not is_end):
                if c.exact:
                    return c.text_start + pos - lo
                return c.text_end if is_end else c.text_start
        return None

    a = text_offset(start, False)
    b = text_offset(end, True)
    if a is None or b is None:
        return None
    out_a = out_b = None
    for seg in inp.segments:
        if seg.turn != turn_index:
            continue
        if out_a is None:
            out_a = seg.to_doc(a, False)
        got = seg.to_doc(b, True)
        if got is not None:
            out_b = got
    if out_a is None or out_b is None or out_b <= out_a:
        return None
    return out_a, out_b
