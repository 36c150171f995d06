"""The public surface of ``interview_diag.ingest``: arguments, empty input, detection."""

from __future__ import annotations

import pytest

from interview_diag import ingest
from interview_diag.errors import ConfigError, Messages, ParseError
from interview_diag.types import Transcript


@pytest.mark.parametrize(
    ("source", "type_name"),
    [(b"WEBVTT\n", "bytes"), (bytearray(b"Q: hi"), "bytearray"), (None, "NoneType"), (12, "int")],
)
def test_read_rejects_a_source_that_is_not_str_naming_its_type(
    source: object, type_name: str
) -> None:
    with pytest.raises(TypeError) as info:
        ingest.read(source)  # type: ignore[arg-type]
    assert Messages.IDG001.format(type=type_name) == str(info.value)


@pytest.mark.parametrize("source", [b"Q: hi", None])
def test_detect_format_rejects_a_source_that_is_not_str(source: object) -> None:
    with pytest.raises(TypeError):
        ingest.detect_format(source)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["xml", "AUTO", "", "vtt ", None])
def test_read_rejects_an_unknown_format(fmt: object) -> None:
    with pytest.raises(ConfigError) as info:
        ingest.read("Q: hi", fmt)  # type: ignore[arg-type]
    expected = Messages.IDG003.format(fmt=fmt, choices="auto, prose, labelled, vtt, srt, json")
    assert expected == str(info.value)


@pytest.mark.parametrize("fmt", ["auto"])
def test_formats_lists_auto_first_then_the_concrete_formats(fmt: str) -> None:
    assert (fmt, "prose", "labelled", "vtt", "srt", "json") == ingest.FORMATS


@pytest.mark.parametrize(
    ("source", "fmt", "read_as"),
    [
        ("", "auto", "prose"),
        ("   \n\t\r\n  ", "auto", "prose"),
        ("\ufeff\n", "auto", "prose"),
        ("", "vtt", "vtt"),
        ("\n\n", "json", "json"),
        (" ", "labelled", "labelled"),
        ("\r\n", "srt", "srt"),
    ],
)
def test_read_empty_input_gives_no_turns_and_the_empty_warning(
    source: str, fmt: str, read_as: str
) -> None:
    assert Transcript(source, read_as, (), (Messages.IDG002,)) == ingest.read(source, fmt)


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi.\n", "vtt"),
        (
            "WEBVTT - Interview with Sam\nKind: captions\n\nNOTE x\n\n0:0:1.0 --> 0:0:2.0\nHi\n",
            "vtt",
        ),
        ("00:00:01.000 --> 00:00:02.000\n(Ann Lee)\nHi.\n", "vtt"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi.\n", "srt"),
        ("00:00:01,000 --> 00:00:02,000\nHi.\n", "srt"),
        ('[{"speaker": "A", "text": "Hi"}]', "json"),
        ('{"segments": []}', "json"),
        ("Q: Why?\nA: Because.", "labelled"),
        ("INTERVIEWER: Tell me about yourself.", "labelled"),
        ("Alice: Hi.\nBob: Hello.", "labelled"),
        ("Kelly  0:29\nWelcome.\n\nAli  0:31\nHi.\n", "labelled"),
        ("[00:01:02] Ann: Hi.\n[00:01:05] Ben: Yo.", "labelled"),
        ("My goal: to keep learning.", "prose"),
        ("Situation: we were late.\nTask: ship.\nAction: I cut scope.\nResult: on time.", "prose"),
        ("Dear Ann,\n\nNote: I attach my CV.\nThanks: for your time.\n\nBest,\nSam", "prose"),
        ("[00:12] is when we started. It went well.", "prose"),
        ("{Draft} My answer is below.", "prose"),
        ("Meeting ended after 00:30:00", "prose"),
    ],
)
def test_detect_format_recognises_the_format(source: str, fmt: str) -> None:
    assert fmt == ingest.detect_format(source)


@pytest.mark.parametrize(
    ("source", "looked_like"),
    [('{"meta": {"id": 3}}', "json"), ('[{"id": 1}]', "json"), ('[\n  "a",\n  {}\n]', "json")],
)
def test_read_auto_reads_what_it_cannot_read_as_detected_as_prose(
    source: str, looked_like: str
) -> None:
    t = ingest.read(source)
    with pytest.raises(ParseError) as info:
        ingest.read(source, looked_like)
    note = Messages.IDG008.format(fmt=looked_like, problem=str(info.value))
    assert ("prose", [(None, source.strip())], (note,)) == (
        t.format,
        [(turn.speaker, turn.text) for turn in t.turns],
        t.warnings,
    )
