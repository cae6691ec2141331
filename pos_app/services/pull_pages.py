"""Pages of the change log, the next one downloading while the caller applies this one.

A first sync of a large catalog is a few hundred pages; each is a request (the backend reading
and compressing, the register parsing) and then the register writing it. Those two halves use
different resources, so the next request starts as soon as a page has arrived: a first sync
takes about the longer of the two instead of their sum.

Only one request is in flight, and pages come out in order. The next page is asked for with
the cursor the backend gave with this one, which is the cursor the register saves once it has
applied the page; if applying fails, the caller stops iterating, the page downloaded ahead is
dropped, and the next pull starts again from the register's saved cursor.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from sync.protocol import PullResponse

Fetch = Callable[[str], PullResponse]


class _Download:
    """One page being downloaded on its own (daemon) thread."""

    def __init__(self, fetch: Fetch, cursor: str) -> None:
        self._done = threading.Event()
        self._page: PullResponse | None = None
        self._error: BaseException | None = None
        thread = threading.Thread(
            target=self._run, args=(fetch, cursor), name="mostrador-pull", daemon=True
        )
        thread.start()

    def _run(self, fetch: Fetch, cursor: str) -> None:
        try:
            self._page = fetch(cursor)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> PullResponse:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._page is not None
        return self._page


def pull_pages(
    fetch: Fetch, cursor: str, *, ahead: Callable[[], bool] = lambda: True
) -> Iterator[PullResponse]:
    """Yield the pages from ``cursor`` until one says there is no more.

    ``fetch(cursor)`` asks the backend for the page after ``cursor``; it runs on a helper
    thread, and its errors are raised here, in order, when that page is due. ``ahead()`` is
    asked before each download ahead (a stopping sync worker says no).
    """
    page = fetch(cursor)
    while True:
        following = _Download(fetch, page.cursor) if page.has_more and ahead() else None
        yield page
        if following is None:
            return
        page = following.result()
