"""Failpoints: named places where a test can make the register process die as if killed.

For the crash tests only (``tests/reliability/test_kill9.py``); in production the variable is
unset and ``failpoint`` is one comparison against a module constant.

- ``MOSTRADOR_FAILPOINT=<name>``: the first time the code reaches ``failpoint(<name>)`` the process
  sends itself SIGKILL (no ``finally``, no ``atexit``, no flush: a real ``kill -9``). On Windows,
  which has no SIGKILL, it ends with ``os._exit(137)``.
- ``MOSTRADOR_FAILPOINT_SKIP=<n>``: let the first ``n`` hits of that point pass (default 0).

The variables are read once, at import.

Points in the code: ``sale.before_commit``, ``sale.after_commit`` (checkout's sale transaction),
``push.before_send``, ``push.after_answer``, ``push.after_mark`` (``SyncWorker.push_all``).
"""

from __future__ import annotations

import os
import signal
import sys

_ARMED = os.environ.get("MOSTRADOR_FAILPOINT") or None
_skip = int(os.environ.get("MOSTRADOR_FAILPOINT_SKIP") or "0")


def failpoint(name: str) -> None:
    """Die here (SIGKILL) when ``MOSTRADOR_FAILPOINT`` names this point; otherwise nothing."""
    global _skip
    if _ARMED is None or name != _ARMED:
        return
    if _skip > 0:
        _skip -= 1
        return
    if sys.platform == "win32":
        os._exit(137)
    os.kill(os.getpid(), signal.SIGKILL)
