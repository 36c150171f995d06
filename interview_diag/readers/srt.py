"""Reading SubRip (SRT) subtitles, with or without cue numbers."""

from __future__ import annotations

from interview_diag.errors import Messages, ParseError
from interview_diag.readers.captions import read_cues
from interview_diag.readers.cueblocks import split_cues
from interview_diag.readers.lines import is_blank, split_lines
from interview_diag.readers.turnbuilder import Reading, TurnBuilder


def read(source: str, *, lenient: bool = True) -> Reading:
    """Read an SRT file.

    Tags (``<i>``, ``<font ...>``) and ASS codes (``{\\an8}``) are left out of the
    text; ``&amp;`` and the like are kept as written, as SRT players show them.

    Args:
        source: the original input.
        lenient: unused; the same rules apply whether or not the format was asked for.

    Returns:
        The turns and the problems met.

    Raises:
        ParseError: no cue timing line was found at all.
    """
    builder = TurnBuilder(source)
    lines = split_lines(source)
    cues = split_cues(source, lines, 0, builder, webvtt=False)
    if not any(c.timing_line >= 0 for c in cues):
        first = next((i for i, sp in enumerate(lines) if not is_blank(source, *sp)), 0)
        problem = Messages.IDG005.format(line=first + 1, problem="no subtitle timing line found")
        raise ParseError(Messages.IDG006.format(fmt="srt", problem=problem), line=first + 1)
    read_cues(source, lines, cues, builder, webvtt=False)
    return builder.finish()
