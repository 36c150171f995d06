"""Every error and warning message of the library, each with a stable code.

Messages live here so that the wording is consistent and each can be looked up
by its code (``IDG0xx``) in issues and logs.
"""

from __future__ import annotations


class Messages:
    """Coded message templates; fill them with ``str.format``."""

    IDG001 = "expected text as str, got {type}"
    IDG002 = "the input is empty"
    IDG003 = "unknown input format {fmt!r}; expected one of {choices}"
    IDG004 = "unknown kind {kind!r}; expected one of {choices}"
    IDG005 = "line {line}: {problem}"
    IDG006 = "could not read {fmt} input: {problem}"
    IDG007 = "candidate {candidate!r} is not a speaker of this transcript; speakers: {speakers}"
    IDG010 = "rule file {path}: {problem}"
    IDG011 = "rule {rule_id} in {path}: {problem}"
    IDG012 = "duplicate rule id {rule_id} in {path} (first defined in {first})"
    IDG013 = "unknown finding code {code!r} in {where}; known codes: {codes}"
    IDG020 = (
        "model file {path}: sha256 {actual} does not match the manifest ({expected}); "
        "refusing to load it"
    )
    IDG021 = (
        "model {path} was trained with scikit-learn {trained}, but {installed} is installed; "
        "retrain it with `interview-diag train --data data/ --out models/` or install "
        "scikit-learn {trained}"
    )
    IDG022 = (
        "model {path} is not the shipped model; pass trust_model=True (--trust-model on the "
        "command line) to load a model you trust"
    )
    IDG023 = "model manifest {path}: {problem}"
    IDG030 = "{path}: {problem}"
    IDG040 = "record {id}: {problem}"
    IDG024 = "training data {path}, line {line}: {problem}"
    IDG025 = "training data {path}: {problem}"
    IDG026 = "cannot train a model: {problem}"
    IDG027 = "expected a sequence of texts, got a single {type}; wrap it in a list"
    IDG008 = "the input looked like {fmt} but could not be read so ({problem}); read as prose"
    IDG009 = "{count} more reading problems not listed"
    IDG014 = (
        "candidate {candidate!r} was given, but the input has no speaker labels: "
        "the whole text is taken as the candidate's"
    )


class InterviewDiagError(Exception):
    """Base class of every error the library raises on purpose."""


class ParseError(InterviewDiagError, ValueError):
    """The input could not be read in the requested or detected format.

    Attributes:
        line: the 1-based line number where reading failed, when known.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class RuleError(InterviewDiagError, ValueError):
    """A rule file is malformed or inconsistent."""


class ModelError(InterviewDiagError, RuntimeError):
    """A model artifact cannot be loaded safely."""


class ConfigError(InterviewDiagError, ValueError):
    """An option passed to the library is not valid."""
