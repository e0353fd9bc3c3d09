"""hooklint.forked: results in order, failures seen, and no worker left unreaped."""

from __future__ import annotations

import os
import sys
import time

import pytest

from hooklint import forked

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


_WAITPID = os.waitpid  # as it is before a test replaces it


def _reaped(pid: int) -> bool:
    try:
        _WAITPID(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_results_come_in_order_from_every_process() -> None:
    parent = os.getpid()

    def square(n: int) -> tuple[int, bool]:
        time.sleep(0.005)  # 60 calls take longer than forking: every process takes some
        return n * n, os.getpid() == parent

    results = forked.run_forked(square, list(range(60)), 3)
    assert results is not None
    assert [square for square, _ in results] == [n * n for n in range(60)]
    assert {mine for _, mine in results} == {True, False}  # this process and a worker took some


def test_a_worker_whose_work_is_done_is_reaped_by_the_next_call(monkeypatch: pytest.MonkeyPatch) -> None:
    waitpid = os.waitpid

    def still_exiting(pid: int, options: int) -> tuple[int, int]:
        return (0, 0) if options & os.WNOHANG else waitpid(pid, options)

    monkeypatch.setattr(forked.os, "waitpid", still_exiting)  # every worker is slow to exit
    assert forked.run_forked(lambda n: n, list(range(20)), 2) == list(range(20))
    left = list(forked._EXITING)  # not waited for
    assert len(left) == 1 and not _reaped(left[0])
    assert forked.run_forked(lambda n: n + 1, list(range(20)), 2) == list(range(1, 21))
    assert _reaped(left[0])  # the second call collected the first's worker before forking
    assert left[0] not in forked._EXITING and len(forked._EXITING) == 1
    forked.reap_exited(wait=True)
    assert forked._EXITING == []


def test_a_failing_worker_makes_the_call_fail_and_is_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    started: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", recording_fork)

    def only_here(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("a worker fails")
        if n == 19:  # this process's first: the worker starts and takes one
            time.sleep(0.2)
        return n

    assert forked.run_forked(only_here, list(range(20)), 2) is None
    assert started and all(_reaped(pid) for pid in started)
    assert forked._EXITING == []
