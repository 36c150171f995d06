"""The position-tracking JSON scanner used by the JSON reader."""

from __future__ import annotations

import json

import pytest

from interview_diag.readers.jsonpos import MAX_DEPTH, JsonRaw, JsonString, scan


@pytest.mark.parametrize(
    ("content", "value", "pieces"),
    [
        ("plain text", "plain text", None),
        ("", "", None),
        (
            "caf\\u00e9 ok",
            "café ok",
            ((0, 3, 1, 4), (3, 4, 4, 10), (4, 7, 10, 13)),
        ),
        ("a\\nb", "a\nb", ((0, 1, 1, 2), (1, 2, 2, 4), (2, 3, 4, 5))),
        ('say \\"hi\\"', 'say "hi"', ((0, 4, 1, 5), (4, 5, 5, 7), (5, 7, 7, 9), (7, 8, 9, 11))),
        ("\\ud83d\\ude00!", "\U0001f600!", ((0, 1, 1, 13), (1, 2, 13, 14))),
        ("\\ud83d x", "\ufffd x", ((0, 1, 1, 7), (1, 3, 7, 9))),
        ("\\/\\\\", "/\\", ((0, 1, 1, 3), (1, 2, 3, 5))),
    ],
)
def test_scan_string_maps_each_escape_to_an_atomic_piece(
    content: str, value: str, pieces: tuple[tuple[int, int, int, int], ...] | None
) -> None:
    source = f'"{content}"'
    result = scan(source)
    assert isinstance(result.value, JsonString)
    assert (value, pieces, 1, len(source) - 1, ()) == (
        result.value.value,
        result.value.pieces,
        result.value.start,
        result.value.end,
        result.problems,
    )


@pytest.mark.parametrize(
    "source",
    [
        '{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d"}, "e": []}',
        '[{"speaker": "Ann", "text": "Hi \\u00e9"}, {"x": [[1], [2, 3]]}]',
        ' \n\t{"nested": {"deeper": {"list": ["x", "y"]}}}\n',
    ],
)
def test_scan_valid_json_decodes_like_json_loads(source: str) -> None:
    def plain(value: object) -> object:
        if isinstance(value, JsonString):
            return value.value
        if isinstance(value, JsonRaw):
            return json.loads(source[value.start : value.end])
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    result = scan(source)
    assert (json.loads(source), True, ()) == (plain(result.value), result.found, result.problems)


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        ("[1, 2,]", ((6, "trailing comma"),)),
        ('{"a": 1,}', ((8, "trailing comma"),)),
        ('["a" "b"]', ((5, "missing ',' between items"),)),
        (
            '{"a": "b',
            (
                (6, "unterminated string"),
                (8, "the JSON ends before all brackets are closed (truncated?)"),
            ),
        ),
        ('["x\\q"]', ((1, "invalid escape in a string (kept as written)"),)),
        (
            '{"a": tru}',
            (
                (6, "unexpected character 't'; the rest of the JSON was ignored"),
                (6, "the JSON ends before all brackets are closed (truncated?)"),
            ),
        ),
        ("[1] tail", ((4, "text after the JSON value was ignored"),)),
    ],
)
def test_scan_tolerates_broken_json_and_reports_offsets(
    source: str, problems: tuple[tuple[int, str], ...]
) -> None:
    result = scan(source)
    assert (True, problems) == (result.found, result.problems)


@pytest.mark.parametrize("lines", [['{"a": 1}', '{"a": 2}', '{"a": 3}']])
def test_scan_concatenated_documents_give_a_list(lines: list[str]) -> None:
    expected = [{"a": 1}, {"a": 2}, {"a": 3}]
    assert expected == scan("\n".join(lines)).value


@pytest.mark.parametrize("extra", [1, 1000])
def test_scan_refuses_nesting_deeper_than_the_limit(extra: int) -> None:
    source = "[" * (MAX_DEPTH + extra)
    result = scan(source)
    problem = (MAX_DEPTH, f"nested deeper than {MAX_DEPTH} levels; the rest was ignored")
    assert (True, problem) == (result.found, result.problems[0])


@pytest.mark.parametrize(("source", "start", "end"), [('xx{"a": "b"}yy', 2, 12)])
def test_scan_reads_only_the_given_range(source: str, start: int, end: int) -> None:
    result = scan(source, start, end)
    value = result.value
    assert isinstance(value, dict)
    text = value["a"]
    assert isinstance(text, JsonString)
    assert ("b", 9, 10, (), end) == (text.value, text.start, text.end, result.problems, result.end)


@pytest.mark.parametrize("source", ["", "   ", "}", "garbage"])
def test_scan_without_any_value_finds_nothing(source: str) -> None:
    result = scan(source)
    nothing = (False, None)
    assert nothing == (result.found, result.value)
