"""One very long input: time and peak memory of analysing a single large transcript.

The transcript is stitched from the project's labelled corpus (as in
``bench_analysis.py``) and repeated until it reaches the requested size, so its
vocabulary is varied and it holds many findings. Each measurement runs in a fresh
child process, so that the peak resident memory it reports is that step's alone:

1. spaCy's blank English tokenizer over the same text, cut into pieces of the size
   the analyzer's Docs have at most (the floor; set-up not timed).
2. ``Analyzer().analyze(text)``: rules, classifier and interview-level checks
   (building the analyzer not timed).
3. ``interview-diag analyze --format json`` on the file, output to ``/dev/null``:
   the whole process, start-up and the JSON text of every finding included.

Usage::

    python benchmarks/bench_long.py             # 10 MB
    python benchmarks/bench_long.py --mb 2      # quicker

It prints a Markdown table; there is no target to miss, so it always exits 0
unless a step fails.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analysis import labelled_corpus  # noqa: E402

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
step, path = sys.argv[1], sys.argv[2]
text = Path(path).read_text(encoding="utf-8")
extra = {}
if step == "tokenizer":
    import spacy
    from interview_diag.analyzer import DOC_CHARS
    nlp = spacy.blank("en")
    nlp.max_length = DOC_CHARS + 1
    pieces = [text[i : i + DOC_CHARS] for i in range(0, len(text), DOC_CHARS)]
    start = time.perf_counter()
    for _doc in nlp.pipe(pieces, batch_size=1):
        pass
else:
    from interview_diag import Analyzer
    analyzer = Analyzer()
    start = time.perf_counter()
    report = analyzer.analyze(text)
    extra = {"findings": len(report.findings), "turns": len(report.turns)}
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss, **extra}))
"""


def build_text(megabytes: float, seed: int = 7) -> str:
    """A labelled transcript of at least ``megabytes`` MB of UTF-8."""
    pieces = labelled_corpus(seed, per_transcript=60)
    target = int(megabytes * 1_000_000)
    out: list[str] = []
    size = 0
    while size < target:
        for piece in pieces:
            out.append(piece)
            size += len(piece.encode("utf-8")) + 1
            if size >= target:
                break
    return "\n".join(out)


def run_child(step: str, path: Path) -> dict[str, float]:
    """Run one step in a fresh interpreter; its JSON line of figures."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, step, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_cli(path: Path) -> dict[str, float]:
    """``interview-diag analyze --format json`` on the file: wall seconds and peak RSS."""
    exe = Path(sys.executable).with_name("interview-diag")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open("/dev/null", "w") as sink:
        subprocess.run(
            [str(exe), "analyze", str(path), "--format", "json"], stdout=sink, check=False
        )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # RUSAGE_CHILDREN holds the largest child so far; the CLI runs last and is the largest.
    return {"seconds": seconds, "rss_mb": max(after, before) / 1024}


def main(argv: list[str] | None = None) -> int:
    """Build the transcript, run the three steps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the transcript in MB")
    args = parser.parse_args(argv)
    text = build_text(args.mb)
    words = len(text.split())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(text, encoding="utf-8")
        size_mb = path.stat().st_size / 1_000_000
        tok = run_child("tokenizer", path)
        full = run_child("analyze", path)
        cli = run_cli(path)
    print(f"One transcript of {size_mb:.1f} MB, {words:,} words, {full['turns']:,.0f} turns.\n")
    print("| step | seconds | words/s | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    rows = [
        ("blank tokenizer, same pieces", tok),
        (f"`Analyzer().analyze` ({full['findings']:,.0f} findings)", full),
        ("`interview-diag analyze --format json`", cli),
    ]
    for name, r in rows:
        print(f"| {name} | {r['seconds']:.1f} | {words / r['seconds']:,.0f} | {r['rss_mb']:.0f} |")
    print(f"\nanalysis / tokenizer throughput: {tok['seconds'] / full['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
