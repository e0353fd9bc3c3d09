"""Parse many input files on several CPU cores, with the serial path's exact result.

Parallelism kicks in when ``--jobs`` is above 1, there are at least
``MIN_FILES`` files read from disk, and together they hold at least
``MIN_BYTES`` (2 MiB, about 2,000 documents): below that, starting worker processes
costs more than it saves.  The files are cut into contiguous chunks of about
equal size, several per process so a slow chunk does not hold the others up;
``jobs - 1`` worker processes return their chunks' LoadedFiles (plain picklable
dataclasses) while the main process parses chunks too, and the chunks are put
back in input order, so the rest of the run cannot tell the difference.  On Linux the
workers are forked (:mod:`hooklint.forked`: they see the chunks in memory and stream each
chunk's files back); elsewhere a process pool is sent them (:func:`run_parallel`).

A big tree of plain files with no Application is not loaded here but checked whole set by
whole set on several processes (:mod:`hooklint.parallel_sets`), which sends back only
findings; this module serves the rest (trees with Applications, filling the lint cache).
"""

from __future__ import annotations

import gc
import os
import sys

from hooklint.model import SourceFile
from hooklint.sources.files import InputFile, LoadedFile, Notice, load_bytes, load_file, read_input
from hooklint.yaml.reader import reading

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Callable, Sequence, TypeVar

    W = TypeVar("W")
    R = TypeVar("R")

MIN_FILES = 16
MIN_BYTES = 2 * 1024 * 1024
CHUNKS_PER_WORKER = 32


