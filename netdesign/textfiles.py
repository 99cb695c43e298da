"""Text input files that are not UTF-8: name the file, the line and the likely encoding.

Config files and CSV tables must be UTF-8 (a UTF-8 byte-order mark is accepted). Spreadsheet
programs on Chinese-locale Windows save CSV as GBK by default, so that is the usual culprit;
the guess below only serves the message ("it looks like GBK — save it as UTF-8"), nothing is
ever decoded with it.
"""

from __future__ import annotations

from netdesign.errors import Problem

# (codec, name shown, needs a CJK character to count as a match)
_CANDIDATES: tuple[tuple[str, str, bool], ...] = (
    ("gb18030", "GBK", True),
    ("big5", "Big5", True),
    ("shift_jis", "Shift-JIS", True),
    ("cp1252", "Windows-1252 (Latin-1)", False),
)


def _has_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def guess_encoding(raw: bytes) -> str | None:
    """The first legacy encoding that decodes `raw` cleanly (CJK ones only when the text has
    CJK characters), or None. A heuristic for messages, not a detector to decode with."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for codec, name, needs_cjk in _CANDIDATES:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if not needs_cjk or _has_cjk(text):
            return name
    return None


def not_utf8_expected(raw: bytes) -> str:
    """What a not-UTF-8 problem expects, with the likely encoding when one fits."""
    guess = guess_encoding(raw)
    hint = f"; it looks like {guess}" if guess else ""
    return f"UTF-8 text (the file is not UTF-8{hint} — save it as UTF-8)"


def not_utf8_problem(raw: bytes, exc: UnicodeDecodeError, source: str, *,
                     table: bool = False) -> Problem:
    """A `Problem` for `raw` that failed to decode as UTF-8 at `exc.start`: the line (and,
    for a table with a header line, the 1-based data row) and the first bad bytes."""
    line = raw.count(b"\n", 0, exc.start) + 1
    if table:
        location = "header" if line == 1 else f"row {line - 1} (line {line})"
    else:
        location = f"line {line}"
    bad = raw[exc.start:exc.start + 4]
    return Problem(source, location, None, f"bytes {bad.hex(' ')}", not_utf8_expected(raw))


def decode_utf8(raw: bytes, source: str, *, table: bool = False) -> tuple[str | None,
                                                                          Problem | None]:
    """`raw` decoded as UTF-8 (a leading byte-order mark dropped), or a `Problem`."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, not_utf8_problem(raw, exc, source, table=table)
