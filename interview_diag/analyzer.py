"""The public entry points: ``Analyzer`` (build once, reuse) and ``analyze`` (one call)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_diag.diagnosis import Prepared, finish, prepare
from interview_diag.layout import DocInput, plan_docs
from interview_diag.rules.schema import RuleSet, load_rules
from interview_diag.types import Finding, Report

if TYPE_CHECKING:
    from spacy.language import Language

SHIPPED = "shipped"


class Analyzer:
    """Loads the pipeline, rules and model once; analyses any number of texts.

    Example:
        >>> from interview_diag import Analyzer
        >>> an = Analyzer(model=None)
        >>> an.analyze("My old boss was an idiot.").codes
        ('badmouthing',)
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        model: str | Path | None = SHIPPED,
        trust_model: bool = False,
        disable: Iterable[str] = (),
        extra_rules: Iterable[str | Path] = (),
        allow: Mapping[str, Iterable[str]] | None = None,
        thresholds: Mapping[str, Any] | None = None,
    ) -> None:
        """Build the pipeline.

        Args:
            nlp: a spaCy pipeline to add the components to (default ``spacy.blank("en")``;
                a statistical English pipeline works too).
            model: ``"shipped"`` (the trained model inside the package), a path to a
                model of your own (needs ``trust_model=True``), or ``None`` for rules only.
            trust_model: allow loading a model file that is not the shipped one
                (a joblib file runs code when loaded).
            disable: finding codes or rule ids to leave out.
            extra_rules: more rule files (or folders of them) to add.
            allow: per code or rule id, phrases that make a match acceptable.
            thresholds: per-code classifier thresholds (numbers) and turn-check
                parameters (mappings), e.g. ``{"badmouthing": 0.7, "rambling": {"max_words": 300}}``.

        Raises:
            RuleError: an extra rule file is invalid.
            ModelError: the model cannot be loaded safely.
            ConfigError: an option is invalid.
        """
        from interview_diag.pipeline import build_nlp, split_thresholds

        self.disable = tuple(sorted(set(disable)))
        self.extra_rules = tuple(str(p) for p in extra_rules)
        _, self._params = split_thresholds(thresholds)
        self.nlp = build_nlp(
            nlp=nlp,
            model=model,
            trust_model=trust_model,
            disable=self.disable,
            extra_rules=self.extra_rules,
            allow=allow,
            thresholds=thresholds,
        )
        rules = load_rules(self.extra_rules)
        off = set(self.disable)
        self.rules = RuleSet(
            rules=tuple(r for r in rules.rules if r.code not in off and r.id not in off),
            codes=rules.codes,
        )

    def analyze(
        self,
        text: str,
        *,
        kind: str = "auto",
        fmt: str = "auto",
        company: str | None = None,
        role: str | None = None,
        candidate: str | None = None,
        job_description: str | None = None,
        id: str | None = None,
    ) -> Report:
        """Analyse one transcript, answer, recap or letter.

        Args:
            text: the input, in any supported format.
            kind: ``auto``, ``transcript``, ``answer``, ``recap`` or ``letter``.
            fmt: ``auto``, ``prose``, ``labelled``, ``vtt``, ``srt`` or ``json``.
            company: the company interviewed with (enables company checks).
            role: the role interviewed for.
            candidate: the candidate's speaker label, when the guess should be overridden.
            job_description: the job description text (enables the role-terms check).
            id: a record id to carry into the report.

        Returns:
            The report.

        Raises:
            TypeError: ``text`` is not a ``str``.
            ConfigError: an unknown kind or format, or a candidate who is not a speaker.
            ParseError: the input cannot be read in the requested format.
        """
        options = {
            k: v
            for k, v in (("company", company), ("role", role), ("job_description", job_description))
            if v is not None
        }
        prepared = prepare(text, fmt=fmt, kind=kind, candidate=candidate, options=options)
        return self._run(prepared, id=id)

    def _run(self, prepared: Prepared, *, id: str | None = None) -> Report:
        plans = plan_docs(prepared.transcript, self.nlp.max_length)
        findings: list[Finding] = []
        for text, segments in plans:
            doc = self.nlp.make_doc(text)
            doc._.idiag_input = DocInput(
                transcript=prepared.transcript,
                segments=segments,
                kind=prepared.kind,
                candidate=prepared.candidate,
                contexts=prepared.contexts,
                options=prepared.options,
                whole=False,
            )
            doc = self.nlp(doc)
            findings.extend(doc._.idiag_findings or [])
        return finish(prepared, findings, self.rules, thresholds=self._params, id=id)

    def pipe(self, texts: Iterable[str]) -> Iterator[Report]:
        """Analyse many texts, one report per text, in order.

        Args:
            texts: the inputs.

        Yields:
            One report per input.
        """
        for text in texts:
            yield self.analyze(text)


_DEFAULT: dict[str, Analyzer] = {}


def default_analyzer() -> Analyzer:
    """The analyzer ``analyze()`` uses, built on first use (clear with ``clear_default_analyzer``)."""
    if SHIPPED not in _DEFAULT:
        _DEFAULT[SHIPPED] = Analyzer()
    return _DEFAULT[SHIPPED]


def clear_default_analyzer() -> None:
    """Forget the analyzer ``analyze()`` built, so the next call builds a new one."""
    _DEFAULT.clear()


def analyze(
    text: str,
    *,
    kind: str = "auto",
    fmt: str = "auto",
    company: str | None = None,
    role: str | None = None,
    candidate: str | None = None,
    job_description: str | None = None,
) -> Report:
    """Analyse one text with the default analyzer (built once, on first use).

    Args:
        text: the input, in any supported format.
        kind: ``auto``, ``transcript``, ``answer``, ``recap`` or ``letter``.
        fmt: ``auto``, ``prose``, ``labelled``, ``vtt``, ``srt`` or ``json``.
        company: the company interviewed with.
        role: the role interviewed for.
        candidate: the candidate's speaker label.
        job_description: the job description text.

    Returns:
        The report.

    Example:
        >>> import interview_diag as d
        >>> r = d.analyze("Interviewer: Why did you leave?\\nCandidate: My old boss was an idiot.")
        >>> r.findings[0].code
        'badmouthing'
    """
    return default_analyzer().analyze(
        text,
        kind=kind,
        fmt=fmt,
        company=company,
        role=role,
        candidate=candidate,
        job_description=job_description,
    )
