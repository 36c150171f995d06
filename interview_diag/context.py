"""ConText-style modifiers: is a match negated, hypothetical, or someone else's words?

The cues live in ``cues/context.json``. A cue counts for a match when it stands
before the match in the same sentence, within ``window`` tokens, with no
terminator ("but", "because", a semicolon...) between them. Sentences are found
from punctuation and line breaks, so a blank pipeline needs no sentencizer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

_SENT_END = frozenset({".", "!", "?", "…", "..."})


@dataclass(frozen=True)
class ContextCues:
    """Tokenised cue phrases by modifier, with the window and the terminators."""

    window: int
    terminators: frozenset[str]
    cues: dict[str, tuple[tuple[str, ...], ...]]

    def modifiers(self, doc: Doc, start: int, sent_start: int) -> frozenset[str]:
        """The modifiers whose cues stand before token ``start`` in its sentence.

        Args:
            doc: the Doc.
            start: index of the first token of the match.
            sent_start: index of the first token of the match's sentence.

        Returns:
            Names of the modifiers found (``negation``, ``hypothetical``,
            ``reported_other``, ``reported_self``).
        """
        lo = max(sent_start, start - self.window)
        words = [t.lower_.replace("\u2019", "'") for t in doc[lo:start]]
        for i in range(len(words) - 1, -1, -1):
            if words[i] in self.terminators:
                words = words[i + 1 :]
                break
        found: set[str] = set()
        for name, phrases in self.cues.items():
            for p in phrases:
                n = len(p)
                if any(tuple(words[i : i + n]) == p for i in range(len(words) - n + 1)):
                    found.add(name)
                    break
        if "reported_self" in found:
            # "I told them he said ..." is still the candidate's own telling.
            found.discard("reported_other")
        return frozenset(found)


def load_context_cues(nlp: Language) -> ContextCues:
    """Read ``cues/context.json`` and tokenise the cues with ``nlp``'s tokenizer."""
    raw = json.loads(
        resources.files("interview_diag.cues").joinpath("context.json").read_text("utf-8")
    )
    cues: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name, phrases in raw["cues"].items():
        toks = {tuple(t.lower_ for t in nlp.make_doc(p)) for p in phrases}
        cues[name] = tuple(sorted(t for t in toks if t))
    return ContextCues(
        window=int(raw["window"]),
        terminators=frozenset(raw["terminators"]),
        cues=cues,
    )


def sentence_starts(span: Span | Doc) -> list[int]:
    """Token indices (in the Doc) where sentences begin inside ``span``.

    A sentence ends after ``.``, ``!``, ``?`` or an ellipsis, and at a line break.
    """
    tokens = span if isinstance(span, Doc) else span
    first = tokens[0].i if len(tokens) else 0
    starts = [first]
    prev_end = False
    for tok in tokens:
        if prev_end and tok.i != starts[-1] and not tok.is_punct:
            starts.append(tok.i)
            prev_end = False
        if (
            tok.text in _SENT_END
            or (tok.is_space and "\n" in tok.text)
            or tok.text
            and tok.text[-1] in ".!?"
            and tok.is_punct
        ):
            prev_end = True
    return starts


def sentence_of(starts: Sequence[int], index: int) -> int:
    """The start of the sentence holding token ``index`` (``starts`` is sorted)."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= index:
            lo = mid + 1
        else:
            hi = mid
    return starts[lo - 1] if lo else (starts[0] if starts else 0)
