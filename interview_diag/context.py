"""ConText-style modifiers: is a match negated, hypothetical, or someone else's words?

The cues live in ``cues/context.json``. A cue counts for a match when it stands
before the match in the same sentence, within ``window`` tokens, with no
terminator ("but", "because", a semicolon...) between them. Sentences are found
from punctuation and line breaks, so a blank pipeline needs no sentencizer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

_END_POINTS = np.array([ord("."), ord("!"), ord("?"), ord("\u2026")], dtype=np.uint32)


@dataclass(frozen=True)
class ContextCues:
    """Tokenised cue phrases by modifier, with the window and the terminators."""

    window: int
    terminators: frozenset[str]
    cues: dict[str, tuple[tuple[str, ...], ...]]
    # Every cue phrase with the modifiers it signals, and the longest phrase length.
    _index: dict[tuple[str, ...], frozenset[str]] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, ...], set[str]] = {}
        for name, phrases in self.cues.items():
            for p in phrases:
                index.setdefault(p, set()).add(name)
        object.__setattr__(self, "_index", {p: frozenset(n) for p, n in index.items()})
        object.__setattr__(self, "_longest", max((len(p) for p in index), default=0))

    def opens_clause(self, doc: Doc, start: int) -> bool:
        """Does a match that starts at token ``start`` open a clause of its own?

        It does when its first word is a conjunction or a punctuation mark that
        ends a cue's scope ("..., and I walked out"): no cue before it applies.
        "so" is left out, as it is as often an intensifier ("not so nervous").
        """
        lowers = doc_lowers(doc)
        word = lowers[start] if 0 <= start < len(lowers) else ""
        return word in self.terminators and word not in _NOT_CLAUSE_OPENERS

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
        lowers = doc_lowers(doc)
        lo = max(sent_start, start - self.window)
        words = lowers[lo:start]
        for i in range(len(words) - 1, -1, -1):
            if words[i] in self.terminators:
                words = words[i + 1 :]
                break
        found: set[str] = set()
        index = self._index
        for i in range(len(words)):
            for n in range(1, min(self._longest, len(words) - i) + 1):
                names = index.get(tuple(words[i : i + n]))
                if names:
                    found |= names
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


# Terminators that do not open a clause when they start a match ("so nervous",
# "who ...", "which ...").
_NOT_CLAUSE_OPENERS = frozenset({"so", "who", "which", "except", "then"})

_TEXT_KEY = "idiag_text"
_LOWERS_KEY = "idiag_lowers"
_STARTS_KEY = "idiag_sentence_starts"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (building it visits every token)."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def doc_lowers(doc: Doc) -> list[str]:
    """The lower-case form of every token, curly apostrophes made straight, once per Doc."""
    lowers = doc.user_data.get(_LOWERS_KEY)
    if not isinstance(lowers, list) or len(lowers) != len(doc):
        strings = doc.vocab.strings
        lowers = [strings[h].replace("\u2019", "'") for h in doc.to_array("LOWER").tolist()]
        doc.user_data[_LOWERS_KEY] = lowers
    return lowers


def doc_sentence_starts(doc: Doc) -> list[int]:
    """``sentence_starts(doc)``, computed once per Doc and shared by the detectors."""
    starts = doc.user_data.get(_STARTS_KEY)
    if starts is None:
        starts = sentence_starts(doc)
        doc.user_data[_STARTS_KEY] = starts
    return list(starts)


def sentence_starts(span: Span | Doc) -> list[int]:
    """Token indices (in the Doc) where sentences begin inside ``span``.

    A sentence ends after a punctuation token ending in ``.``, ``!``, ``?`` or an
    ellipsis, and at a whitespace token holding a line break; the next sentence
    begins at the next token that is not punctuation (so closing quotes stay
    with their sentence). Computed with array operations: this runs on every Doc.
    """
    doc = span.doc if isinstance(span, Span) else span
    lo, hi = (span.start, span.end) if isinstance(span, Span) else (0, len(doc))
    if hi <= lo:
        return [lo]
    arr = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE])[lo:hi]
    idx, length = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
    is_punct, is_space = arr[:, 2].astype(bool), arr[:, 3].astype(bool)
    text = doc_text(doc)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    last = points[np.clip(idx + length - 1, 0, max(len(points) - 1, 0))]
    ends = is_punct & np.isin(last, _END_POINTS)
    for i in np.flatnonzero(is_space):
        a = int(idx[i])
        if "\n" in text[a : a + int(length[i])]:
            ends[i] = True
    words = np.flatnonzero(~is_punct)
    after = np.searchsorted(words, np.flatnonzero(ends), side="right")
    nxt = words[after[after < len(words)]]
    starts = np.unique(np.concatenate(([0], nxt))) + lo
    return [int(x) for x in starts]


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
