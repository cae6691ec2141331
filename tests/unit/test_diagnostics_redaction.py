"""The support zip blanks secrets in settings files (anything named like a token, secret,
password, PIN or code), but the register's and the store's codes stay readable for support."""

from __future__ import annotations

from pos_app.diagnostics import REDACTED, redact_settings

SETTINGS = """[sync]
backend_url = "https://central:8765"
register_code = "C01"
store_code = 'T01'
token = "abc-123"
enrollment_code="X1Y2"
[drawer]
pin = 2
[web]
api_key = "k-999"  # a comment kept
admin_password = 'hunter2'
"""


def test_secrets_are_blanked_and_everything_else_is_kept():
    out = redact_settings(SETTINGS)
    for secret in ("abc-123", "X1Y2", "k-999", "hunter2"):
        assert secret not in out
    assert f'token = "{REDACTED}"' in out
    assert f'enrollment_code="{REDACTED}"' in out
    assert f'api_key = "{REDACTED}"  # a comment kept' in out
    assert 'register_code = "C01"' in out and "store_code = 'T01'" in out
    assert f'pin = "{REDACTED}"' in out  # a PIN, whatever it names, is never shown
    assert 'backend_url = "https://central:8765"' in out
