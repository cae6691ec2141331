"""Reading catalog files record by record, without loading them whole.

Three formats, each giving ``(line number, kind, raw record)``:

- JSON: one object ``{"tax_rates": [...], "categories": [...], "products": [...]}`` (sections in
  any order, any of them may be missing). Read as a stream: each element is decoded on its own,
  so a file of a million products needs memory for one product at a time.
- JSON Lines (``.jsonl``, ``.ndjson``): one object per line with ``"kind"``: ``tax_rate``,
  ``category`` or ``product``. Blank lines are skipped.
- CSV (products only): a header ``sku,name,category,tax_class,price,measure,barcodes`` (plus an
  optional ``active``); ``price`` in euros (``12,34`` or ``12.34``), ``barcodes`` separated by
  ``|``. A header with semicolons makes ``;`` the delimiter (spreadsheets in Spain write that).
  UTF-8, with or without a byte-order mark.

A file that cannot be read as its format raises ``CatalogSyntaxError`` with the line where
reading stopped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from sync.server.errors import CommandError

RawRecord = tuple[int, str, Any]  # (line, kind, the record as read)

KIND_TAX_RATE = "tax_rate"
KIND_CATEGORY = "category"
KIND_PRODUCT = "product"
KINDS = (KIND_TAX_RATE, KIND_CATEGORY, KIND_PRODUCT)
_JSON_SECTIONS = {"tax_rates": KIND_TAX_RATE, "categories": KIND_CATEGORY, "products": KIND_PRODUCT}
CSV_COLUMNS = ("sku", "name", "category", "tax_class", "price", "measure", "barcodes")
CSV_REQUIRED = ("sku", "name", "tax_class", "price")
CSV_OPTIONAL = ("active",)


class CatalogFormat(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


_SUFFIXES = {
    ".json": CatalogFormat.JSON,
    ".jsonl": CatalogFormat.JSONL,
    ".ndjson": CatalogFormat.JSONL,
    ".csv": CatalogFormat.CSV,
}


class CatalogSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def detect_format(path: Path, given: str | None = None) -> CatalogFormat:
    if given:
        return CatalogFormat(given)
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise CommandError(
            f"cannot tell the format of {path.name}: name it .json, .jsonl or .csv, "
            "or pass --format"
        )
    return found


def read_records(path: Path, fmt: CatalogFormat) -> Iterator[RawRecord]:
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        try:
            if fmt is CatalogFormat.JSON:
                yield from _JsonStream(handle).records()
            elif fmt is CatalogFormat.JSONL:
                yield from _jsonl_records(handle)
            else:
                yield from _csv_records(handle)
        except UnicodeDecodeError as exc:
            raise CatalogSyntaxError(0, f"the file is not UTF-8 text ({exc.reason})") from exc


def _jsonl_records(handle: TextIO) -> Iterator[RawRecord]:
    for number, line in enumerate(handle, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, "", _Unreadable(f"not valid JSON: {exc.msg}")
            continue
        if not isinstance(value, dict):
            yield number, "", _Unreadable("a line must hold one JSON object")
            continue
        kind = value.get("kind")
        if kind not in KINDS:
            yield number, "", _Unreadable(f'"kind" must be one of {", ".join(KINDS)}')
            continue
        yield number, str(kind), value


class _Unreadable:
    """A record that could not be read; the reader goes on with the next one."""

    def __init__(self, problem: str) -> None:
        self.problem = problem


def is_unreadable(raw: Any) -> str | None:
    return raw.problem if isinstance(raw, _Unreadable) else None


def _csv_records(handle: TextIO) -> Iterator[RawRecord]:
    header_line = handle.readline()
    if not header_line.strip():
        raise CatalogSyntaxError(1, "the CSV file is empty (it needs a header line)")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    unknown = [h for h in header if h not in CSV_COLUMNS + CSV_OPTIONAL]
    missing = [h for h in CSV_REQUIRED if h not in header]
    if unknown or missing or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        if len(set(header)) != len(header):
            parts.append("a column appears twice")
        raise CatalogSyntaxError(
            1, f"bad header ({'; '.join(parts)}); expected {','.join(CSV_COLUMNS)}"
        )
    reader = csv.reader(handle, delimiter=delimiter)
    start = 2
    try:
        for row in reader:
            line = start
            start = reader.line_num + 2  # the header was read before the reader started
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield line, "", _Unreadable(f"{len(row)} fields where the header has {len(header)}")
                continue
            yield line, KIND_PRODUCT, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise CatalogSyntaxError(start, f"not valid CSV: {exc}") from exc


_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


class _JsonStream:
    """``{"section": [value, ...], ...}`` read one value at a time from a text file."""

    _CHUNK = 1 << 16

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line at self._counted
        self._counted = 0

    def _more(self) -> bool:
        """Read another piece, dropping what is consumed. False at the end of the file."""
        if self._eof:
            return False
        chunk = self._handle.read(max(self._CHUNK, len(self._buf) - self._pos))
        if not chunk:
            self._eof = True
            return False
        self._line += self._buf.count("\n", self._counted, self._pos)
        self._buf = self._buf[self._pos :] + chunk
        self._pos = self._counted = 0
        return True

    def _line_at(self, pos: int) -> int:
        return self._line + self._buf.count("\n", self._counted, pos)

    def line(self) -> int:
        self._line = self._line_at(self._pos)
        self._counted = self._pos
        return self._line

    def _peek(self) -> str | None:
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return None

    def _expect(self, allowed: str) -> str:
        found = self._peek()
        if found is None or found not in allowed:
            wanted = " or ".join(repr(c) for c in allowed)
            seen = "the end of the file" if found is None else repr(found)
            raise CatalogSyntaxError(
                self.line(), f"not valid JSON: expected {wanted}, found {seen}"
            )
        self._pos += 1
        return found

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise CatalogSyntaxError(
                    self._line_at(exc.pos), f"not valid JSON: {exc.msg}"
                ) from exc
            if end == len(self._buf) and not isinstance(value, dict | list | str) and self._more():
                continue  # a number or literal may go on in the next piece
            self._pos = end
            return value

    def records(self) -> Iterator[RawRecord]:
        self._expect("{")
        if self._peek() == "}":
            self._pos += 1
        else:
            while True:
                line = self.line()
                key = self._value()
                kind = _JSON_SECTIONS.get(key) if isinstance(key, str) else None
                if kind is None:
                    raise CatalogSyntaxError(
                        line,
                        f"unknown section {key!r}: a catalog has {', '.join(_JSON_SECTIONS)}",
                    )
                self._expect(":")
                self._expect("[")
                if self._peek() == "]":
                    self._pos += 1
                else:
                    while True:
                        self._peek()
                        line = self.line()
                        yield line, kind, self._value()
                        if self._expect(",]") == "]":
                            break
                if self._expect(",}") == "}":
                    break
        if self._peek() is not None:
            raise CatalogSyntaxError(self.line(), "unexpected text after the catalog object")
