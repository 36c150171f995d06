"""Batch throughput and memory of interview_diag, measured in one run.

Steps (all on one seeded corpus of N varied transcripts, about 3,000 words each):

1. spaCy blank English tokenizer alone: the floor everything else is compared with.
2. ``Analyzer.pipe`` with ``n_process=1`` and ``n_process=2`` (target: 2 processes at
   least 1.5 times faster than 1; pool start-up included).
3. Peak RSS of ``Analyzer.pipe`` with ``n_process=1`` over N and over 4N transcripts,
   each in a fresh child process that generates the corpus as a stream (target: at
   most 400 MB, and flat as N grows).
4. ``interview-diag batch`` end to end on the JSONL of the same corpus (1 and 2 workers),
   each in a child process (wall time, peak RSS).

Usage::

    python benchmarks/bench_batch.py                 # N = 2,000 (several minutes)
    python benchmarks/bench_batch.py --n 200         # a quick run
    python benchmarks/bench_batch.py --model shipped # with the shipped classifier

Words are whitespace-separated words of the input, the same count for every row.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TARGET_SPEEDUP = 1.5
TARGET_RSS_MB = 400.0

QUESTIONS = (
    "Why did you leave your last job?",
    "Tell me about a time you disagreed with a colleague.",
    "What do you know about our company?",
    "Where do you see yourself in five years?",
    "What is your greatest weakness?",
    "Walk me through a project you are proud of.",
    "How do you handle tight deadlines?",
    "Why do you want this role?",
    "What would your last manager say about you?",
    "Do you have any questions for us?",
    "Can you describe how you prioritise your work?",
    "What salary are you expecting?",
)
NEUTRAL = (
    "I led a team of {n} engineers that moved our {thing} to {tech}.",
    "We cut the {thing} costs by {n} percent in {months} months.",
    "I learned a lot about {tech} while working on the {thing}.",
    "My role was to coordinate with the {team} team and keep the {thing} on schedule.",
    "The hardest part was agreeing on priorities, so we wrote them down together.",
    "I like to break large tasks into steps and check them with the {team} team.",
    "In my spare time I have been studying {tech} and building a small {thing}.",
    "I read your recent report on {thing} and it matched what I want to work on.",
    "We measured the {thing} every week and shared the numbers with {team}.",
    "After {months} months the {thing} handled {n} times the traffic.",
    "I asked for feedback early, which saved us a rewrite of the {thing}.",
    "That taught me to write things down before a meeting rather than after.",
)
RISKY = (
    "Honestly my old boss was useless and never listened to anyone.",
    "It was a toxic work environment and nobody cared about anything.",
    "To be honest I mostly need the money right now.",
    "What does your company actually do, exactly?",
    "I guess my weakness is that I am a perfectionist.",
    "Um, like, you know, it was kind of, like, complicated.",
    "How much vacation do I get in the first year?",
    "My previous manager was incompetent, so I left.",
    "I left because the people there were idiots.",
    "I don't really have any questions.",
)
SLOTS = {
    "thing": ("data pipeline", "billing system", "search service", "mobile app", "warehouse"),
    "tech": ("Python", "Kubernetes", "PostgreSQL", "Rust", "Spark", "React", "Terraform"),
    "team": ("product", "design", "sales", "support", "security", "finance"),
}


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(2, 40),
        months=rng.randint(2, 18),
        **{k: rng.choice(v) for k, v in SLOTS.items()},
    )


def make_text(index: int, seed: int) -> str:
    """One transcript (mostly), recap or letter; the same for the same index and seed.

    Args:
        index: position in the corpus.
        seed: corpus seed.

    Returns:
        The text, about 2,400 to 3,600 words.
    """
    rng = random.Random(seed * 1_000_003 + index)
    target = rng.randint(2400, 3600)
    shape = rng.random()
    risky = rng.uniform(0.0, 0.12)
    parts: list[str] = []
    words = 0
    if shape < 0.8:
        names = rng.choice((("Interviewer", "Candidate"), ("Sam", "Alex"), ("Q", "A")))
        while words < target:
            q = rng.choice(QUESTIONS)
            answer = " ".join(
                rng.choice(RISKY) if rng.random() < risky else _fill(rng.choice(NEUTRAL), rng)
                for _ in range(rng.randint(2, 9))
            )
            parts.append(f"{names[0]}: {q}\n{names[1]}: {answer}")
            words += len(q.split()) + len(answer.split())
        return "\n".join(parts) + "\n"
    while words < target:  # a recap or a letter: paragraphs of prose
        para = " ".join(
            rng.choice(RISKY) if rng.random() < risky else _fill(rng.choice(NEUTRAL), rng)
            for _ in range(rng.randint(3, 8))
        )
        parts.append(para)
        words += len(para.split())
    return "\n\n".join(parts) + "\n"


def corpus(n: int, seed: int) -> Iterator[str]:
    """The first ``n`` texts of the corpus, generated one at a time."""
    for i in range(n):
        yield make_text(i, seed)


def _analyzer_kwargs(model: str) -> dict[str, object]:
    return {"model": None if model == "none" else model}


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    name: str
    seconds: float | None = None
    words: int | None = None
    rss_mb: float | None = None
    note: str = ""

    @property
    def words_per_s(self) -> float | None:
        """Throughput, when timed."""
        if self.seconds is None or self.words is None or self.seconds <= 0:
            return None
        return self.words / self.seconds


def _rss_child(n: int, seed: int, model: str) -> int:
    """Run pipe over a streamed corpus of ``n`` texts (inside the measuring child)."""
    from interview_diag import Analyzer

    analyzer = Analyzer(**_analyzer_kwargs(model))  # type: ignore[arg-type]
    failed = 0
    for result in analyzer.pipe(corpus(n, seed), n_process=1):
        failed += result.error is not None
    return 0 if failed == 0 else 1


def _run_child(cmd: list[str]) -> tuple[float, float, int]:
    """Run a command; return its wall seconds, peak RSS in MB and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return seconds, usage.ru_maxrss * scale, proc.returncode


