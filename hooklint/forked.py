"""Calls shared out to forked processes, their results streamed back as they come.

:func:`hooklint.parallel.run_parallel` uses ``concurrent.futures``' process pool, which works
on every platform but costs a big tree about a tenth of a second: ``concurrent.futures.process``
takes 25 ms to import, its pool hands a worker two calls ahead (which the others then wait
for at the end), and results come back only as whole calls.  Here, on POSIX:

- the workers are forked, so they see this process's memory (the function, the work, the
  run's inputs, the loaded checks) as it was, and nothing is sent to them;
- the processes take the work's items one at a time under a lock (a pipe holding one byte;
  the next numbers sit in a shared page), the workers from the front and this process from
  the back,
  so at the end no process waits for more than one call of another;
- a worker sends each result, pickled, down a pipe of its own as soon as it has it, and this
  process reads what has come between its own calls, so unpickling is spread over the run;
- a worker lets each result go once sent, so the next is built in the memory it leaves (fresh
  memory costs a page fault per 4 KB, and two processes faulting at once contend in the
  kernel: on 10,000 documents with an Application, 2 processes, system time fell from 180
  to 75 ms and the wall time 2%); it ends with ``os._exit``, running no exit handler;
- once every result has come, this process goes on without waiting for the workers' exit (the
  kernel taking back their memory took 6 ms on 10,000 documents); the next call reaps them, or
  :func:`hooklint.lifetime.exit_now` once the output is out.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable, Sequence, TypeVar

    W = TypeVar("W")
    R = TypeVar("R")

#: how big a worker's pipe is made (Linux), so it seldom waits for this process to read
PIPE_SIZE = 1 << 20
_FRAME = 8  # bytes of a frame's header: the call's number, then its pickle's length (4 + 4)


class _Claims:
    """The call numbers not taken yet, shared by every process forked after it was made."""

    def __init__(self, count: int) -> None:
        import mmap
        import struct

        self._struct = struct.Struct("qq")  # the next number from the front; the end
        self._page = mmap.mmap(-1, self._struct.size)  # anonymous and shared across fork
        self._struct.pack_into(self._page, 0, 0, count)
        self._lock_r, self._lock_w = os.pipe()
        os.write(self._lock_w, b".")

    def take(self, from_back: bool) -> int | None:
        """The next number from the front (a worker) or the back (this process); None: all taken."""
        os.read(self._lock_r, 1)
        try:
            values = self._struct.unpack_from(self._page, 0)
            front: int = values[0]
            back: int = values[1]
            if front >= back:
                return None
            if from_back:
                back -= 1
                number = back
            else:
                number = front
                front += 1
            self._struct.pack_into(self._page, 0, front, back)
            return number
        finally:
            os.write(self._lock_w, b".")

    def close(self) -> None:
        os.close(self._lock_r)
        os.close(self._lock_w)
        self._page.close()


class _Worker:
    """A forked worker, seen from this process: its pid, its pipe, and what has come so far."""

    __slots__ = ("pid", "pipe", "received")

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe
        self.received = bytearray()

    def read(self, results: dict[int, Any], wait: bool) -> bool:
        """Take in what has come (to the end of the pipe when ``wait``); False at its end."""
        import pickle

        open_ = True
        while True:
            try:
                chunk = os.read(self.pipe, PIPE_SIZE)
            except BlockingIOError:
                break
            if not chunk:
                open_ = False
                break
            self.received += chunk
            if not wait:
                break
        data = self.received
        start = 0
        while len(data) - start >= _FRAME:
            number = int.from_bytes(data[start : start + 4], "little")
            length = int.from_bytes(data[start + 4 : start + 8], "little")
            end = start + _FRAME + length
            if end > len(data):
                break
            results[number] = pickle.loads(data[start + _FRAME : end])
            start = end
        del data[:start]
        return open_


def run_forked(function: Callable[[W], R], work: Sequence[W], jobs: int) -> list[R] | None:
    """``function`` over each of ``work``, in order, on this process and ``jobs - 1`` forked
    ones (:func:`hooklint.parallel.run_parallel`'s contract, without its pool); None when no
    worker can be forked or one fails (the caller then does the work the usual way, which
    shows any error).  A worker calls ``function`` as this process would (any callable: it is
    not sent); its results must pickle."""
    reap_exited(wait=True)  # the last call's workers, if still there
    count = len(work)
    claims = _Claims(count)
    workers: list[_Worker] = []
    try:
        for _ in range(max(0, jobs - 1)):
            worker = _fork(lambda number: function(work[number]), claims)
            if worker is None:
                break
            workers.append(worker)
        if not workers:
            return None
        results: dict[int, R] = {}
        while (number := claims.take(True)) is not None:
            results[number] = function(work[number])
            for worker in workers:
                worker.read(results, wait=False)
        failed = False
        for worker in workers:
            os.set_blocking(worker.pipe, True)
            worker.read(results, wait=True)
            os.close(worker.pipe)
            failed = failed or bool(worker.received)
        workers_done = [worker.pid for worker in workers]
        workers = []
        _EXITING.extend(workers_done)
        if failed or len(results) != count:
            reap_exited(wait=True)
            return None
        # every result came whole, so the work is done: a worker's exit (the kernel freeing its
        # memory, a few milliseconds) is not waited for; it is reaped later (see reap_exited)
        reap_exited(wait=False)
        return [results[number] for number in range(count)]
    finally:
        for worker in workers:  # this process failed first: stop the workers
            try:
                os.kill(worker.pid, 9)
                os.waitpid(worker.pid, 0)
            except OSError:
                pass
            os.close(worker.pipe)
        claims.close()


#: workers whose results all came but whose exit was not waited for
_EXITING: list[int] = []


def reap_exited(wait: bool) -> None:
    """Collect the exit of workers whose work is done: those that have exited (all of them when
    ``wait``), so that a long-lived process (the language server, the API) keeps no zombies."""
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped already (a SIGCHLD handler of the host program)
            done = pid
        if done:
            _EXITING.remove(pid)


def _fork(function: Callable[[int], object], claims: _Claims) -> _Worker | None:
    """Start a worker taking numbers from the front; None when it cannot be forked."""
    read_end, write_end = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except (ImportError, OSError):  # not Linux, or over the system's limit: the default size
        pass
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the worker
        code = 1
        try:
            os.close(read_end)
            _serve(function, claims, write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Worker(pid, read_end)


def _serve(function: Callable[[int], object], claims: _Claims, pipe: int) -> None:
    """A worker's life: calls from the front, each result sent as one frame and then let go."""
    import pickle

    from hooklint import lifetime

    lifetime.keep_until_exit()  # the worker ends with os._exit: what lives on is not freed
    while (number := claims.take(False)) is not None:
        result = function(number)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        frame = number.to_bytes(4, "little") + len(data).to_bytes(4, "little") + data
        view = memoryview(frame)
        while view:
            view = view[os.write(pipe, view) :]
    os.close(pipe)
