"""Every real-world sample in ../shared/formats reads sensibly.

The samples are read in place (never copied into the project); the tests skip
when the folder is absent. Speakers are checked against expect.json and against
the file's entry in SOURCES.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from interview_diag import ingest
from interview_diag.readers.chunkcheck import mapping_problems

_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "formats"
_NOT_SAMPLES = {"SOURCES.md", "expect.json"}
NAMES = (
    sorted(p.name for p in _FOLDER.iterdir() if p.name not in _NOT_SAMPLES)
    if _FOLDER.is_dir()
    else []
)
EXPECT_NAMES = (
    sorted(json.loads((_FOLDER / "expect.json").read_text(encoding="utf-8")))
    if (_FOLDER / "expect.json").is_file()
    else []
)

# What each sample reads as: (format, turns, distinct speakers). A change here is a
# change in behaviour to look at, not a number to update blindly.
SHAPES: dict[str, tuple[str, int, int]] = {
    "assemblyai-01.json": ("json", 1, 1),
    "assemblyai-02.txt": ("labelled", 2, 2),
    "aws-01.json": ("json", 2, 2),
    "aws-02.json": ("json", 2, 2),
    "deepgram-01.txt": ("labelled", 56, 2),
    "deepgram-02.json": ("json", 3, 2),
    "gmeet-01.vtt": ("vtt", 4, 2),
    "gmeet-02.txt": ("labelled", 11, 4),
    "gmeet-03.txt": ("labelled", 19, 7),
    "ohms-01.vtt": ("vtt", 6, 2),
    "ohms-02.vtt": ("vtt", 5, 2),
    "otter-01.txt": ("labelled", 15, 5),
    "otter-02.txt": ("labelled", 24, 3),
    "otter-03.md": ("labelled", 46, 4),
    "rev-01.vtt": ("vtt", 1, 0),
    "srt-01.srt": ("srt", 1, 0),
    "srt-02.srt": ("srt", 1, 0),
    "srt-03.srt": ("srt", 1, 0),
    "teams-01.vtt": ("vtt", 2, 2),
    "teams-02.vtt": ("vtt", 1, 1),
    "teams-03.vtt": ("vtt", 1, 0),
    "vtt-01.vtt": ("vtt", 1, 0),
    "vtt-02.vtt": ("vtt", 5, 0),
    "vtt-03.vtt": ("vtt", 1, 0),
    "vtt-04.vtt": ("vtt", 1, 0),
    "vtt-05.vtt": ("vtt", 1, 0),
    "vtt-06.vtt": ("vtt", 12, 2),
    "vtt-07.vtt": ("vtt", 2, 2),
    "vtt-08.vtt": ("vtt", 1, 0),
    "whisper-01.json": ("json", 1, 0),
    "whispercpp-01.txt": ("labelled", 3, 2),
    "whisperx-01.json": ("json", 1, 1),
    "whisperx-02.json": ("json", 2, 2),
    "zoom-01.vtt": ("vtt", 2, 2),
    "zoom-02.vtt": ("vtt", 22, 5),
    "zoomchat-01.txt": ("labelled", 14, 8),
    "zoomchat-02.txt": ("labelled", 19, 6),
    "zoomchat-03.txt": ("labelled", 48, 9),
    "zoomchat-04.txt": ("labelled", 5, 2),
    "zoomchat-05.txt": ("labelled", 6, 5),
}

# expect.json leaves out speakers that SOURCES.md lists for the same file and that
# do speak in it (gmeet-03: two attendees with one line each; otter-01: Otter's
# "Unknown Speaker" label, kept as written like every label). For these files the
# expected speakers must all be found, and any other speaker must be one that
# SOURCES.md names for the file.
EXPECT_OMITS_SPEAKERS = {"gmeet-03.txt", "otter-01.txt"}

# Markup that must never reach a turn's text.
_MARKUP = re.compile(
    r"-->|</?v[ >.]|</[a-z]+>|\{\\an\d\}|^WEBVTT|^NOTE |\d{2}:\d{2}:\d{2}[.,]\d{3}"
)


def _read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def _sources_entry(folder: Path, name: str) -> str:
    """The part of SOURCES.md about one file (from its ### heading to the next heading)."""
    text = _read(folder, "SOURCES.md")
    start = text.index(f"### {name}")
    end = min(
        (i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i > 0),
        default=len(text),
    )
    return text[start:end]


@pytest.mark.parametrize("name", NAMES)
def test_read_shared_file_keeps_the_chunk_invariant(shared_formats: Path, name: str) -> None:
    no_problems: list[str] = []
    assert no_problems == mapping_problems(ingest.read(_read(shared_formats, name)))


@pytest.mark.parametrize("name", NAMES)
def test_read_shared_file_has_the_expected_shape(shared_formats: Path, name: str) -> None:
    t = ingest.read(_read(shared_formats, name))
    assert SHAPES.get(name) == (t.format, len(t.turns), len(t.speakers))


@pytest.mark.parametrize("name", NAMES)
def test_read_shared_file_keeps_markup_out_of_text(shared_formats: Path, name: str) -> None:
    t = ingest.read(_read(shared_formats, name))
    no_turns: list[int] = []
    assert no_turns == [turn.index for turn in t.turns if _MARKUP.search(turn.text)]


@pytest.mark.parametrize("name", NAMES)
def test_read_shared_file_names_only_speakers_its_sources_entry_names(
    shared_formats: Path, name: str
) -> None:
    entry = _sources_entry(shared_formats, name)
    # Deepgram's integer speakers become "Speaker N"; SOURCES.md lists them as numbers.
    names = {
        re.sub(r"^Speaker (\d+)$", r"\1", s) if name.startswith("deepgram") else s
        for s in ingest.read(_read(shared_formats, name)).speakers
    }
    assert set() == {s for s in names if s not in entry}


@pytest.mark.parametrize("name", EXPECT_NAMES)
def test_read_shared_file_finds_the_expected_speakers(
    shared_formats: Path, shared_expect: dict[str, list[str]], name: str
) -> None:
    speakers = set(ingest.read(_read(shared_formats, name)).speakers)
    expected = set(shared_expect[name])
    if name in EXPECT_OMITS_SPEAKERS:
        entry = _sources_entry(shared_formats, name)
        assert (expected, set()) == (
            expected & speakers,
            {s for s in speakers - expected if s not in entry},
        )
    else:
        assert expected == speakers


@pytest.mark.parametrize("name", NAMES)
def test_read_shared_file_is_deterministic(shared_formats: Path, name: str) -> None:
    source = _read(shared_formats, name)
    assert ingest.read(source) == ingest.read(source)
