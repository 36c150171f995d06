"""Turning the cues of a WebVTT or SRT file into turns: who speaks, and what they say.

Speakers are marked in many ways in real caption files, and this module reads all
of them: ``<v Name>`` voice spans (closed or not, ``<v ->`` for nobody in
particular), a ``Name:`` prefix (Zoom), a ``(Full Name)`` line (Google Meet), a
``[Name]`` at line start (Netflix), the cue id (some services), a JSON payload with
``speakerName`` and ``spokenText`` (Teams Graph), and ``- `` dialogue lines (a new,
unnamed speaker). A cue that names nobody continues the previous speaker, and
consecutive cues by one speaker make one turn. YouTube's rolling captions repeat
the previous line at the top of each cue; that repeat is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from interview_diag.readers.cueblocks import Cue
from interview_diag.readers.jsonpos import JsonString, scan
from interview_diag.readers.lines import Span, strip_span
from interview_diag.readers.markup import Piece, piece_text, strip_markup
from interview_diag.readers.speakers import (
    NAME,
    fits_label,
    is_not_speaker,
    is_role,
    is_speaker_mark,
    looks_like_name,
)
from interview_diag.readers.turnbuilder import TurnBuilder

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>\r\n]*))?>")
_DASH = re.compile(r"-[ \t]+")
# ASS positioning codes ({\an8}) that may precede a speaker mark.
_CODES = re.compile(r"(?:\{\\[^{}\r\n]*\}[ \t]*)+")
_BRACKET = re.compile(r"\[([^\[\]\r\n]{1,40})\](?:[ \t]+|$)")
_PAREN_LINE = re.compile(r"\(([^()\r\n]{1,60})\)")
_PREFIX = re.compile(rf"(?P<name>{NAME})[ \t]?:(?:[ \t]+|$)")


@dataclass(frozen=True)
class CaptionPolicy:
    """Which speaker marks of a file to trust, decided from all its cues.

    Attributes:
        id_speakers: cue ids name speakers (most cues have a name-like id).
        prefix_names: the ``Name:`` prefixes that are speaker labels.
    """

    id_speakers: bool
    prefix_names: frozenset[str]


def decide_policy(source: str, lines: list[Span], cues: list[Cue]) -> CaptionPolicy:
    """Look at the first text line and the id of every cue to decide what to trust.

    ``Name:`` prefixes are trusted when at least half of the cues start with one (a
    Zoom transcript); otherwise only role labels and names used more than once are.
    """
    with_text = 0
    named_ids = 0
    prefixed = 0
    counts: Counter[str] = Counter()
    for cue in cues:
        first = _first_text_line(source, lines, cue)
        if first is None:
            continue
        with_text += 1
        if cue.id_line >= 0 and _id_speaker(source, lines[cue.id_line]) is not None:
            named_ids += 1
        s, e = first
        codes = _CODES.match(source, s, e)
        s = codes.end() if codes else s
        m = _DASH.match(source, s, e)
        m = _PREFIX.match(source, m.end() if m else s, e)
        if m and fits_label(m.group("name")):
            prefixed += 1
            counts[m.group("name")] += 1
    if prefixed and prefixed * 2 >= with_text:
        names = frozenset(counts)
    else:
        names = frozenset(
            n
            for n, c in counts.items()
            if is_role(n) or (c >= 2 and looks_like_name(n) and not is_not_speaker(n))
        )
    return CaptionPolicy(
        id_speakers=named_ids > 0 and named_ids * 2 >= with_text, prefix_names=names
    )


def _first_text_line(source: str, lines: list[Span], cue: Cue) -> Span | None:
    for i in cue.text_lines:
        s, e = strip_span(source, *lines[i])
        if s < e:
            return (s, e)
    return None


def _id_speaker(source: str, line: Span) -> str | None:
    s, e = strip_span(source, *line)
    label = source[s:e]
    return label if is_speaker_mark(label) else None


def read_cues(
    source: str, lines: list[Span], cues: list[Cue], builder: TurnBuilder, *, webvtt: bool
) -> None:
    """Add the turns of all ``cues`` to ``builder``.

    Args:
        source: the original input.
        lines: its line spans.
        cues: the cues, in order.
        builder: receives the turns.
        webvtt: the cues are WebVTT (else SubRip); see ``markup.strip_markup``.
    """
    _CueReader(source, lines, builder, decide_policy(source, lines, cues), webvtt).run(cues)


class _CueReader:
    def __init__(
        self,
        source: str,
        lines: list[Span],
        builder: TurnBuilder,
        policy: CaptionPolicy,
        webvtt: bool,
    ) -> None:
        self.src = source
        self.lines = lines
        self.b = builder
        self.policy = policy
        self.webvtt = webvtt
        # Text pieces of the last line that had text, for spotting rolling repeats.
        self.last_pieces: list[Piece] = []

    def run(self, cues: list[Cue]) -> None:
        for cue in cues:
            self._cue(cue)

    def _plain(self, pieces: list[Piece]) -> str:
        return "".join(piece_text(self.src, p) for p in pieces)

    def _cue(self, cue: Cue) -> None:
        src, b = self.src, self.b
        if self.policy.id_speakers and cue.id_line >= 0:
            name = _id_speaker(src, self.lines[cue.id_line])
            if name is not None:
                b.switch(name)
        b.separate(" ")
        previous = self.last_pieces
        first = True
        added = False
        for i in cue.text_lines:
            s, e = strip_span(src, *self.lines[i])
            if s == e or src[s:e] == "-":
                continue  # Google Meet puts a lone "-" (and a " " line) between speakers
            if first:
                first = False
                # Rolling captions: a cue of two lines or more whose first line
                # repeats the last line of the previous cue.
                if (
                    len(cue.text_lines) >= 2
                    and previous
                    and self._plain(strip_markup(src, s, e, webvtt=self.webvtt))
                    == self._plain(previous)
                ):
                    continue
            if added:
                b.separate("\n")
            if src.startswith("{", s) and self._json_payload(s, e):
                added = True
                self.last_pieces = []
                continue
            pieces = self._line(s, e)
            if pieces:
                added = True
                self.last_pieces = pieces

    def _json_payload(self, s: int, e: int) -> bool:
        """A Teams Graph cue: ``{"speakerName": ..., "spokenText": ...}``."""
        src = self.src
        if src.find("spokenText", s, e) < 0:
            return False
        result = scan(src, s, e)
        value = result.value
        if not result.found or not isinstance(value, dict):
            return False
        text = value.get("spokenText")
        if not isinstance(text, JsonString):
            return False
        speaker = value.get("speakerName")
        if isinstance(speaker, JsonString):
            self.b.switch(speaker.value.strip() or None)
        self.b.add_decoded(text.value, text.text_pieces())
        return True

    def _line(self, s: int, e: int) -> list[Piece]:
        """Read one line of cue text; return the text pieces it added."""
        src, b = self.src, self.b
        codes = _CODES.match(src, s, e)
        pos = codes.end() if codes else s
        dash = _DASH.match(src, pos, e)
        if dash:
            pos = dash.end()
        elif src.startswith("(", pos) and pos == s:
            m = _PAREN_LINE.fullmatch(src, pos, e)
            if m and is_speaker_mark(m.group(1).strip()):
                b.switch(m.group(1).strip())
                return []
        name: str | None = None
        named = False
        m = _BRACKET.match(src, pos, e)
        if m and is_speaker_mark(m.group(1).strip()):
            name, named, pos = m.group(1).strip(), True, m.end()
        else:
            m = _PREFIX.match(src, pos, e)
            if m and m.group("name") in self.policy.prefix_names:
                name, named, pos = m.group("name"), True, m.end()
        if dash:
            b.begin(name)
        elif named:
            b.switch(name)
        if src.find("<v", pos, e) < 0:
            return self._text(pos, e)
        added: list[Piece] = []
        for voice in _VOICE.finditer(src, pos, e):
            added += self._text(pos, voice.start())
            label = (voice.group(1) or "").strip()
            b.switch(None if label in ("", "-") else label)
            pos = voice.end()
        return added + self._text(pos, e)

    def _text(self, s: int, e: int) -> list[Piece]:
        pieces = strip_markup(self.src, s, e, webvtt=self.webvtt)
        for p in pieces:
            if p.is_break:
                self.b.separate("\n")
            elif p.text is None:
                self.b.add(p.start, p.end)
            else:
                self.b.add_atomic(p.text, p.start, p.end)
        return pieces
