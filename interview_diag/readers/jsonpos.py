"""A small JSON scanner that remembers where every string value lies in the source.

``json.loads`` loses positions, so the JSON reader uses this instead. Objects become
``dict``, arrays ``list``, numbers ``int``/``float``, and strings ``JsonString``
objects that carry their decoded value and its mapping onto the source (escapes
such as ``\\n`` or ``\\u00e9`` are atomic pieces). It is tolerant: trailing and
missing commas, truncated input, unterminated strings and concatenated documents
(JSON Lines) are read as far as possible and reported as problems with an offset.

It is iterative (no recursion limit on deep nesting) and scans with regular
expressions; arrays holding only numbers (Whisper's ``tokens``) are skipped over
in one step and kept as a ``JsonRaw`` span.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Union

TextPiece = tuple[int, int, int, int]


class JsonString:
    """A decoded JSON string and where it came from.

    Attributes:
        value: the decoded string.
        start: source offset just after the opening quote.
        end: source offset of the closing quote (or the end of the scanned text).
        pieces: ``(text_start, text_end, source_start, source_end)`` per piece when
            the string has escapes; ``None`` when ``value == source[start:end]``.
    """

    __slots__ = ("value", "start", "end", "pieces")

    def __init__(
        self, value: str, start: int, end: int, pieces: tuple[TextPiece, ...] | None
    ) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.pieces = pieces

    def text_pieces(self) -> tuple[TextPiece, ...]:
        """The pieces, also for a string without escapes (then one piece)."""
        if self.pieces is None:
            return ((0, len(self.value), self.start, self.end),)
        return self.pieces

    def __repr__(self) -> str:
        return f"JsonString({self.value!r})"


class JsonRaw:
    """An array of numbers kept as its source span (nobody reads them)."""

    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end


# A Union rather than "|": the alias refers to itself, which needs string forward
# references that "|" cannot combine at run time on Python 3.10.
JsonValue = Union[  # noqa: UP007
    dict[str, "JsonValue"], list["JsonValue"], JsonString, JsonRaw, int, float, bool, None
]


@dataclass(frozen=True)
class JsonScan:
    """The result of a scan.

    Attributes:
        value: the value read (a list of the values when several documents follow
            each other, as in JSON Lines).
        found: False when no value at all could be read.
        end: offset where scanning stopped.
        problems: ``(offset, problem)`` for everything that was tolerated.
    """

    value: JsonValue
    found: bool
    end: int
    problems: tuple[tuple[int, str], ...]


_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"', re.S)
_UNTERMINATED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*\\?)', re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
# Numbers separated by commas: the separators are required, so a failed match
# backtracks at most one number at a time.
_NUMBERS = re.compile(
    r"\[[ \t\r\n]*-?\d[\d.eE+\-]*(?:[ \t\r\n]*,[ \t\r\n]*-?\d[\d.eE+\-]*)*[ \t\r\n]*\]"
)
_LITERAL = re.compile(r"true|false|null|NaN|-?Infinity")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))", re.S)
_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_LITERALS: dict[str, JsonValue] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": None,
    "Infinity": None,
    "-Infinity": None,
}

# Transcripts nest a handful of levels; deeper input is refused rather than
# letting a run of "[" cost a stack frame per character.
MAX_DEPTH = 256

# Parser states: what the innermost container expects next.
_KEY_OR_END, _COLON, _VALUE, _COMMA_OR_END, _KEY = 0, 1, 2, 3, 4
_ITEM_OR_END, _ITEM_COMMA_OR_END, _ITEM = 5, 6, 7


class _Stop(Exception):
    """Raised inside the scanner when the rest of the input cannot be read."""


def decode_string(source: str, start: int, end: int) -> tuple[JsonString, bool]:
    """Decode the JSON string content ``source[start:end]`` (quotes excluded).

    Returns:
        The string and whether it held an invalid escape (kept as written).
    """
    if source.find("\\", start, end) < 0:
        return JsonString(source[start:end], start, end, None), False
    parts: list[str] = []
    pieces: list[TextPiece] = []
    tpos = 0
    pos = start
    invalid = False
    escapes = list(_ESCAPE.finditer(source, start, end))
    i = 0
    while i < len(escapes):
        m = escapes[i]
        if m.start() > pos:
            run = source[pos : m.start()]
            pieces.append((tpos, tpos + len(run), pos, m.start()))
            parts.append(run)
            tpos += len(run)
        src_end = m.end()
        hexa, simple = m.group(1), m.group(2)
        if hexa is not None:
            code = int(hexa, 16)
            if 0xD800 <= code < 0xDC00 and i + 1 < len(escapes):
                nxt = escapes[i + 1]
                low = nxt.group(1)
                if nxt.start() == m.end() and low is not None and 0xDC00 <= int(low, 16) < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                    src_end = nxt.end()
                    i += 1
            text = "\ufffd" if 0xD800 <= code < 0xE000 else chr(code)
        elif simple in _SIMPLE_ESCAPES:
            text = _SIMPLE_ESCAPES[simple]
        else:
            text = m.group()  # not a JSON escape: keep the two characters as written
            invalid = True
        pieces.append((tpos, tpos + len(text), m.start(), src_end))
        parts.append(text)
        tpos += len(text)
        pos = src_end
        i += 1
    if pos < end:
        run = source[pos:end]
        pieces.append((tpos, tpos + len(run), pos, end))
        parts.append(run)
    return JsonString("".join(parts), start, end, tuple(pieces)), invalid


class _Scanner:
    def __init__(self, source: str, start: int, end: int) -> None:
        self.src = source
        self.pos = start
        self.end = end
        self.problems: list[tuple[int, str]] = []
        self.roots: list[JsonValue] = []
        # Each frame: [container, pending key, state].
        self.stack: list[list[object]] = []

    def problem(self, offset: int, text: str) -> None:
        self.problems.append((offset, text))

    def run(self) -> JsonScan:
        with contextlib.suppress(_Stop):
            self._loop()
        if self.stack:
            self.problem(self.pos, "the JSON ends before all brackets are closed (truncated?)")
        if not self.roots:
            return JsonScan(None, False, self.pos, tuple(self.problems))
        value: JsonValue = self.roots[0] if len(self.roots) == 1 else list(self.roots)
        return JsonScan(value, True, self.pos, tuple(self.problems))

    def _loop(self) -> None:
        src, end = self.src, self.end
        while True:
            m = _WS.match(src, self.pos, end)
            pos = m.end() if m else self.pos
            self.pos = pos
            if pos >= end:
                return
            c = src[pos]
            if not self.stack and self.roots and c not in "{[":
                self.problem(pos, "text after the JSON value was ignored")
                return
            if c == '"':
                self._on_string(pos)
            elif c in "{[" and len(self.stack) >= MAX_DEPTH:
                self.problem(pos, f"nested deeper than {MAX_DEPTH} levels; the rest was ignored")
                raise _Stop
            elif c == "{":
                obj: dict[str, JsonValue] = {}
                self._place(obj, pos)
                self.stack.append([obj, None, _KEY_OR_END])
                self.pos = pos + 1
            elif c == "[":
                raw = _NUMBERS.match(src, pos, end)
                if raw:
                    self._place(JsonRaw(pos, raw.end()), pos)
                    self.pos = raw.end()
                else:
                    arr: list[JsonValue] = []
                    self._place(arr, pos)
                    self.stack.append([arr, None, _ITEM_OR_END])
                    self.pos = pos + 1
            elif c in "}]":
                self._on_close(c, pos)
            elif c == ",":
                self._on_comma(pos)
            elif c == ":":
                frame = self.stack[-1] if self.stack else None
                if frame is None or frame[2] != _COLON:
                    self.problem(pos, "unexpected ':'")
                    raise _Stop
                frame[2] = _VALUE
                self.pos = pos + 1
            else:
                num = _NUMBER.match(src, pos, end)
                if num:
                    text = num.group()
                    value: JsonValue = float(text) if any(ch in text for ch in ".eE") else int(text)
                    self._place(value, pos)
                    self.pos = num.end()
                    continue
                lit = _LITERAL.match(src, pos, end)
                if lit:
                    self._place(_LITERALS[lit.group()], pos)
                    self.pos = lit.end()
                    continue
                self.problem(pos, f"unexpected character {c!r}; the rest of the JSON was ignored")
                raise _Stop

    def _on_string(self, pos: int) -> None:
        m = _STRING.match(self.src, pos, self.end)
        if m is None:
            m = _UNTERMINATED.match(self.src, pos, self.end)
            assert m is not None  # the pattern matches any text after a quote
            self.problem(pos, "unterminated string")
        string, invalid = decode_string(self.src, m.start(1), m.end(1))
        if invalid:
            self.problem(pos, "invalid escape in a string (kept as written)")
        self.pos = m.end()
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame[0], dict):
            state = frame[2]
            if state in (_KEY_OR_END, _KEY, _COMMA_OR_END):
                if state == _COMMA_OR_END:
                    self.problem(pos, "missing ',' between members")
                frame[1] = string.value
                frame[2] = _COLON
                return
        self._place(string, pos)

    def _place(self, value: JsonValue, pos: int) -> None:
        if not self.stack:
            self.roots.append(value)
            return
        frame = self.stack[-1]
        container, state = frame[0], frame[2]
        if isinstance(container, dict):
            if state == _COLON:
                self.problem(pos, "missing ':' after a key")
                state = _VALUE
            if state != _VALUE:
                self.problem(pos, "a value where a key was expected; the rest was ignored")
                raise _Stop
            key = frame[1]
            assert isinstance(key, str)
            container[key] = value
            frame[2] = _COMMA_OR_END
        else:
            assert isinstance(container, list)
            if state == _ITEM_COMMA_OR_END:
                self.problem(pos, "missing ',' between items")
            container.append(value)
            frame[2] = _ITEM_COMMA_OR_END

    def _on_close(self, c: str, pos: int) -> None:
        if not self.stack:
            self.problem(pos, f"unexpected {c!r}")
            raise _Stop
        frame = self.stack[-1]
        is_obj = isinstance(frame[0], dict)
        if is_obj != (c == "}"):
            self.problem(pos, f"mismatched {c!r}; the rest of the JSON was ignored")
            raise _Stop
        state = frame[2]
        if state in (_KEY, _ITEM):
            self.problem(pos, "trailing comma")
        elif state in (_COLON, _VALUE):
            self.problem(pos, "a key without a value")
        self.stack.pop()
        self.pos = pos + 1

    def _on_comma(self, pos: int) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is None:
            self.problem(pos, "unexpected ','")
            raise _Stop
        state = frame[2]
        if state == _COMMA_OR_END:
            frame[2] = _KEY
        elif state == _ITEM_COMMA_OR_END:
            frame[2] = _ITEM
        else:
            self.problem(pos, "unexpected ',' (ignored)")
        self.pos = pos + 1


def scan(source: str, start: int = 0, end: int | None = None) -> JsonScan:
    """Read the JSON value(s) in ``source[start:end]``.

    Args:
        source: the original input.
        start: where to start reading.
        end: where to stop (default: the end of ``source``).

    Returns:
        The value read, whether anything was found, where scanning stopped, and
        the problems that were tolerated on the way.

    Example:
        >>> s = '{"text": "caf\\\\u00e9"}'
        >>> scan(s).value["text"].value
        'café'
    """
    return _Scanner(source, start, len(source) if end is None else end).run()
