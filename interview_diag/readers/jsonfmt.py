"""Reading transcripts stored as JSON.

Recognised layouts (looked for in this order):

- AWS Transcribe: ``results.items`` (words and punctuation), speakers from each
  item's ``speaker_label`` or from ``results.speaker_labels.segments``;
- Deepgram: ``results.utterances``, else the words or transcript of
  ``results.channels[0].alternatives[0]``; integer speakers become ``Speaker N``;
- a list of turns or segments under a known key (``utterances`` for AssemblyAI,
  ``segments`` for Whisper and WhisperX, ``monologues`` for Rev.ai, ``turns``,
  ``messages``...) or at the top level;
- a list of words (WhisperX ``word_segments``, a pasted word list);
- a single object with a text field (``text``, ``spokenText``...).

In a list of timed segments (items with ``start``/``end``), consecutive segments of
one speaker make one turn and a segment without a speaker continues the previous
one; in a list of untimed turns each item is a turn. Words are joined with a
space, punctuation items are attached without one. Every chunk points into the
JSON string it came from; escapes are atomic chunks.
"""

from __future__ import annotations

import re

from interview_diag.errors import Messages, ParseError
from interview_diag.readers.jsonpos import JsonString, JsonValue, scan
from interview_diag.readers.lines import LineIndex, first_text
from interview_diag.readers.turnbuilder import Reading, TurnBuilder

_TEXT_KEYS = (
    "text",
    "transcript",
    "content",
    "utterance",
    "spokenText",
    "spoken_text",
    "message",
    "body",
    "sentence",
    "caption",
)
_WORD_KEYS = ("punctuated_word", "word")
_SPEAKER_KEYS = (
    "speaker",
    "speaker_name",
    "speakerName",
    "speaker_label",
    "speakerLabel",
    "speaker_id",
    "speakerId",
    "speakerTag",
    "name",
    "role",
    "author",
    "from",
    "user",
    "participant",
)
_TIME_KEYS = ("start", "end", "start_time", "end_time", "startTime", "endTime", "offset", "begin")
_CONTAINER_KEYS = (
    "utterances",
    "segments",
    "monologues",
    "turns",
    "transcript",
    "transcription",
    "messages",
    "dialogue",
    "dialog",
    "conversation",
    "entries",
    "captions",
    "cues",
    "lines",
    "items",
    "results",
    "data",
    "words",
    "word_segments",
)
_JSON_SPACE = re.compile(r"[ \t\r\n]*")
# Items looked at to recognise what a list holds.
_SAMPLE = 50
# Nesting depth searched for a transcript inside wrapper objects.
_MAX_DEPTH = 4


def sniff(source: str) -> bool:
    """True when ``source`` starts like a JSON object or a JSON array of values."""
    i = first_text(source)
    if i >= len(source) or source[i] not in "{[":
        return False
    m = _JSON_SPACE.match(source, i + 1)
    j = m.end() if m else i + 1
    if j >= len(source):
        return True
    return source[j] in ('"}' if source[i] == "{" else '{["]')


def read(source: str, *, lenient: bool = True) -> Reading:
    """Read a JSON transcript.

    Args:
        source: the original input.
        lenient: unused; the same rules apply whether or not the format was asked for.

    Returns:
        The turns, and the problems met (trailing commas, truncation...).

    Raises:
        ParseError: the input is not JSON, or holds nothing that looks like a transcript.
    """
    start = first_text(source)
    line = LineIndex(source).line_of(start) if start < len(source) else 1
    if start >= len(source) or source[start] not in '{["':
        problem = Messages.IDG005.format(line=line, problem="this is not JSON")
        raise ParseError(Messages.IDG006.format(fmt="json", problem=problem), line=line)
    builder = TurnBuilder(source)
    result = scan(source, start)
    for offset, problem in result.problems:
        builder.warn_at(offset, problem)
    if not result.found or not _Reader(builder).value(result.value, 0):
        problem = Messages.IDG005.format(
            line=line,
            problem="no transcript found (expected turns with speaker and text, "
            "Whisper segments, or AWS, AssemblyAI, Deepgram or Rev.ai output)",
        )
        raise ParseError(Messages.IDG006.format(fmt="json", problem=problem), line=line)
    reading = builder.finish()
    if not reading.turns:
        empty = Messages.IDG005.format(line=line, problem="the JSON holds no transcript text")
        return Reading(reading.turns, (*reading.warnings, empty))
    return reading


