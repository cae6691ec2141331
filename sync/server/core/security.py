"""Secrets of the backend: device tokens, one-time enrolment codes and staff PINs.

Only hashes are stored. Tokens and enrolment codes are long random values, so a plain SHA-256
is enough to make a stolen database useless; PINs are short, so they get scrypt with a salt.
None of these values, nor their hashes, is ever logged.
"""

from __future__ import annotations

import hashlib
import secrets

# PINs are hashed and checked the same way at the registers: one implementation, in sync.
from sync.pins import PIN_MAX as PIN_MAX
from sync.pins import PIN_MIN as PIN_MIN
from sync.pins import check_pin as check_pin
from sync.pins import hash_pin as hash_pin
from sync.pins import verify_pin as verify_pin

TOKEN_BYTES = 32
# Enrolment codes are typed by a person: no 0/O, 1/I/L. 12 characters of 31 = 59 bits.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_GROUPS = 3
_CODE_GROUP_LEN = 4


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_enrollment_code() -> str:
    """``K7QX-M2PD-9RTA``: easy to read aloud and to type at a register."""
    groups = (
        "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUP_LEN))
        for _ in range(_CODE_GROUPS)
    )
    return "-".join(groups)


def normalize_enrollment_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_enrollment_code(code: str) -> str:
    return hashlib.sha256(normalize_enrollment_code(code).encode("utf-8")).hexdigest()
