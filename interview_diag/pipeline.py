"""Build the spaCy pipeline; the only place components and extensions are registered.

Components (factories, all prefixed ``idiag_`` except the all-in-one):

- ``idiag_turns``: reads ``doc.text`` as a transcript when nothing else has.
- ``idiag_rules``: the rule detector.
- ``idiag_classifier``: the classifier detector.
- ``idiag_report``: interview-level checks and the report on the Doc.
- ``interview_diag``: the four above in one component, for ``nlp.add_pipe("interview_diag")``
  on any English pipeline.

Extensions: ``doc._.idiag_input``, ``doc._.idiag_prepared``, ``doc._.idiag_findings``
and ``doc._.interview_diag`` (the report). Registration is idempotent and happens
in ``register_extensions()``, which ``build_nlp()`` and every factory call.
The factories are also published as ``spacy_factories`` entry points, so spaCy
finds them without ``import interview_diag``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from interview_diag.components.classifier_detector import ClassifierDetector, ScoringModel
from interview_diag.components.report_writer import ReportWriter
from interview_diag.components.rule_detector import RuleDetector
from interview_diag.components.turns import TurnSegmenter
from interview_diag.errors import ConfigError, RuleError
from interview_diag.rules.schema import RuleSet, load_rules

EXTENSIONS = ("idiag_input", "idiag_prepared", "idiag_findings", "interview_diag")
COMPONENTS = ("idiag_turns", "idiag_rules", "idiag_classifier", "idiag_report", "interview_diag")
SHIPPED = "shipped"


def register_extensions() -> None:
    """Register the Doc extensions once (later calls do nothing)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def split_thresholds(
    thresholds: Mapping[str, Any] | None,
) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """Split ``thresholds`` into classifier score thresholds and turn-check parameters.

    A number is a score threshold for a code (``{"badmouthing": 0.7}``); a mapping
    overrides a rule's parameters (``{"rambling": {"max_words": 300}}``).

    Raises:
        ConfigError: a value is neither.
    """
    scores: dict[str, float] = {}
    params: dict[str, dict[str, Any]] = {}
    for key, value in (thresholds or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, Mapping)):
            raise ConfigError(
                f"thresholds[{key!r}] must be a number (a score threshold) or a mapping "
                f"of rule parameters, got {type(value).__name__}"
            )
        if isinstance(value, Mapping):
            params[key] = dict(value)
        else:
            if not 0.0 <= float(value) <= 1.0:
                raise ConfigError(f"thresholds[{key!r}] must be within 0..1, got {value}")
            scores[key] = float(value)
    return scores, params


def resolve_model(model: str | Path | None, trust_model: bool) -> ScoringModel | None:
    """Load the model a configuration names: ``"shipped"``, a path, or ``None`` for none."""
    if model is None or model == "":
        return None
    from interview_diag.model.artifact import load_model

    if model == SHIPPED:
        return load_model()
    return load_model(Path(model), trust_model=trust_model)


def _rules_or_pending(extra_rules: Iterable[str]) -> tuple[RuleSet, str | None]:
    """Load the rules; a missing extra file is reported later, not now.

    ``spacy.load`` builds each component from its config before ``from_disk``
    hands it the saved copies of its extra rule files, so a file that has since
    moved must not stop construction. The error is raised on first use unless
    ``from_disk`` has replaced the rules by then.
    """
    paths = list(extra_rules)
    missing = [p for p in paths if not Path(p).exists()]
    if not missing:
        return load_rules(paths), None
    present = [p for p in paths if Path(p).exists()]
    return load_rules(present), f"extra rule file {missing[0]} does not exist"


def _raise_pending(pending: str | None) -> None:
    if pending is not None:
        raise RuleError(pending)