def _label(value: JsonValue) -> str | None:
    """A speaker label from a JSON value: strings as written, integers as ``Speaker N``."""
    if isinstance(value, JsonString):
        return value.value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return f"Speaker {value}"
    if isinstance(value, float) and value.is_integer():
        return f"Speaker {int(value)}"
    if isinstance(value, dict):
        return _label(value.get("name", value.get("displayName")))
    return None


def _speaker(item: dict[str, JsonValue]) -> str | None:
    for key in _SPEAKER_KEYS:
        if key in item:
            label = _label(item[key])
            if label is not None:
                return label
    return None


def _text(item: dict[str, JsonValue], keys: tuple[str, ...] = _TEXT_KEYS) -> JsonString | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, JsonString):
            return value
    return None


def _dicts(items: list[JsonValue]) -> list[dict[str, JsonValue]]:
    return [i for i in items if isinstance(i, dict)]


class _Reader:
    def __init__(self, builder: TurnBuilder) -> None:
        self.b = builder

    def _add(self, text: JsonString) -> None:
        self.b.add_decoded(text.value, text.text_pieces())

    def value(self, value: JsonValue, depth: int) -> bool:
        if isinstance(value, dict):
            return self._object(value, depth)
        if isinstance(value, list):
            return self._list(value, depth)
        if isinstance(value, JsonString):
            self.b.begin(None)
            self._add(value)
            return True
        return False

    def _object(self, obj: dict[str, JsonValue], depth: int) -> bool:
        if depth > _MAX_DEPTH:
            return False
        results = obj.get("results")
        if isinstance(results, dict) and (self._aws(results) or self._deepgram(results)):
            return True
        for key in _CONTAINER_KEYS:
            inner = obj.get(key)
            if isinstance(inner, list) and self._list(inner, depth + 1):
                return True
            if isinstance(inner, dict) and self._object(inner, depth + 1):
                return True
        for key, inner in obj.items():
            if (
                key not in _CONTAINER_KEYS
                and isinstance(inner, list)
                and _dicts(inner[:_SAMPLE])
                and self._list(inner, depth + 1)
            ):
                return True
        text = _text(obj)
        if text is not None:
            self.b.begin(_speaker(obj))
            self._add(text)
            return True
        return False

    def _list(self, items: list[JsonValue], depth: int) -> bool:
        if not items:
            return True  # an empty list of turns: a transcript with nothing said
        dicts = _dicts(items)
        if dicts:
            sample = dicts[:_SAMPLE]
            if any(isinstance(d.get("elements"), list) for d in sample):
                self._monologues(dicts)
                return True
            if any(_text(d) is not None for d in sample):
                timed = any(k in d for d in sample for k in _TIME_KEYS)
                self._turns(dicts, merge=timed)
                return True
            if any(_text(d, _WORD_KEYS) is not None for d in sample):
                self._words(dicts)
                return True
            if any(isinstance(d.get("alternatives"), list) for d in sample):
                self._alternatives(dicts)
                return True
            return any(self._object(d, depth + 1) for d in sample[:1])
        if all(isinstance(i, JsonString) for i in items):
            for item in items:
                assert isinstance(item, JsonString)
                self.b.begin(None)
                self._add(item)
            return True
        pairs = [i for i in items if isinstance(i, list) and len(i) == 2]
        if len(pairs) == len(items) and any(isinstance(p[1], JsonString) for p in pairs):
            for pair in pairs:
                assert isinstance(pair, list)
                speaker, text = pair
                if isinstance(text, JsonString):
                    self.b.begin(_label(speaker))
                    self._add(text)
            return True
        return False

    def _turns(self, items: list[dict[str, JsonValue]], *, merge: bool) -> None:
        b = self.b
        for item in items:
            text = _text(item)
            if text is None:
                continue
            speaker = _speaker(item)
            if merge:
                b.switch(speaker if speaker is not None else b.speaker)
                b.separate(" ")
            else:
                b.begin(speaker)
            self._add(text)

    def _words(self, items: list[dict[str, JsonValue]]) -> None:
        b = self.b
        for item in items:
            word = _text(item, _WORD_KEYS) or _text(item)
            if word is None:
                continue
            speaker = _speaker(item)
            b.switch(speaker if speaker is not None else b.speaker)
            b.separate(" ")
            self._add(word)

    def _monologues(self, items: list[dict[str, JsonValue]]) -> None:
        """Rev.ai: elements carry their own spaces, as punctuation elements."""
        b = self.b
        for item in items:
            elements = item.get("elements")
            if not isinstance(elements, list):
                continue
            b.switch(_speaker(item))
            b.separate(" ")
            for element in _dicts(elements):
                value = element.get("value")
                if not isinstance(value, JsonString):
                    continue
                if value.value.isspace():
                    b.separate(" ")
                else:
                    self._add(value)

    def _alternatives(self, items: list[dict[str, JsonValue]]) -> None:
        """Google Speech-to-Text style results: the first alternative of each result."""
        for item in items:
            alternatives = item.get("alternatives")
            first = _dicts(alternatives)[:1] if isinstance(alternatives, list) else []
            text = _text(first[0]) if first else None
            if text is not None:
                self.b.switch(None)
                self.b.separate(" ")
                self._add(text)

    def _aws(self, results: dict[str, JsonValue]) -> bool:
        items = results.get("items")
        if not isinstance(items, list):
            return False
        dicts = _dicts(items)
        if not any(isinstance(d.get("alternatives"), list) for d in dicts[:_SAMPLE]):
            return False
        by_time: dict[str, str] = {}
        labels = results.get("speaker_labels")
        segments = labels.get("segments") if isinstance(labels, dict) else None
        for segment in _dicts(segments) if isinstance(segments, list) else []:
            inner = segment.get("items")
            for it in _dicts(inner) if isinstance(inner, list) else []:
                start, label = it.get("start_time"), _label(it.get("speaker_label"))
                if isinstance(start, JsonString) and label is not None:
                    by_time[start.value] = label
        b = self.b
        for item in dicts:
            alternatives = item.get("alternatives")
            first = _dicts(alternatives)[:1] if isinstance(alternatives, list) else []
            content = first[0].get("content") if first else None
            if not isinstance(content, JsonString):
                continue
            speaker = _label(item.get("speaker_label"))
            start = item.get("start_time")
            if speaker is None and isinstance(start, JsonString):
                speaker = by_time.get(start.value)
            kind = item.get("type")
            b.switch(speaker if speaker is not None else b.speaker)
            if not (isinstance(kind, JsonString) and kind.value == "punctuation"):
                b.separate(" ")
            self._add(content)
        return True

    def _deepgram(self, results: dict[str, JsonValue]) -> bool:
        utterances = results.get("utterances")
        if isinstance(utterances, list) and _dicts(utterances):
            self._turns(_dicts(utterances), merge=True)
            return True
        channels = results.get("channels")
        if not isinstance(channels, list) or not _dicts(channels):
            return False
        alternatives = _dicts(channels)[0].get("alternatives")
        if not isinstance(alternatives, list) or not _dicts(alternatives):
            return False
        best = _dicts(alternatives)[0]
        words = best.get("words")
        if isinstance(words, list) and any("speaker" in w for w in _dicts(words)[:_SAMPLE]):
            self._words(_dicts(words))
            return True
        text = _text(best)
        if text is None:
            return False
        self.b.begin(None)
        self._add(text)
        return True
