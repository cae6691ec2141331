"""Text normalisation for code page 858."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.printers.text import ascii_for_barcode, normalize_for_cp858


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jamón – loncheado", "Jamón - loncheado"),
        ("Oferta—2x1", "Oferta-2x1"),
        ("“Bellota” ‘ibérico’", "\"Bellota\" 'ibérico'"),
        ("Espera…", "Espera..."),
        ("12,50\u00a0€", "12,50 €"),
        ("1\u202f234", "1 234"),
        ("Cafe\u0301", "Café"),  # decomposed accent is composed first
        ("ＡＢＣ", "ABC"),
        ("ﬁlete", "filete"),
        ("Œuf", "OEuf"),
        ("Piña 🍍", "Piña ?"),
        ("¿Señor? ¡Olé! ü ç Ñ € ·", "¿Señor? ¡Olé! ü ç Ñ € ·"),
        ("tab\there\nnew", "tab here new"),
        ("zero\u200bwidth\u00adsoft", "zerowidthsoft"),
        ("esc\x1b@\x07bel", "esc@bel"),
    ],
)
def test_normalization_replaces_what_cp858_cannot_print(text: str, expected: str) -> None:
    assert normalize_for_cp858(text) == expected


@settings(database=None, max_examples=300)
@given(st.text())
def test_any_text_becomes_printable_cp858(text: str) -> None:
    result = normalize_for_cp858(text)

    encoded = result.encode("cp858")
    assert all(byte >= 0x20 and byte != 0x7F for byte in encoded)
    assert normalize_for_cp858(result) == result


def test_barcode_text_must_be_ascii() -> None:
    assert ascii_for_barcode("T01–C01-2026") == "T01-C01-2026"
    assert ascii_for_barcode("Nº 5") == "No 5"
    assert ascii_for_barcode("5 €") is None
    assert ascii_for_barcode("Año-1") == "Ano-1"
    assert ascii_for_barcode("") is None