class _Saved:
    """to_disk/from_disk for components whose state is their configuration.

    Listed first among a component's bases, so that its ``__call__`` runs first:
    it raises the error of an extra rule file that went missing (``pending``),
    then hands the Doc to the component's own stage.
    """

    cfg: dict[str, Any]
    pending: str | None = None

    def __call__(self, doc: Doc) -> Doc:
        """Run the component's stage, unless an extra rule file went missing."""
        _raise_pending(self.pending)
        stage: Any = super()
        result: Doc = stage.__call__(doc)
        return result

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the component's settings (and the text of any extra rule files)."""
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        extra = {}
        for i, f in enumerate(self.cfg.get("extra_rules", [])):
            extra[f"{i:03d}-{Path(f).name}"] = Path(f).read_text(encoding="utf-8")
        data = {"cfg": self.cfg, "extra_rule_files": extra}
        (p / "idiag.json").write_text(json.dumps(data, indent=2, sort_keys=True), "utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> _Saved:
        """Read settings written by ``to_disk`` and rebuild the component from them."""
        p = Path(path)
        data = json.loads((p / "idiag.json").read_text("utf-8"))
        folder = p / "extra_rules"
        folder.mkdir(exist_ok=True)
        paths = []
        for name, text in sorted(data["extra_rule_files"].items()):
            (folder / name).write_text(text, "utf-8")
            paths.append(str(folder / name))
        cfg = dict(data["cfg"])
        if "extra_rules" in cfg:
            cfg["extra_rules"] = paths
        self._rebuild(cfg)
        return self

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        raise NotImplementedError


class RulesComponent(_Saved, RuleDetector):
    """The ``idiag_rules`` component: a RuleDetector that can be saved."""

    def __init__(self, nlp: Language, name: str, cfg: dict[str, Any]) -> None:
        """Build the detector from its configuration."""
        self.nlp = nlp
        self.name = name
        self._rebuild(cfg)

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        self.cfg = dict(cfg)
        rules, self.pending = _rules_or_pending(cfg.get("extra_rules", []))
        RuleDetector.__init__(
            self,
            self.nlp,
            self.name,
            rules,
            disable=cfg.get("disable", []),
            allow=cfg.get("allow", {}),
        )


class ClassifierComponent(_Saved, ClassifierDetector):
    """The ``idiag_classifier`` component: a ClassifierDetector that can be saved."""

    def __init__(self, nlp: Language, name: str, cfg: dict[str, Any]) -> None:
        """Build the detector from its configuration (the model is loaded here, once)."""
        self.nlp = nlp
        self.name = name
        self._rebuild(cfg)

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        self.cfg = dict(cfg)
        scores, _ = split_thresholds(cfg.get("thresholds", {}))
        rules, self.pending = _rules_or_pending(cfg.get("extra_rules", []))
        ClassifierDetector.__init__(
            self,
            self.nlp,
            self.name,
            resolve_model(cfg.get("model", SHIPPED), bool(cfg.get("trust_model", False))),
            rules,
            disable=cfg.get("disable", []),
            thresholds=scores,
            allow=cfg.get("allow", {}),
        )


class ReportComponent(_Saved, ReportWriter):
    """The ``idiag_report`` component: a ReportWriter that can be saved."""

    def __init__(self, name: str, cfg: dict[str, Any]) -> None:
        """Build the writer from its configuration."""
        self.name = name
        self._rebuild(cfg)

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        self.cfg = dict(cfg)
        _, params = split_thresholds(cfg.get("thresholds", {}))
        rules, self.pending = _rules_or_pending(cfg.get("extra_rules", []))
        rules = rules.without(cfg.get("disable", []))
        ReportWriter.__init__(self, self.name, rules, thresholds=params)


class TurnsComponent(_Saved, TurnSegmenter):
    """The ``idiag_turns`` component: a TurnSegmenter that can be saved."""

    def __init__(self, name: str, cfg: dict[str, Any]) -> None:
        """Build the segmenter from its configuration."""
        self.name = name
        self._rebuild(cfg)

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        self.cfg = dict(cfg)
        TurnSegmenter.__init__(
            self,
            self.name,
            fmt=cfg.get("fmt", "auto"),
            kind=cfg.get("kind", "auto"),
            candidate=cfg.get("candidate"),
            options={
                k: cfg[k] for k in ("company", "role", "job_description") if cfg.get(k) is not None
            },
        )


class InterviewDiagComponent(_Saved):
    """The all-in-one ``interview_diag`` component for any English pipeline.

    It analyses ``doc.text`` exactly as ``Analyzer.analyze`` does (on Docs of its
    own, made with a blank pipeline sharing this pipeline's vocab, so markup and
    timestamps never reach the rules), then puts the report on the Doc and its
    evidence in ``doc.spans["interview_diag"]``. The evidence offsets are offsets
    into ``doc.text``, so the spans fall on exactly the quoted words.
    """

    def __init__(self, nlp: Language, name: str, cfg: dict[str, Any]) -> None:
        """Build the analyzer from one configuration."""
        self.nlp = nlp
        self.name = name
        self._rebuild(cfg)

    def _rebuild(self, cfg: dict[str, Any]) -> None:
        from interview_diag.analyzer import Analyzer

        self.cfg = dict(cfg)
        extra = [str(p) for p in cfg.get("extra_rules", [])]
        missing = [p for p in extra if not Path(p).exists()]
        self.pending = f"extra rule file {missing[0]} does not exist" if missing else None
        model = cfg.get("model", SHIPPED)
        self.analyzer = Analyzer(
            nlp=spacy.blank(self.nlp.lang or "en", vocab=self.nlp.vocab),
            model=None if model in (None, "") else model,
            trust_model=bool(cfg.get("trust_model", False)),
            disable=cfg.get("disable", []),
            extra_rules=[p for p in extra if p not in missing],
            allow=cfg.get("allow", {}),
            thresholds=cfg.get("thresholds", {}),
        )

    def __call__(self, doc: Doc) -> Doc:
        """Analyse the Doc's text; set ``doc._.interview_diag`` and the evidence spans."""
        _raise_pending(self.pending)
        cfg = self.cfg
        report = self.analyzer.analyze(
            doc.text,
            kind=cfg.get("kind", "auto"),
            fmt=cfg.get("fmt", "auto"),
            company=cfg.get("company"),
            role=cfg.get("role"),
            candidate=cfg.get("candidate"),
            job_description=cfg.get("job_description"),
        )
        doc._.interview_diag = report
        spans = []
        for f in report.findings:
            for e in f.evidence:
                span = doc.char_span(e.start, e.end, label=f.code, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans["interview_diag"] = spans
        return doc


def _cfg(**kwargs: Any) -> dict[str, Any]:
    register_extensions()
    return {k: v for k, v in kwargs.items()}


_DEFAULTS: dict[str, Any] = {
    "fmt": "auto",
    "kind": "auto",
    "candidate": None,
    "company": None,
    "role": None,
    "job_description": None,
    "model": SHIPPED,
    "trust_model": False,
    "disable": [],
    "extra_rules": [],
    "allow": {},
    "thresholds": {},
}


def make_turns(
    nlp: Language,
    name: str,
    fmt: str,
    kind: str,
    candidate: str | None,
    company: str | None,
    role: str | None,
    job_description: str | None,
) -> TurnsComponent:
    """Factory of ``idiag_turns``."""
    return TurnsComponent(
        name,
        _cfg(
            fmt=fmt,
            kind=kind,
            candidate=candidate,
            company=company,
            role=role,
            job_description=job_description,
        ),
    )


def make_rules(
    nlp: Language,
    name: str,
    disable: list[str],
    extra_rules: list[str],
    allow: dict[str, list[str]],
) -> RulesComponent:
    """Factory of ``idiag_rules``."""
    return RulesComponent(nlp, name, _cfg(disable=disable, extra_rules=extra_rules, allow=allow))


def make_classifier(
    nlp: Language,
    name: str,
    model: str | None,
    trust_model: bool,
    disable: list[str],
    extra_rules: list[str],
    thresholds: dict[str, Any],
    allow: dict[str, list[str]],
) -> ClassifierComponent:
    """Factory of ``idiag_classifier``."""
    return ClassifierComponent(
        nlp,
        name,
        _cfg(
            model=model,
            trust_model=trust_model,
            disable=disable,
            extra_rules=extra_rules,
            thresholds=thresholds,
            allow=allow,
        ),
    )


def make_report(
    nlp: Language,
    name: str,
    disable: list[str],
    extra_rules: list[str],
    thresholds: dict[str, Any],
) -> ReportComponent:
    """Factory of ``idiag_report``."""
    return ReportComponent(
        name, _cfg(disable=disable, extra_rules=extra_rules, thresholds=thresholds)
    )


def make_interview_diag(
    nlp: Language,
    name: str,
    fmt: str,
    kind: str,
    candidate: str | None,
    company: str | None,
    role: str | None,
    job_description: str | None,
    model: str | None,
    trust_model: bool,
    disable: list[str],
    extra_rules: list[str],
    allow: dict[str, list[str]],
    thresholds: dict[str, Any],
) -> InterviewDiagComponent:
    """Factory of the all-in-one ``interview_diag`` component."""
    return InterviewDiagComponent(
        nlp,
        name,
        _cfg(
            fmt=fmt,
            kind=kind,
            candidate=candidate,
            company=company,
            role=role,
            job_description=job_description,
            model=model,
            trust_model=trust_model,
            disable=disable,
            extra_rules=extra_rules,
            allow=allow,
            thresholds=thresholds,
        ),
    )


def _pick(*keys: str) -> dict[str, Any]:
    return {k: _DEFAULTS[k] for k in keys}


_FACTORIES: tuple[tuple[str, Any, dict[str, Any]], ...] = (
    (
        "idiag_turns",
        make_turns,
        _pick("fmt", "kind", "candidate", "company", "role", "job_description"),
    ),
    ("idiag_rules", make_rules, _pick("disable", "extra_rules", "allow")),
    (
        "idiag_classifier",
        make_classifier,
        _pick("model", "trust_model", "disable", "extra_rules", "thresholds", "allow"),
    ),
    ("idiag_report", make_report, _pick("disable", "extra_rules", "thresholds")),
    ("interview_diag", make_interview_diag, dict(_DEFAULTS)),
)


def register_factories() -> None:
    """Register the component factories with spaCy (later calls do nothing)."""
    for name, func, defaults in _FACTORIES:
        if not Language.has_factory(name):
            Language.factory(name, default_config=defaults, func=func)


def build_nlp(
    *,
    nlp: Language | None = None,
    model: str | Path | None = SHIPPED,
    trust_model: bool = False,
    disable: Iterable[str] = (),
    extra_rules: Iterable[str | Path] = (),
    allow: Mapping[str, Iterable[str]] | None = None,
    thresholds: Mapping[str, Any] | None = None,
) -> Language:
    """The default pipeline: ``spacy.blank("en")`` (or ``nlp``) plus the project's components.

    Nothing is downloaded: the blank English tokenizer is all the default needs.
    A statistical pipeline passed as ``nlp`` works as well; its own components
    run first.

    Args:
        nlp: a pipeline to add the components to (default: a new blank English one).
        model: ``"shipped"``, a path to a trained model, or ``None`` for rules only.
        trust_model: load a model that is not the shipped one.
        disable: finding codes or rule ids to leave out.
        extra_rules: more rule files or folders.
        allow: per code or rule id, phrases that make a match acceptable.
        thresholds: per-code score thresholds (numbers) or rule parameters (mappings).

    Returns:
        The pipeline.
    """
    register_extensions()
    register_factories()
    split_thresholds(thresholds)  # validate early, with a clear error
    if nlp is None:
        nlp = spacy.blank("en")
    common = {
        "disable": sorted(set(disable)),
        "extra_rules": [str(p) for p in extra_rules],
    }
    model_cfg = None if model is None else str(model)
    nlp.add_pipe("idiag_turns")
    nlp.add_pipe(
        "idiag_rules", config={**common, "allow": {k: list(v) for k, v in (allow or {}).items()}}
    )
    if model_cfg is not None:
        nlp.add_pipe(
            "idiag_classifier",
            config={
                **common,
                "model": model_cfg,
                "trust_model": trust_model,
                "thresholds": dict(thresholds or {}),
                "allow": {k: list(v) for k, v in (allow or {}).items()},
            },
        )
    nlp.add_pipe("idiag_report", config={**common, "thresholds": dict(thresholds or {})})
    return nlp


# Importing this module (directly, or through the ``spacy_factories`` entry points)
# makes the factories known to spaCy; ``interview_diag/__init__.py`` does not import it.
register_factories()
