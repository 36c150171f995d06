"""Tests of interview_diag.model.dataset: reading and validating JSONL examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from interview_diag.errors import ConfigError, ParseError
from interview_diag.model.dataset import LABELS, Example, data_sha256, load_examples

FIXTURE = Path(__file__).parent / "fixtures" / "model"

_GOOD = {
    "id": "t-1",
    "text": "My boss was a clown.",
    "kind": "answer",
    "labels": ["badmouthing"],
    "split": "train",
    "group": "g-1",
}


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "expected",
    [
        (
            "ten labels in model column order",
            (
                "badmouthing",
                "job_leaving",
                "company_unawareness",
                "no_questions",
                "premature_perks",
                "nerves",
                "interviewer_negative_cue",
                "whining_begging",
                "unprofessional_language",
                "hedging",
            ),
        )
    ],
)
def test_labels_are_fixed(expected: tuple[str, tuple[str, ...]]) -> None:
    assert expected[1] == LABELS


@pytest.mark.parametrize(
    ("expected_count", "expected_first", "expected_last"), [(82, "fx-001", "fx-082")]
)
def test_load_examples_reads_a_directory_recursively_in_order(
    expected_count: int, expected_first: str, expected_last: str
) -> None:
    examples = load_examples(FIXTURE)
    assert expected_count == len(examples)
    assert expected_first == examples[0].id
    assert expected_last == examples[-1].id
    assert [f"fx-{i:03d}" for i in range(1, 83)] == [e.id for e in examples]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["hedging", "badmouthing"], ("badmouthing", "hedging")),
        ([], ()),
    ],
)
def test_load_examples_orders_labels_like_label_set(
    tmp_path: Path, labels: list[str], expected: tuple[str, ...]
) -> None:
    path = _write_lines(tmp_path / "a.jsonl", [json.dumps({**_GOOD, "labels": labels})])
    assert (
        Example(
            id="t-1",
            text="My boss was a clown.",
            kind="answer",
            labels=expected,
            split="train",
            group="g-1",
        ),
    ) == load_examples(path)


@pytest.mark.parametrize(
    ("line", "expected_line", "message"),
    [
        ("{not json", 2, "invalid JSON"),
        ('["a list"]', 2, "expected a JSON object"),
        (json.dumps({k: v for k, v in _GOOD.items() if k != "split"}), 2, "missing keys"),
        (json.dumps({**_GOOD, "id": "t-2", "note": "x"}), 2, "unknown keys"),
        (json.dumps({**_GOOD, "id": "t-2", "labels": ["rudeness"]}), 2, "unknown codes"),
        (json.dumps({**_GOOD, "id": "t-2", "labels": "nerves"}), 2, "list of code strings"),
        (json.dumps({**_GOOD, "id": "t-2", "labels": ["nerves", "nerves"]}), 2, "repeated"),
        (json.dumps({**_GOOD, "id": "t-2", "kind": "email"}), 2, "'kind' must be one of"),
        (json.dumps({**_GOOD, "id": "t-2", "split": "val"}), 2, "'split' must be one of"),
        (json.dumps({**_GOOD, "id": "t-2", "text": "  "}), 2, "'text' must be a non-empty"),
        (json.dumps(_GOOD), 2, "duplicate id 't-1'"),
    ],
)
def test_load_examples_names_file_and_line_of_bad_line(
    tmp_path: Path, line: str, expected_line: int, message: str
) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", [json.dumps(_GOOD), line])
    with pytest.raises(ParseError, match=message) as info:
        load_examples(tmp_path)
    assert expected_line == info.value.line
    assert f"{path}, line {expected_line}:" in str(info.value)


@pytest.mark.parametrize("blank", ["", "   "])
def test_load_examples_skips_blank_lines(tmp_path: Path, blank: str) -> None:
    path = _write_lines(tmp_path / "a.jsonl", [blank, json.dumps(_GOOD), blank])
    assert len(load_examples(path)) == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "does not exist"),
        (lambda root: root, "holds no \\*.jsonl file"),
    ],
)
def test_load_examples_refuses_missing_data(tmp_path: Path, make: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_examples(make(tmp_path))


@pytest.mark.parametrize(
    "expected", ["cea63893c57acff6f62c3d8f10fd490a7410adbcf48229e6936539a9925c7e5f"]
)
def test_data_sha256_depends_on_content_not_location(tmp_path: Path, expected: str) -> None:
    copy = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE, copy)
    assert expected == data_sha256(FIXTURE)
    assert expected == data_sha256(copy)
    with (copy / "a-part.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert expected != data_sha256(copy)


@pytest.mark.parametrize("order", [["a-part.jsonl", "b-nested/part-b.jsonl"]])
def test_load_examples_accepts_several_files(order: list[str]) -> None:
    assert load_examples(FIXTURE) == load_examples([FIXTURE / name for name in order])