def default_jobs() -> int:
    """The ``--jobs`` default: the CPUs this process may use (charts and Kustomize builds
    render on that many threads: separate processes, which gain even on a busy machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_parse_jobs() -> int:
    """The processes that parse plain files when ``--jobs`` is not given: the CPUs this
    process may use, less those the last minute's load average says other work keeps busy,
    and at least 1.

    A worker on a core that is busy anyway gains nothing: its results cost about a quarter
    of their parse to send back (pickling, unpickling), so on a loaded machine parallel
    parsing was slower than one process (10,000 documents at load 5 on 2 CPUs: 13.8 s
    against 11.7 s wall).  ``n`` CPUs with a load of ``l`` give ``n - int(l) + 1`` jobs, so
    one busy core of two keeps both (ours is one of them), two busy keep one.
    """
    cpus = default_jobs()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on this system
        return cpus
    return max(1, min(cpus, cpus - int(load) + 1))


def input_size(item: InputFile) -> int:
    """Bytes on disk (0 for stdin or a file that cannot be stat'ed: the loader reports it)."""
    if item.path is None:
        return 0
    try:
        return item.path.stat().st_size
    except OSError:
        return 0


def plan_chunks(items: Sequence[InputFile], jobs: int) -> list[list[int]] | None:
    """Indexes of ``items`` per chunk, in order; None when the serial path is the better choice."""
    if jobs <= 1:
        return None
    disk = [i for i, item in enumerate(items) if item.path is not None]
    if len(disk) < MIN_FILES:
        return None
    sizes = [input_size(item) for item in items]
    if sum(sizes) < MIN_BYTES:
        return None
    workers = min(jobs, len(disk))
    return cut(sizes, workers * CHUNKS_PER_WORKER, meet=(workers - 1) / workers)


def cut(sizes: Sequence[int], count: int, meet: float | None = None) -> list[list[int]]:
    """The indexes of ``sizes`` in order, in at most ``count`` runs of about equal total size
    (none empty): each index goes to the run its first byte falls in.

    ``meet``: where (a fraction of the total) the processes taking runs from the front and the
    one taking them from the back are expected to meet.  Runs there are cut smaller, down to a
    quarter of the others' size within 0.15 of it, so that the last runs taken are short and
    no process waits long for another's (on 10,000 documents the main process waited 6 to 15
    ms for the worker's last run of 64 equal ones); there are then more than ``count`` runs.
    """
    total = sum(sizes) or 1
    bounds = _bounds(count, meet)
    chunks: list[list[int]] = [[] for _ in range(len(bounds) + 1)]
    before = 0  # the size before this index
    last = 0  # the run of the last index: runs are in order
    for index, size in enumerate(sizes):
        at = before / total
        while last < len(bounds) and bounds[last] <= at:
            last += 1
        chunks[last].append(index)
        before += size
    return [chunk for chunk in chunks if chunk]


def _bounds(count: int, meet: float | None) -> list[float]:
    """Where runs end (fractions of the total, ascending, the last one's end left out)."""
    if meet is None:
        return [i / count for i in range(1, count)]
    bounds: list[float] = []
    at = 0.0
    while True:
        at += min(1.0, 0.25 + 5 * abs(at - meet)) / count
        if at >= 1.0 - 1e-9:
            return bounds
        bounds.append(at)


def run_parallel(function: Callable[[W], R], work: Sequence[W], jobs: int) -> list[R] | None:
    """``function`` over each of ``work``, in order, on ``jobs - 1`` worker processes and this
    one; None when worker processes cannot be started (no /dev/shm, say).

    The workers take items from the front while this process takes them from the back, until
    they meet: no core waits for another.  ``function`` is a module-level function (workers
    find it by name), and each item is sent to the worker that takes it.  On Linux
    :func:`hooklint.forked.run_forked` does the same without a pool.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=max(1, jobs - 1)) as pool:
            futures = [pool.submit(function, each) for each in work]
            mine: dict[int, R] = {}
            for number in range(len(futures) - 1, -1, -1):
                if not futures[number].cancel():  # a worker has it already: we have met
                    break
                mine[number] = function(work[number])
            return [mine[n] if n in mine else futures[n].result() for n in range(len(futures))]
    except (OSError, BrokenProcessPool):
        return None


if TYPE_CHECKING:
    #: What loads one input: the item, the ``--max-file-size`` limit, its bytes when read already.
    Loader = Callable[[InputFile, int, "bytes | str | None"], LoadedFile]
    #: one chunk: its inputs, the size limit, their bytes when read already, the loader
    ChunkWork = tuple[list[InputFile], int, "list[bytes | str] | None", "Loader | None"]


def load_one(item: InputFile, max_size: int, data: bytes | str | None = None) -> LoadedFile:
    """Load one input from its bytes (or ``read_input``'s message) when given, else from disk."""
    if data is None:
        return load_file(item, max_size)
    if isinstance(data, str):
        notice = Notice(item.display, data)
        return LoadedFile(SourceFile(item.display), notices=[notice], is_target=item.is_target)
    return load_bytes(data, item.display, item.is_target, plain_file=item.path is not None)


def read_all(items: Sequence[InputFile], max_size: int, stdin_bytes: bytes | None) -> list[bytes | str]:
    """Every input's bytes, or the message saying why it cannot be read."""
    return [read_input(item, max_size, stdin_bytes) for item in items]


def _load_chunk(args: ChunkWork) -> list[LoadedFile]:
    items, max_size, data, loader = args
    gc.disable()  # see hooklint.engine.gc_paused; the worker exits when done
    load = loader or load_one
    with reading():
        if data is None:
            return [load(item, max_size, None) for item in items]
        return [load(item, max_size, each) for item, each in zip(items, data, strict=True)]


def _run_chunks(work: list[ChunkWork], jobs: int) -> list[list[LoadedFile]] | None:
    """Every chunk loaded: on forked workers on Linux (:mod:`hooklint.forked`), which see the
    chunks in memory and stream each chunk's files back as it is done; elsewhere on a process
    pool, which is sent them."""
    if sys.platform != "linux":
        return run_parallel(_load_chunk, work, jobs)
    from hooklint.forked import run_forked

    return run_forked(_load_chunk, work, jobs)


def load_parallel(
    items: Sequence[InputFile],
    max_size: int,
    jobs: int,
    stdin_bytes: bytes | None,
    data: Sequence[bytes | str] | None = None,
    loader: Loader | None = None,
) -> list[LoadedFile] | None:
    """Load every input on up to ``jobs`` processes, in order; None when not worth it.

    ``jobs - 1`` worker processes take chunks from the front while this process
    takes them from the back, until they meet: no core waits for another.  If
    worker processes cannot be started (no /dev/shm, say), returns None and the
    caller loads serially.  With ``data`` (the inputs' bytes, read already) no file is
    read again; ``loader`` (a module-level function) replaces :func:`load_one`.
    """
    chunks = plan_chunks(items, jobs)
    if chunks is None:
        return None
    on_disk = [[i for i in chunk if items[i].path is not None] for chunk in chunks]
    work = [
        (
            [items[i] for i in chunk],
            max_size,
            None if data is None else [data[i] for i in chunk],
            loader,
        )
        for chunk in on_disk
    ]
    results = _run_chunks(work, jobs)
    if results is None:
        return None
    out: list[LoadedFile] = []
    for chunk, loaded in zip(chunks, results, strict=True):
        files = iter(loaded)
        for i in chunk:
            item = items[i]
            if item.path is not None:
                out.append(next(files))
            elif data is not None:
                out.append((loader or load_one)(item, max_size, data[i]))
            else:
                out.append(load_file(item, max_size, stdin_bytes))
    return out
