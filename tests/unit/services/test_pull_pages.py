"""Pages downloaded one ahead: in order, one request in flight, errors raised when due."""

from __future__ import annotations

import threading

import pytest

from pos_app.services.pull_pages import pull_pages
from sync.protocol import PullResponse


class Backend:
    def __init__(self, pages: int, fail_at: int | None = None) -> None:
        self.pages = pages
        self.fail_at = fail_at
        self.asked: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def fetch(self, cursor: str) -> PullResponse:
        with self._lock:
            self.asked.append(cursor)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            n = int(cursor)
            if n == self.fail_at:
                raise OSError(f"connection reset at {n}")
            return PullResponse(changes=[], cursor=str(n + 1), has_more=n + 1 < self.pages)
        finally:
            with self._lock:
                self.in_flight -= 1


def test_pages_come_in_order_and_the_next_is_asked_for_before_this_one_is_applied():
    backend = Backend(pages=5)
    seen = []
    for page in pull_pages(backend.fetch, "0"):
        seen.append(page.cursor)
        # while the caller holds this page, the next one has been asked for already
        if page.has_more:
            deadline = threading.Event()
            for _ in range(200):
                if len(backend.asked) > len(seen):
                    break
                deadline.wait(0.005)
            assert len(backend.asked) == len(seen) + 1
    assert seen == ["1", "2", "3", "4", "5"]
    assert backend.asked == ["0", "1", "2", "3", "4"]
    assert backend.most_in_flight == 1


def test_a_failed_download_is_raised_after_the_pages_before_it():
    backend = Backend(pages=10, fail_at=3)
    seen = []
    with pytest.raises(OSError, match="reset at 3"):
        for page in pull_pages(backend.fetch, "0"):
            seen.append(page.cursor)
    assert seen == ["1", "2", "3"]  # every page before the failure was handed over


def test_nothing_is_downloaded_ahead_once_the_caller_says_stop():
    backend = Backend(pages=10)
    stop = threading.Event()
    seen = []
    for page in pull_pages(backend.fetch, "0", ahead=lambda: not stop.is_set()):
        seen.append(page.cursor)
        if len(seen) == 2:
            stop.set()
    # page 2 was already on its way when the caller said stop; nothing after it
    assert seen == ["1", "2", "3"] or seen == ["1", "2"]
    assert len(backend.asked) == len(seen)
