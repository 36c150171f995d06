"""Throughput of the analysis against spaCy's tokenizer alone, and the cold start.

Steps, all in one run on one seeded corpus (the generator of ``bench_batch.py``,
N transcripts of about 3,000 words each):

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

    texts = list(corpus(args.n, args.seed))
    words = sum(len(t.split()) for t in texts)
    tok = time_tokenizer(texts)
    rules = time_analysis(texts, None)
    full = time_analysis(texts, "shipped")
    one = next(t for t in texts if 2800 <= len(t.split()) <= 3300)
    cold = cold_start(one)

    r_rules = tok / rules
    r_full = tok / full
    cold_med = statistics.median(cold)
    print(f"{args.n} transcripts, {words:,} words (seed {args.seed})")
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
    runs = ", ".join(f"{c:.2f}" for c in cold)
    print(
        f"cold start, `interview-diag analyze` on a {len(one.split()):,}-word transcript: "
        f"median {cold_med:.2f} s ({runs}); target <= {COLD_TARGET} s: "
        f"{'met' if cold_med <= COLD_TARGET else 'NOT met'}"
    )
    ok = r_rules >= RULES_TARGET and r_full >= FULL_TARGET and cold_med <= COLD_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
