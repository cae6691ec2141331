"""Secrets of the backend: device tokens, one-time enrolment codes and staff PINs.

Only hashes are stored. Tokens and enrolment codes are long random values, so a plain SHA-256
is enough to make a stolen database useless; PINs are short, so they get scrypt with a salt.
None of these values, nor their hashes, is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
# Enrolment codes are typed by a person: no 0/O, 1/I/L. 12 characters of 31 = 59 bits.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_GROUPS = 3
_CODE_GROUP_LEN = 4
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
PIN_MIN, PIN_MAX = 4, 8


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


def check_pin(pin: str) -> str:
    """The PIN if it is acceptable (4 to 8 digits), else ``ValueError``."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise ValueError(f"a PIN is {PIN_MIN} to {PIN_MAX} digits")
    return pin


def hash_pin(pin: str) -> str:
    """``scrypt$N$r$p$<salt hex>$<hash hex>``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        check_pin(pin).encode("ascii"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)
