"""Checking that a transcript's turns map onto its source as promised.

The reader stage guarantees, for every turn: chunks are in order and do not
overlap (in the text and in the source); every exact chunk's text is the source
slice it points at; text not covered by a chunk is a single separator (" " or
"\\n") the reader inserted; the text has no leading or trailing whitespace. The
tests check every transcript they read with ``mapping_problems``; later stages
may use it to validate transcripts built by hand.
"""

from __future__ import annotations

from interview_diag.types import Transcript, Turn

_SEPARATORS = ("", " ", "\n")


def turn_problems(source: str, turn: Turn) -> list[str]:
    """What is wrong with the mapping of one turn onto ``source`` (empty when nothing)."""
    problems: list[str] = []
    text = turn.text
    if not text or text != text.strip():
        problems.append(f"turn {turn.index}: text is empty or has outer whitespace")
    text_pos = 0
    source_pos = 0
    for c in turn.chunks:
        where = f"turn {turn.index}, chunk {c}"
        if not (c.text_start < c.text_end <= len(text)) or not (
            source_pos <= c.source_start < c.source_end <= len(source)
        ):
            problems.append(f"{where}: out of order, empty or out of range")
        elif c.text_start < text_pos:
            problems.append(f"{where}: overlaps the previous chunk")
        else:
            gap = text[text_pos : c.text_start]
            if gap not in _SEPARATORS:
                problems.append(f"{where}: uncovered text {gap!r} is not a separator")
            if c.exact and source[c.source_start : c.source_end] != text[c.text_start : c.text_end]:
                problems.append(f"{where}: text and source differ")
        text_pos = max(text_pos, c.text_end)
        source_pos = max(source_pos, c.source_end)
    if text_pos != len(text):
        problems.append(f"turn {turn.index}: text after the last chunk")
    return problems


def mapping_problems(transcript: Transcript) -> list[str]:
    """Everything that breaks the chunk invariant in ``transcript`` (empty when none).

    Args:
        transcript: a transcript, typically from ``interview_diag.ingest.read``.

    Returns:
        One message per problem, naming the turn and chunk.
    """
    problems: list[str] = []
    for i, turn in enumerate(transcript.turns):
        if turn.index != i:
            problems.append(f"turn {turn.index} is at position {i}")
        problems.extend(turn_problems(transcript.source, turn))
    return problems
