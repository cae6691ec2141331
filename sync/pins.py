"""Staff PINs: hashed with scrypt (a slow KDF), checked in constant time.

Shared by the backend (which hashes a PIN when IT sets it) and the registers (which check a
typed PIN offline against the hash they pulled). A PIN is never stored, sent or logged in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PIN_MIN = 4
PIN_MAX = 8
# About 50 ms and 16 MiB per check on a register: slow for a guesser, fine at a counter.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


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
    """Whether ``pin`` is the one ``stored`` was made from (False for a malformed hash)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
        )
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)
