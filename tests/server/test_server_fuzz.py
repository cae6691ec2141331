"""The backend's OpenAPI fuzzed with schemathesis: no 5xx, no answer that violates the schema.

CI runs a bounded number of examples per operation (``MOSTRADOR_FUZZ_EXAMPLES``, default 25);
the full run: ``MOSTRADOR_FUZZ_EXAMPLES=500 python -m pytest tests/server/test_server_fuzz.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_api_survives_fuzzing_with_every_check(backend):
    backend.store("T01")
    register = backend.enroll("T01", "Caja fuzz")
    examples = os.environ.get("MOSTRADOR_FUZZ_EXAMPLES", "25")
    exe = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    result = subprocess.run(
        [
            exe,
            "run",
            f"{backend.base_url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            examples,
            "--seed",
            "2026",
            "-H",
            f"Authorization: Bearer {register.token}",
            "-H",
            "X-Mostrador-Protocol: 1",
        ],
        cwd=ROOT,  # where schemathesis.toml says which refusals are expected
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = (result.stdout + result.stderr)[-4000:]
    # --checks all includes not_a_server_error and response_schema_conformance
    assert result.returncode == 0, tail
    assert "passed" in tail
