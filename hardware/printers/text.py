"""Text normalisation for receipt printers using code page 858.

CP858 is CP850 with the euro sign at 0xD5: it covers Spanish (ñ, accented vowels, ü, ¿, ¡),
Catalan, Galician, Basque, Portuguese and most of Western Europe. Everything outside it (en and
em dashes, curly quotes, ellipsis, no-break spaces from locale formatting, emoji...) is turned
into an ASCII equivalent here, or ``?`` as a last resort, before it reaches the printer. Control
characters are removed so that data can never inject printer commands.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["CP858_CODEC", "ascii_for_barcode", "normalize_for_cp858"]

CP858_CODEC = "cp858"
_REPLACEMENT = "?"

_SUBSTITUTES: dict[str, str] = {
    # dashes and minus signs
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2043": "-",
    # quotes and primes
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u2039": "<",
    "\u203a": ">",
    # punctuation and symbols
    "\u2026": "...",
    "\u2022": "*",
    "\u2023": ">",
    "\u2044": "/",
    "\u2122": "TM",
    "\u2030": "o/oo",
    "\u2190": "<-",
    "\u2192": "->",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2248": "~",
    "\u2260": "!=",
    # spaces: locale formatting (Babel) puts no-break spaces between amount and currency
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    # letters with no canonical decomposition
    "\u0131": "i",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0152": "OE",
    "\u0153": "oe",
}


def _encodable(char: str) -> bool:
    try:
        char.encode(CP858_CODEC)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=4096)
def _printable_char(char: str) -> str:
    substitute = _SUBSTITUTES.get(char)
    if substitute is not None:
        return substitute
    category = unicodedata.category(char)
    if category == "Cc":  # C0 and C1 controls: whitespace becomes a space, the rest goes
        return " " if char in "\t\n\r\v\f" else ""
    if category in ("Cf", "Mn", "Me"):  # zero-width joiners, bidi marks, stray combining marks
        return ""
    if category.startswith("Z"):  # any other space or separator
        return " "
    if _encodable(char):
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if stripped and stripped != char and all(_encodable(c) for c in stripped):
        return "".join(_printable_char(c) for c in stripped)
    return _REPLACEMENT


def normalize_for_cp858(text: str) -> str:
    """Return ``text`` with only characters that CP858 can print, one column each.

    Composes decomposed accents first (``e`` + U+0301 becomes ``é``), replaces typographic
    characters with ASCII equivalents (``–`` and ``—`` become ``-``, curly quotes become
    straight ones, ``…`` becomes ``...``), drops control and zero-width characters and
    replaces whatever is left outside CP858 with ``?``.
    """
    composed = unicodedata.normalize("NFC", text)
    return "".join(_printable_char(char) for char in composed)


def ascii_for_barcode(text: str) -> str | None:
    """Return ``text`` as printable ASCII for a CODE128 barcode, or None if it cannot be."""
    normalized = normalize_for_cp858(text)
    decomposed = unicodedata.normalize("NFKD", normalized)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not ascii_text or not all(" " <= c <= "~" for c in ascii_text):
        return None
    return ascii_text
