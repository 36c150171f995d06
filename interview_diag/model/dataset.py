"""Labelled training examples read from JSONL files (format in ``data/README.md``).

Each non-blank line of a corpus file is one JSON object::

    {"id": "p1-0001", "text": "...", "kind": "answer", "labels": ["nerves"],
     "split": "train", "group": "p1-g001"}

Every line is validated; a bad line raises ``ParseError`` naming the file and the
1-based line number, so a writer can fix it at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from interview_diag.errors import ConfigError, Messages, ParseError

LABELS: tuple[str, ...] = (
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
)
"""The ten codes the classifier predicts, in the fixed column order of the model."""

ExampleKind = Literal["answer", "turn", "recap", "letter"]
EXAMPLE_KINDS: tuple[ExampleKind, ...] = get_args(ExampleKind)

Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = get_args(Split)

_KEYS = frozenset({"id", "text", "kind", "labels", "split", "group"})

DataPaths = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
"""One file or directory, or several of them."""


@dataclass(frozen=True)
class Example:
    """One labelled text of the corpus.

    Attributes:
        id: unique id across all files (``p1-0001``).
        text: the candidate's answer, turn, recap or letter.
        kind: ``answer``, ``turn``, ``recap`` or ``letter``.
        labels: the codes that apply, in the order of ``LABELS``; empty when clean.
        split: ``train``, ``dev`` or ``test``.
        group: the writer's group of related examples (paraphrases share a group).
    """

    id: str
    text: str
    kind: ExampleKind
    labels: tuple[str, ...]
    split: Split
    group: str

    @property
    def is_clean(self) -> bool:
        """True when no code applies to the text."""
        return not self.labels


def find_data_files(paths: DataPaths) -> tuple[tuple[Path, str], ...]:
    """List the JSONL files behind ``paths`` in the order they are read.

    A file is taken as given; a directory contributes every ``*.jsonl`` below it,
    recursively, sorted by relative path, except what lies in a ``letters``
    folder: the labelled follow-up letters (``data/letters/``) have a schema of
    their own, so ``--data data/`` reads the corpus only.

    Args:
        paths: one file or directory, or several of them.

    Returns:
        ``(path, name)`` pairs, where ``name`` is the path relative to the
        directory it was found in (or the bare file name for a file argument).

    Raises:
        ConfigError: a path does not exist, or a directory holds no ``*.jsonl``.
    """
    found: list[tuple[Path, str]] = []
    for root in _as_paths(paths):
        if root.is_file():
            found.append((root, root.name))
        elif root.is_dir():
            files = sorted(
                (
                    p
                    for p in root.rglob("*.jsonl")
                    if p.is_file() and "letters" not in p.relative_to(root).parts[:-1]
                ),
                key=lambda p: p.relative_to(root).as_posix(),
            )
            if not files:
                problem = "holds no *.jsonl file"
                raise ConfigError(Messages.IDG025.format(path=root, problem=problem))
            found.extend((p, p.relative_to(root).as_posix()) for p in files)
        else:
            raise ConfigError(Messages.IDG025.format(path=root, problem="does not exist"))
    return tuple(found)


def load_examples(paths: DataPaths) -> tuple[Example, ...]:
    """Read and validate every example under ``paths``.

    Args:
        paths: a JSONL file or a directory of them (searched recursively), or
            several; files are read in the order of ``find_data_files``.

    Returns:
        The examples in file and line order.

    Raises:
        ParseError: a line is not a valid example; the message names the file
            and line, and ``error.line`` holds the line number.
        ConfigError: a path does not exist or a directory holds no JSONL file.

    Example:
        >>> examples = load_examples("data/corpus")  # doctest: +SKIP
        >>> sum(e.split == "train" for e in examples)  # doctest: +SKIP
        3120
    """
    examples: list[Example] = []
    seen: dict[str, str] = {}
    for path, _name in find_data_files(paths):
        for line_no, example in _read_file(path):
            where = f"{path}:{line_no}"
            if example.id in seen:
                problem = f"duplicate id {example.id!r} (first seen at {seen[example.id]})"
                raise ParseError(
                    Messages.IDG024.format(path=path, line=line_no, problem=problem), line=line_no
                )
            seen[example.id] = where
            examples.append(example)
    return tuple(examples)


def data_sha256(paths: DataPaths) -> str:
    """Fingerprint the training data behind ``paths``.

    The hash covers each file's name (relative to the directory given, so the
    checkout location does not matter) and its bytes, in reading order.

    Args:
        paths: the same argument as for ``load_examples``.

    Returns:
        A hex sha256 digest.
    """
    digest = hashlib.sha256()
    for path, name in find_data_files(paths):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode("ascii") + b"\n")
    return digest.hexdigest()


def _as_paths(paths: DataPaths) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _read_file(path: Path) -> Iterable[tuple[int, Example]]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ParseError(
                    Messages.IDG024.format(path=path, line=line_no, problem=f"invalid JSON: {exc}"),
                    line=line_no,
                ) from None
            try:
                example = parse_example(raw)
            except ValueError as exc:
                raise ParseError(
                    Messages.IDG024.format(path=path, line=line_no, problem=str(exc)), line=line_no
                ) from None
            yield line_no, example


def parse_example(raw: Any) -> Example:
    """Validate one decoded JSON record and turn it into an ``Example``.

    Args:
        raw: the value decoded from one JSONL line.

    Returns:
        The example, with labels in ``LABELS`` order.

    Raises:
        ValueError: the record does not follow the corpus format.
    """
    if not isinstance(raw, dict):
        raise ValueError(f"expected a JSON object, got {type(raw).__name__}")
    missing = sorted(_KEYS - raw.keys())
    if missing:
        raise ValueError(f"missing keys {missing}")
    unknown = sorted(raw.keys() - _KEYS)
    if unknown:
        raise ValueError(f"unknown keys {unknown}")
    for key in ("id", "text", "group"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string")
    kind = raw["kind"]
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"'kind' must be one of {list(EXAMPLE_KINDS)}, got {kind!r}")
    split = raw["split"]
    if split not in SPLITS:
        raise ValueError(f"'split' must be one of {list(SPLITS)}, got {split!r}")
    labels = raw["labels"]
    if not isinstance(labels, list) or not all(isinstance(code, str) for code in labels):
        raise ValueError("'labels' must be a list of code strings")
    unknown_codes = sorted(set(labels) - set(LABELS))
    if unknown_codes:
        raise ValueError(f"unknown codes {unknown_codes}; known codes: {list(LABELS)}")
    if len(set(labels)) != len(labels):
        raise ValueError(f"repeated codes in {labels}")
    return Example(
        id=raw["id"],
        text=raw["text"],
        kind=kind,
        labels=tuple(code for code in LABELS if code in labels),
        split=split,
        group=raw["group"],
    )
