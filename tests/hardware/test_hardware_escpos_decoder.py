"""The ESC/POS decoder against byte sequences written from the command reference.

These tests do not use python-escpos: every sequence is spelled out byte by byte.
"""

from __future__ import annotations

import pytest

from hardware.escpos_decoder import (
    Barcode,
    CodePage,
    Cut,
    DrawerKick,
    EscposDecodeError,
    Image,
    Init,
    QrCode,
    StatusRequest,
    decode,
)

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"


def qr_function(fn: int, payload: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn payload."""
    size = len(payload) + 2
    return GS + b"(k" + bytes([size % 256, size // 256, 49, fn]) + payload


def test_cp858_selected_after_init_decodes_enye_and_euro() -> None:
    result = decode(ESC + b"@" + ESC + b"t\x13" + b"Se\xa4or \xd5\n")

    assert result.lines == ["Señor €"]
    assert result.events == [Init(), CodePage(19, "CP858")]


def test_text_after_init_is_decoded_as_cp437() -> None:
    assert decode(ESC + b"@" + b"\xa4 \x9c \x82\n").lines == ["ñ £ é"]


def test_init_resets_the_code_page_selected_before_it() -> None:
    result = decode(ESC + b"t\x13" + ESC + b"@" + b"\xd5\n")

    assert result.lines == ["╒"]  # 0xD5 in CP437, not the euro sign
    assert result.events == [CodePage(19, "CP858"), Init()]


@pytest.mark.parametrize(
    ("number", "name", "byte", "char"),
    [
        (2, "CP850", b"\xd5", "ı"),
        (16, "CP1252", b"\x80", "€"),
        (19, "CP858", b"\xa8", "¿"),
        (0, "CP437", b"\xad", "¡"),
    ],
)
def test_text_is_decoded_with_the_selected_code_page(
    number: int, name: str, byte: bytes, char: str
) -> None:
    result = decode(ESC + b"t" + bytes([number]) + b"x" + byte + b"\n")

    assert result.lines == ["x" + char]
    assert result.events == [CodePage(number, name)]


def test_init_discards_text_not_yet_printed() -> None:
    assert decode(b"lost" + ESC + b"@" + b"kept\n").lines == ["kept"]


def test_style_commands_leave_no_garbage_in_the_text() -> None:
    data = (
        ESC + b"E\x01" + b"Bold" + ESC + b"E\x00"
        + ESC + b"-\x01" + ESC + b"a\x01" + GS + b"!\x11" + ESC + b"!\x30"
        + ESC + b"3\x1e" + ESC + b"2" + ESC + b"M\x01" + GS + b"B\x01"
        + ESC + b"{\x00" + GS + b"b\x01" + GS + b"|\x04" + ESC + b"+\x10" + ESC + b"A\x08"
        + b"X\n"
    )  # fmt: skip

    assert decode(data).lines == ["BoldX"]


def test_feed_command_prints_pending_text_and_feeds_blank_lines() -> None:
    assert decode(b"a" + ESC + b"d\x03" + b"b\n").lines == ["a", "", "", "b"]


def test_carriage_return_is_ignored_and_tab_moves_to_the_next_stop() -> None:
    assert decode(b"ab\tc\r\n").lines == ["ab      c"]


def test_text_without_final_line_feed_is_still_returned() -> None:
    result = decode(b"one\ntwo")

    assert result.lines == ["one", "two"]
    assert result.text == "one\ntwo"


def test_barcode_form_a_is_nul_terminated() -> None:
    data = GS + b"k\x02" + b"4006381333931\x00" + b"after\n"

    result = decode(data)

    assert result.events == [Barcode("EAN13", "4006381333931")]
    assert result.lines == ["after"]


def test_barcode_form_b_is_length_prefixed() -> None:
    payload = b"{BT01-C01\x00x"  # a NUL inside form B data must not end it
    data = GS + b"k" + bytes([73, len(payload)]) + payload + b"after\n"

    result = decode(data)

    assert result.events == [Barcode("CODE128", "{BT01-C01\x00x")]
    assert result.lines == ["after"]


def test_code128_human_readable_text_resolves_code_sets() -> None:
    assert Barcode("CODE128", "{BT01-C01").text == "T01-C01"
    assert Barcode("CODE128", "{BAB{C\x0c\x22").text == "AB1234"
    assert Barcode("CODE128", "{Ba{{b").text == "a{b"
    assert Barcode("EAN13", "4006381333931").text == "4006381333931"


def test_qr_code_store_and_print_sequence_yields_its_data() -> None:
    content = "https://tienda.example/r/Año-1"
    data = (
        qr_function(65, b"\x32\x00")  # model 2
        + qr_function(67, b"\x06")  # module size
        + qr_function(69, b"\x31")  # error correction M
        + qr_function(80, b"\x30" + content.encode("utf-8"))  # store
        + qr_function(81, b"\x30")  # print
        + b"below\n"
    )

    result = decode(data)

    assert result.events == [QrCode(content)]
    assert result.lines == ["below"]


def test_qr_print_without_stored_data_is_an_error() -> None:
    with pytest.raises(EscposDecodeError, match="offset 0"):
        decode(qr_function(81, b"\x30"))


@pytest.mark.parametrize(
    ("command", "partial"),
    [
        (GS + b"V\x00", False),
        (GS + b"V\x30", False),
        (GS + b"V\x01", True),
        (GS + b"V\x31", True),
        (GS + b"V\x41\x03", False),
        (GS + b"V\x42\x00", True),
        (ESC + b"m", True),
    ],
)
def test_cut_commands_are_recognised(command: bytes, partial: bool) -> None:
    result = decode(b"last\n" + command + b"next\n")

    assert result.events == [Cut(partial=partial)]
    assert result.lines == ["last", "next"]


def test_cut_prints_pending_text_first() -> None:
    result = decode(b"abc" + GS + b"V\x00")

    assert result.lines == ["abc"]
    assert result.events[0].at_line == 1


def test_drawer_kick_pin_2_with_pulse_times() -> None:
    result = decode(ESC + b"p\x00\x19\xfa")

    assert result.events == [DrawerKick(pin=2)]
    kick = result.events_of(DrawerKick)[0]
    assert (kick.on_ms, kick.off_ms) == (50, 500)
    assert result.lines == []


@pytest.mark.parametrize(("selector", "pin"), [(0, 2), (48, 2), (1, 5), (49, 5)])
def test_drawer_kick_pin_selector(selector: int, pin: int) -> None:
    assert decode(ESC + b"p" + bytes([selector, 25, 250])).events == [DrawerKick(pin=pin)]


def test_raster_image_data_is_skipped_by_its_length() -> None:
    # 2 bytes wide, 3 rows: data that looks like commands and text must not be interpreted.
    pixels = b"\x1b@" + b"\x0aA" + b"\x1dV"
    data = GS + b"v0\x00" + b"\x02\x00\x03\x00" + pixels + b"ok\n"

    result = decode(data)

    assert result.events == [Image()]
    image = result.events_of(Image)[0]
    assert (image.width, image.height) == (16, 3)
    assert result.lines == ["ok"]


def test_column_image_stripes_are_one_image_without_text_lines() -> None:
    stripe = ESC + b"*\x21\x02\x00" + b"\x0a\x1b\x41" * 2 + b"\n"
    data = ESC + b"3\x10" + stripe + stripe + ESC + b"2" + b"txt\n"

    result = decode(data)

    assert result.events == [Image()]
    assert result.lines == ["txt"]


def test_unknown_command_names_its_byte_offset() -> None:
    with pytest.raises(
        EscposDecodeError, match=r"offset 2: unknown ESC/POS command ESC 0x99"
    ) as info:
        decode(b"ok" + ESC + b"\x99")

    assert info.value.offset == 2


def test_truncated_command_is_an_error() -> None:
    with pytest.raises(EscposDecodeError, match="offset 3.*truncated"):
        decode(b"abc" + ESC + b"t")


def test_unexpected_control_byte_is_an_error() -> None:
    with pytest.raises(EscposDecodeError, match="offset 1: unexpected control byte 0x01"):
        decode(b"a\x01b")


def test_high_bytes_in_an_unknown_code_page_are_an_error() -> None:
    result_events = decode(ESC + b"t\x63" + b"plain\n").events
    assert result_events == [CodePage(99, "UNKNOWN")]

    with pytest.raises(EscposDecodeError, match="code page 99"):
        decode(ESC + b"t\x63" + b"\xe9\n")


# --------------------------------------------------------------------------- status requests


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_dle_eot_inside_a_line_is_a_status_request_and_leaves_the_text_whole(n: int) -> None:
    result = decode(ESC + b"t\x13" + b"Se\xa4" + DLE + EOT + bytes([n]) + b"or \xd5\n")

    assert result.lines == ["Señor €"]
    assert result.events_of(StatusRequest) == [StatusRequest("DLE EOT", n)]
    assert result.events_of(StatusRequest)[0].at_line == 0


def test_dle_eot_ink_and_peripheral_requests_take_one_more_byte() -> None:
    result = decode(DLE + EOT + b"\x07\x01" + DLE + EOT + b"\x08\x03" + b"ok\n")

    assert result.events == [StatusRequest("DLE EOT", 7), StatusRequest("DLE EOT", 8)]
    assert result.lines == ["ok"]


@pytest.mark.parametrize("n", [1, 2, 49, 50])
def test_gs_r_is_a_status_request(n: int) -> None:
    result = decode(b"a" + GS + b"r" + bytes([n]) + b"b\n")

    assert result.events == [StatusRequest("GS r", n)]
    assert result.lines == ["ab"]


def test_status_requests_before_a_receipt_print_nothing() -> None:
    data = DLE + EOT + b"\x01" + DLE + EOT + b"\x04" + ESC + b"@" + b"hola\n"

    result = decode(data)

    assert result.events == [StatusRequest("DLE EOT", 1), StatusRequest("DLE EOT", 4), Init()]
    assert result.lines == ["hola"]


def test_real_time_drawer_pulse_on_pin_5() -> None:
    result = decode(DLE + b"\x14\x01\x01\x02")  # DLE DC4 1 m=1 (pin 5) t=2 (200 ms)

    assert result.events == [DrawerKick(pin=5)]
    assert result.events_of(DrawerKick)[0].on_ms == 200


def test_raster_logo_header_gives_its_size_in_dots() -> None:
    # GS v 0 m xL xH yL yH: 72 bytes (576 dots) wide, 2 rows, all black
    data = ESC + b"@" + GS + b"v0\x00\x48\x00\x02\x00" + b"\xff" * 144 + b"Tienda\n"

    result = decode(data)

    assert result.events == [Init(), Image()]
    image = result.events_of(Image)[0]
    assert (image.width, image.height, image.at_line) == (576, 2, 0)
    assert result.lines == ["Tienda"]
