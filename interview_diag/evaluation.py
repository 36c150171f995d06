"""Score the detectors on labelled data: rules only, classifier only, and both.

One analysis per example gives all three: a finding's ``source`` says whether a
rule fired (``rule``), the classifier did (``model``) or both did (``both``), so
rules-only predictions are the codes with source rule/both, classifier-only
predictions the codes with source model/both, and hybrid predictions every code.
Only the sentence-level codes the data is labelled with are scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interview_diag.model.dataset import LABELS, Example, load_examples
from interview_diag.model.metrics import Metrics, score_predictions

if TYPE_CHECKING:
    from interview_diag.analyzer import Analyzer

SENTENCE_CODES = LABELS
MODES = ("rules", "classifier", "hybrid")
_KIND = {"answer": "answer", "turn": "answer", "recap": "recap", "letter": "letter"}
_SOURCES = {
    "rules": ("rule", "both"),
    "classifier": ("model", "both"),
    "hybrid": ("rule", "model", "both"),
}


@dataclass(frozen=True)
class Evaluation:
    """Metrics per mode on one split."""

    split: str
    n_examples: int
    by_mode: dict[str, Metrics]

    def to_dict(self) -> dict[str, object]:
        """Plain-JSON form."""
        return {
            "split": self.split,
            "n_examples": self.n_examples,
            "modes": {m: v.to_dict() for m, v in self.by_mode.items()},
        }


def predict_codes(analyzer: Analyzer, example: Example) -> dict[str, set[str]]:
    """The sentence-level codes each mode predicts for one example."""
    report = analyzer.analyze(example.text, kind=_KIND.get(example.kind, "answer"))
    out: dict[str, set[str]] = {m: set() for m in MODES}
    for f in report.findings:
        if f.code not in SENTENCE_CODES:
            continue
        for mode in MODES:
            if f.source in _SOURCES[mode]:
                out[mode].add(f.code)
    return out


def evaluate(
    analyzer: Analyzer, data: Sequence[str | Path] | str | Path, split: str = "test"
) -> Evaluation:
    """Score an analyzer on one split of labelled JSONL data.

    Args:
        analyzer: the analyzer to score (with a model, for the classifier and hybrid modes).
        data: JSONL files or folders.
        split: ``train``, ``dev``, ``test`` or ``all``.

    Returns:
        Per-code precision, recall and F1, macro-F1 and the clean pass rate, per mode.
    """
    examples = [e for e in load_examples(data) if split == "all" or e.split == split]
    gold = [set(e.labels) for e in examples]
    preds: dict[str, list[set[str]]] = {m: [] for m in MODES}
    for e in examples:
        got = predict_codes(analyzer, e)
        for m in MODES:
            preds[m].append(got[m])
    by_mode = {m: score_predictions(gold, preds[m], SENTENCE_CODES) for m in MODES}
    return Evaluation(split=split, n_examples=len(examples), by_mode=by_mode)


def format_table(ev: Evaluation) -> str:
    """A Markdown table of per-code precision/recall/F1 for every mode."""
    head = "| code | support | " + " | ".join(f"{m} P | {m} R | {m} F1" for m in MODES) + " |"
    sep = "|---|---:|" + "---:|" * (3 * len(MODES))
    rows = [f"Split `{ev.split}`, {ev.n_examples} examples.", "", head, sep]
    first = ev.by_mode[MODES[0]]
    for code in SENTENCE_CODES:
        cells = []
        for m in MODES:
            c = ev.by_mode[m].per_code[code]
            cells += [f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}"]
        rows.append(f"| {code} | {first.per_code[code].support} | " + " | ".join(cells) + " |")
    macro = " | ".join(f" | | {ev.by_mode[m].macro_f1:.3f}" for m in MODES)
    rows.append(f"| **macro-F1** | |{macro} |")
    clean = " | ".join(f" | | {ev.by_mode[m].clean_pass_rate:.3f}" for m in MODES)
    rows.append(f"| clean texts with no finding | {first.clean_support} |{clean} |")
    return "\n".join(rows) + "\n"


def record_in_manifest(manifest: str | Path, result: Evaluation) -> None:
    """Write the evaluation into a model manifest under ``pipeline_metrics``.

    The manifest's other fields (and the model's sha256) are left as they are; the
    key is rewritten on every call, so the file stays deterministic.

    Args:
        manifest: path of ``manifest.json``.
        result: what ``evaluate`` returned.
    """
    import json

    path = Path(manifest)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pipeline_metrics"] = result.to_dict()
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