def _time_pipe(texts: list[str], model: str, n_process: int) -> float:
    from interview_diag import Analyzer

    analyzer = Analyzer(**_analyzer_kwargs(model))  # type: ignore[arg-type]
    start = time.perf_counter()
    failed = sum(r.error is not None for r in analyzer.pipe(texts, n_process=n_process))
    seconds = time.perf_counter() - start
    if failed:
        print(f"warning: {failed} records failed in pipe(n_process={n_process})", file=sys.stderr)
    return seconds


def _time_tokenizer(texts: list[str]) -> float:
    import spacy

    nlp = spacy.blank("en")
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=4):
        pass
    return time.perf_counter() - start


def _fmt(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def print_table(rows: list[Row], header: str) -> None:
    """Print the results as a Markdown table."""
    print(header)
    print()
    print("| measure | seconds | words/s | peak RSS MB | note |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r.name} | {_fmt(r.seconds, '.2f')} | {_fmt(r.words_per_s, ',.0f')} "
            f"| {_fmt(r.rss_mb, '.0f')} | {r.note} |"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table and the ratios.

    Returns:
        0 when every target is met, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="transcripts (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default="none", help="'none' (rules only, default) or 'shipped'")
    parser.add_argument("--rss-child", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child is not None:
        return _rss_child(args.rss_child, args.seed, args.model)

    texts = list(corpus(args.n, args.seed))
    words = sum(len(t.split()) for t in texts)
    rows: list[Row] = []

    tok = _time_tokenizer(texts)
    rows.append(Row("spaCy blank tokenizer only", tok, words, note="floor"))
    one = _time_pipe(texts, args.model, 1)
    rows.append(Row("Analyzer.pipe, n_process=1", one, words, note=f"{one / tok:.1f}x tokenizer"))
    two = _time_pipe(texts, args.model, 2)
    speedup = one / two
    ok_speed = speedup >= TARGET_SPEEDUP
    rows.append(
        Row(
            "Analyzer.pipe, n_process=2",
            two,
            words,
            note=f"{speedup:.2f}x n_process=1 (target >= {TARGET_SPEEDUP}: "
            f"{'met' if ok_speed else 'NOT met'})",
        )
    )

    me = [sys.executable, os.path.abspath(__file__), "--seed", str(args.seed)]
    me += ["--model", args.model]
    rss = {}
    for n in (args.n, 4 * args.n):
        secs, mb, code = _run_child([*me, "--rss-child", str(n)])
        rss[n] = mb
        note = "" if code == 0 else f"exit {code}"
        rows.append(Row(f"peak RSS, pipe n_process=1, {n} texts", secs, None, mb, note))
    growth = rss[4 * args.n] / rss[args.n]
    ok_rss = max(rss.values()) <= TARGET_RSS_MB and growth <= 1.1

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"t{i:06d}", "text": t}) + "\n")
        for workers in (1, 2):
            out = Path(tmp) / f"out-{workers}.jsonl"
            cmd = [sys.executable, "-m", "interview_diag.cli", "batch", str(src), "-o", str(out)]
            cmd += ["--workers", str(workers)]
            cmd += ["--no-model"] if args.model == "none" else []
            secs, mb, code = _run_child(cmd)
            lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
            note = f"{lines} lines" + ("" if code == 0 else f", exit {code}")
            if workers > 1:
                note += "; RSS of the largest process (workers not summed)"
            rows.append(Row(f"interview-diag batch, --workers {workers}", secs, words, mb, note))

    header = (
        f"bench_batch: N={args.n} transcripts, {words:,} words "
        f"({words / args.n:,.0f} per transcript), seed {args.seed}, model {args.model}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print_table(rows, header)
    print()
    print(f"pipe n_process=1 / tokenizer time: {one / tok:.1f}")
    print(f"pipe speed-up, 2 processes vs 1: {speedup:.2f} (target >= {TARGET_SPEEDUP})")
    print(
        f"peak RSS {rss[args.n]:.0f} MB for N, {rss[4 * args.n]:.0f} MB for 4N: "
        f"x{growth:.2f} (target <= {TARGET_RSS_MB:.0f} MB and flat)"
    )
    return 0 if ok_speed and ok_rss else 1


if __name__ == "__main__":
    raise SystemExit(main())
