"""The task runner: work off the GUI thread, results and errors back on it, always later."""

from __future__ import annotations

import threading

import pytest

from pos_app.ui.task_runner import SyncTaskRunner, TaskRunner


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    r.shutdown()


def test_database_work_runs_on_one_worker_thread_and_results_arrive_on_the_gui_thread(
    qtbot, runner
):
    gui = threading.get_ident()
    workers: set[int] = set()
    delivered: list[tuple[int, int]] = []

    def work(i: int) -> int:
        workers.add(threading.get_ident())
        return i

    for i in range(20):
        runner.run_db(lambda i=i: work(i), lambda r: delivered.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: runner.idle)
    assert [r for r, _ in delivered] == list(range(20))  # one queue: in order
    assert {t for _, t in delivered} == {gui}
    assert len(workers) == 1 and gui not in workers


def test_a_result_never_arrives_inside_the_call_that_asked_for_it(qtbot, runner):
    seen: list[int] = []
    runner.run_db(lambda: 1, seen.append)
    assert seen == []  # even if the worker was quicker than the caller
    qtbot.waitUntil(lambda: seen == [1])


def test_an_exception_reaches_the_error_callback_not_the_void(qtbot, runner):
    errors: list[BaseException] = []

    def fail() -> None:
        raise OSError("disk full")

    runner.run_db(fail, lambda _: pytest.fail("no success expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], OSError) and str(errors[0]) == "disk full"


def test_the_sync_runner_for_presenter_tests_runs_inline():
    out: list[int] = []
    errors: list[BaseException] = []
    SyncTaskRunner().run_db(lambda: 5, out.append)
    SyncTaskRunner().run_io(lambda: 1 / 0, out.append, errors.append)
    assert out == [5] and isinstance(errors[0], ZeroDivisionError)


def test_work_asked_for_after_shutdown_is_dropped_not_raised(qtbot, qapp, caplog):
    runner = TaskRunner()
    runner.shutdown()
    runner.run_db(lambda: 1, lambda _: pytest.fail("must not run"))
    assert runner.idle
    assert "dropped at shutdown" in caplog.text
