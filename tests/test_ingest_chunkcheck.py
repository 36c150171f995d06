"""The chunk-invariant checker that the other reader tests rely on."""

from __future__ import annotations

import pytest

from interview_diag.readers.chunkcheck import mapping_problems
from interview_diag.types import Chunk, Transcript, Turn

SOURCE = "A: Hello there.\nB: Fine, thanks."


def _transcript(text: str, chunks: list[tuple[int, int, int, int]], index: int = 0) -> Transcript:
    turn = Turn(index=index, speaker="A", text=text, chunks=tuple(Chunk(*c) for c in chunks))
    return Transcript(source=SOURCE, format="labelled", turns=(turn,))


@pytest.mark.parametrize(
    ("text", "chunks"),
    [
        ("Hello there.", [(0, 12, 3, 15)]),
        ("Hello there.", [(0, 5, 3, 8), (5, 12, 8, 15)]),
        ("Hello Fine", [(0, 5, 3, 8), (6, 10, 19, 23)]),
        ("Hello\nFine", [(0, 5, 3, 8), (6, 10, 19, 23)]),
        ("H.", [(0, 1, 3, 4), (1, 2, 14, 15)]),
        ("é", [(0, 1, 3, 8)]),
    ],
)
def test_mapping_problems_accepts_a_valid_mapping(
    text: str, chunks: list[tuple[int, int, int, int]]
) -> None:
    no_problems: list[str] = []
    assert no_problems == mapping_problems(_transcript(text, chunks))


@pytest.mark.parametrize(
    ("text", "chunks", "index", "problem"),
    [
        ("Hello there.", [(0, 12, 4, 16)], 0, "text and source differ"),
        ("Hello  Fine", [(0, 5, 3, 8), (7, 11, 19, 23)], 0, "is not a separator"),
        ("Hello there.", [(0, 5, 3, 8), (4, 12, 7, 15)], 0, "out of order, empty or out of range"),
        ("Hello Fine", [(6, 10, 19, 23), (0, 5, 3, 8)], 0, "out of order, empty or out of range"),
        ("Hello there.", [(0, 5, 3, 8)], 0, "text after the last chunk"),
        (" Hello", [(0, 6, 2, 8)], 0, "outer whitespace"),
        ("Hello there.", [(0, 12, 3, 15)], 3, "is at position 0"),
        ("Hello there.", [(0, 12, 30, 99)], 0, "out of order, empty or out of range"),
    ],
)
def test_mapping_problems_reports_a_broken_mapping(
    text: str, chunks: list[tuple[int, int, int, int]], index: int, problem: str
) -> None:
    problems = mapping_problems(_transcript(text, chunks, index))
    assert [problem] == [problem for p in problems if problem in p]
