"""Throughput of the analysis against spaCy's tokenizer alone, and the cold start.

Steps, all in one run, on two corpora:

- ``synthetic``: the seeded generator of ``bench_batch.py`` (N transcripts of about
  3,000 words each). It is built from a small set of sentence templates, so spaCy's
  tokenizer, which caches what it has seen, runs unusually fast on it.
- ``labelled``: the project's own hand-written texts (``data/corpus``, every split)
  shuffled with a fixed seed and stitched into transcripts of 60 answers, each after an
  interviewer question: varied vocabulary, as real interviews have.

On each corpus:

1. spaCy blank English tokenizer alone (``nlp.pipe``): the floor.
2. Rules only: ``Analyzer(model=None).pipe`` (issue target: at least 0.30 times the
   tokenizer's words/s).
3. Full analysis: rules, classifier and interview-level checks,
   ``Analyzer().pipe`` (target: at least 0.20 times the tokenizer's words/s).
4. Cold start of the whole ``interview-diag analyze`` process on one 3,000-word
   transcript, median of five runs (target: at most 2.0 s).

Usage::

    python benchmarks/bench_analysis.py            # N = 200
    python benchmarks/bench_analysis.py --n 50     # quicker

It prints a Markdown table and the ratios; it exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import corpus  # noqa: E402

RULES_TARGET = 0.30
FULL_TARGET = 0.20
COLD_TARGET = 2.0


def labelled_corpus(seed: int, per_transcript: int = 60) -> list[str]:
    """Transcripts stitched from the labelled corpus (every split), in a seeded order."""
    import glob
    import json
    import random

    root = Path(__file__).resolve().parent.parent / "data" / "corpus"
    rows = [
        json.loads(line)
        for path in sorted(glob.glob(str(root / "*.jsonl")))
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    random.Random(seed).shuffle(rows)
    questions = (
        "Why did you leave?",
        "Tell me about yourself.",
        "What do you know about us?",
        "Do you have any questions for us?",
        "How do you handle conflict?",
    )
    texts, turns = [], []
    for i, row in enumerate(rows):
        turns.append(f"Interviewer: {questions[i % len(questions)]}\nCandidate: {row['text']}")
        if len(turns) == per_transcript:
            texts.append("\n".join(turns))
            turns = []
    return texts


def time_tokenizer(texts: list[str]) -> float:
    """Seconds for the blank English tokenizer over the texts."""
    import spacy

    nlp = spacy.blank("en")
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=4):
        pass
    return time.perf_counter() - start


def time_analysis(texts: list[str], model: str | None) -> float:
    """Seconds for ``Analyzer.pipe`` over the texts (analyzer built beforehand)."""
    from interview_diag import Analyzer

    analyzer = Analyzer(model=model)
    analyzer.analyze(texts[0])  # warm caches outside the timing
    start = time.perf_counter()
    failed = sum(r.error is not None for r in analyzer.pipe(texts))
    seconds = time.perf_counter() - start
    if failed:
        print(f"warning: {failed} records failed", file=sys.stderr)
    return seconds


def cold_start(text: str, runs: int = 5) -> list[float]:
    """Wall seconds of whole ``interview-diag analyze`` processes on one transcript."""
    exe = shutil.which("interview-diag") or str(Path(sys.executable).with_name("interview-diag"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t.txt")
        Path(path).write_text(text, encoding="utf-8")
        out = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([exe, "analyze", path], stdout=subprocess.DEVNULL, check=True)
            out.append(time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="transcripts (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    corpora = {
        "synthetic": list(corpus(args.n, args.seed)),
        "labelled": labelled_corpus(args.seed),
    }
    ok = True
    for name, texts in corpora.items():
        words = sum(len(t.split()) for t in texts)
        tok = time_tokenizer(texts)
        rules = time_analysis(texts, None)
        full = time_analysis(texts, "shipped")
        r_rules = tok / rules
        r_full = tok / full
        ok = ok and r_rules >= RULES_TARGET and r_full >= FULL_TARGET
        print(f"corpus `{name}`: {len(texts)} transcripts, {words:,} words (seed {args.seed})")
        print()
        print("| measure | seconds | words/s | ratio to tokenizer | target |")
        print("| --- | ---: | ---: | ---: | --- |")
        print(f"| spaCy blank tokenizer only | {tok:.2f} | {words / tok:,.0f} | 1.00 | floor |")
        print(
            f"| rules only | {rules:.2f} | {words / rules:,.0f} | {r_rules:.2f} | "
            f">= {RULES_TARGET}: {'met' if r_rules >= RULES_TARGET else 'NOT met'} |"
        )
        print(
            f"| full analysis (rules + classifier + aggregation) | {full:.2f} | "
            f"{words / full:,.0f} | {r_full:.2f} | "
            f">= {FULL_TARGET}: {'met' if r_full >= FULL_TARGET else 'NOT met'} |"
        )
        print()
    one = next(t for t in corpora["synthetic"] if 2800 <= len(t.split()) <= 3300)
    cold = cold_start(one)
    cold_med = statistics.median(cold)
    runs = ", ".join(f"{c:.2f}" for c in cold)
    print(
        f"cold start, `interview-diag analyze` on a {len(one.split()):,}-word transcript: "
        f"median {cold_med:.2f} s ({runs}); target <= {COLD_TARGET} s: "
        f"{'met' if cold_med <= COLD_TARGET else 'NOT met'}"
    )
    return 0 if ok and cold_med <= COLD_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
