"""Building turns piece by piece while keeping every character mapped to the source.

Readers never assemble turn text by hand. They open a turn for a speaker and add
source spans (copied as they are) or atomic pieces (decoded escapes), asking for a
separator between lines or cues. The builder keeps chunks maximal: a piece that
follows the previous one directly, or across nothing but whitespace when a
separator was asked for, extends the previous chunk, so a turn that is one run of
the source is one chunk. Whitespace at both ends of a turn is trimmed and empty
turns are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_diag.errors import Messages
from interview_diag.readers.lines import LineIndex
from interview_diag.types import Chunk, Turn

# Broken input can produce a problem per line; past this many, only a count is kept.
MAX_WARNINGS = 100


@dataclass(frozen=True)
class Reading:
    """What a reader made of its input: the turns and the problems it met."""

    turns: tuple[Turn, ...]
    warnings: tuple[str, ...]


class TurnBuilder:
    """Collects turns for one source; see the module docstring."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._index: LineIndex | None = None
        self._turns: list[Turn] = []
        self._warnings: list[str] = []
        self._unlisted = 0
        self._open = False
        self._speaker: str | None = None
        self._parts: list[str] = []
        self._chunks: list[list[int]] = []
        self._length = 0
        self._sep = ""

    # -- problems ---------------------------------------------------------------

    def warn(self, line: int, problem: str) -> None:
        """Record a problem found on the 1-based ``line``."""
        if len(self._warnings) >= MAX_WARNINGS:
            self._unlisted += 1
            return
        self._warnings.append(Messages.IDG005.format(line=line, problem=problem))

    def warn_at(self, offset: int, problem: str) -> None:
        """Record a problem found at a source offset."""
        if self._index is None:
            self._index = LineIndex(self._source)
        self.warn(self._index.line_of(offset), problem)

    def note(self, message: str) -> None:
        """Record a message that concerns the whole input rather than one line."""
        self._warnings.append(message)

    # -- turns ------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """True while a turn is being built."""
        return self._open

    @property
    def speaker(self) -> str | None:
        """Speaker of the turn being built (``None`` when none is open)."""
        return self._speaker if self._open else None

    @property
    def has_text(self) -> bool:
        """True when the open turn already has some text."""
        return self._length > 0

    def begin(self, speaker: str | None) -> None:
        """Close the open turn (if any) and open a new one for ``speaker``."""
        self._close()
        self._open = True
        self._speaker = speaker

    def switch(self, speaker: str | None) -> None:
        """Continue the open turn if ``speaker`` is speaking it, else begin a new one."""
        if not self._open or self._speaker != speaker:
            self.begin(speaker)

    def separate(self, sep: str) -> None:
        """Ask for ``sep`` (" " or "\\n") before the next piece, if the turn has text.

        A line break wins over a space when both are asked for.
        """
        if self._length and (sep == "\n" or not self._sep):
            self._sep = sep

    def add(self, start: int, end: int) -> None:
        """Add ``source[start:end]`` to the open turn, copied as it is."""
        if end <= start:
            return
        if not self._open:
            self.begin(None)
        chunks = self._chunks
        if chunks:
            last = chunks[-1]
            if start < last[3]:
                # Pieces must come in source order; a reader bug must not break the
                # chunk invariant, so the piece is dropped and the problem reported.
                self.warn_at(start, "text out of order was skipped")
                return
            if last[1] - last[0] == last[3] - last[2]:
                if not self._sep and start == last[3]:
                    self._extend(last, start, end)
                    return
                if self._sep and start > last[3] and self._source[last[3] : start].isspace():
                    self._extend(last, last[3], end)
                    return
        self._new_chunk(start, end, self._source[start:end])

    def add_atomic(self, text: str, start: int, end: int) -> None:
        """Add ``text`` read from ``source[start:end]`` as one indivisible chunk."""
        if not text or end <= start:
            return
        if text == self._source[start:end]:
            self.add(start, end)
            return
        if not self._open:
            self.begin(None)
        if self._chunks and start < self._chunks[-1][3]:
            self.warn_at(start, "text out of order was skipped")
            return
        self._new_chunk(start, end, text)

    def add_decoded(self, value: str, pieces: Sequence[tuple[int, int, int, int]]) -> None:
        """Add a decoded string (a JSON string value) given its piece map.

        Whitespace at both ends of ``value`` is left out.

        Args:
            value: the decoded text.
            pieces: ``(text_start, text_end, source_start, source_end)`` covering
                ``value`` in order; a piece whose lengths agree is a verbatim copy.
        """
        left = len(value) - len(value.lstrip())
        right = len(value.rstrip())
        for ts, te, ss, se in pieces:
            if te <= left or ts >= right:
                continue
            if te - ts == se - ss:
                a, b = max(ts, left), min(te, right)
                self.add(ss + (a - ts), se - (te - b))
            elif ts >= left and te <= right:
                self.add_atomic(value[ts:te], ss, se)

    def finish(self) -> Reading:
        """Close the open turn and return everything read."""
        self._close()
        warnings = list(self._warnings)
        if self._unlisted:
            warnings.append(Messages.IDG009.format(count=self._unlisted))
        return Reading(tuple(self._turns), tuple(warnings))

    # -- internals --------------------------------------------------------------

    def _extend(self, last: list[int], gap_start: int, end: int) -> None:
        piece = self._source[gap_start:end]
        self._parts.append(piece)
        self._length += len(piece)
        last[1] = self._length
        last[3] = end
        self._sep = ""

    def _new_chunk(self, start: int, end: int, text: str) -> None:
        if self._sep and self._chunks:
            self._parts.append(self._sep)
            self._length += 1
        self._parts.append(text)
        self._chunks.append([self._length, self._length + len(text), start, end])
        self._length += len(text)
        self._sep = ""

    def _close(self) -> None:
        if self._open and self._chunks:
            text = "".join(self._parts)
            left = len(text) - len(text.lstrip())
            right = len(text.rstrip())
            if right > left:
                self._turns.append(
                    Turn(
                        index=len(self._turns),
                        speaker=self._speaker,
                        text=text[left:right],
                        chunks=_trim_chunks(self._chunks, left, right),
                    )
                )
        self._open = False
        self._speaker = None
        self._parts = []
        self._chunks = []
        self._length = 0
        self._sep = ""


def _trim_chunks(chunks: list[list[int]], left: int, right: int) -> tuple[Chunk, ...]:
    """Cut the chunks down to the text range ``[left, right)`` and shift them to 0."""
    out: list[Chunk] = []
    for ts, te, ss, se in chunks:
        if te <= left or ts >= right:
            continue
        if te - ts == se - ss:
            a, b = max(ts, left), min(te, right)
            out.append(Chunk(a - left, b - left, ss + (a - ts), se - (te - b)))
        elif ts >= left and te <= right:
            out.append(Chunk(ts - left, te - left, ss, se))
        # An atomic chunk reaching past the trimmed range is whitespace (a decoded
        # "\n" or "&nbsp;" at an edge), so it goes with the trimmed text.
    return tuple(out)
