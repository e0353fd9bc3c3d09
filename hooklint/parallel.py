"""Parse many input files on several CPU cores, with the serial path's exact result.

Parallelism kicks in when ``--jobs`` is above 1, there are at least
``MIN_FILES`` files read from disk, and together they hold at least
``MIN_BYTES`` (2 MiB, about 2,000 documents): below that, starting worker processes
costs more than it saves.  The files are cut into contiguous chunks of about
equal size, several per process so a slow chunk does not hold the others up;
``jobs - 1`` worker processes return their chunks' LoadedFiles (plain picklable
dataclasses) while the main process parses chunks too, and the chunks are put
back in input order, so the rest of the run cannot tell the difference.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Sequence

from hooklint.sources.files import InputFile, LoadedFile, load_file

MIN_FILES = 16
MIN_BYTES = 2 * 1024 * 1024
CHUNKS_PER_WORKER = 32


def default_jobs() -> int:
    """The CPUs this process may use (the ``--jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


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
    total = sum(sizes)
    if total < MIN_BYTES:
        return None
    workers = min(jobs, len(disk))
    count = workers * CHUNKS_PER_WORKER
    chunks: list[list[int]] = [[] for _ in range(count)]
    before = 0  # bytes before this file: the file goes to the chunk that byte offset falls in
    for index, size in enumerate(sizes):
        chunks[min(count - 1, before * count // total)].append(index)
        before += size
    return [chunk for chunk in chunks if chunk]


def _load_chunk(args: tuple[list[InputFile], int]) -> list[LoadedFile]:
    items, max_size = args
    gc.disable()  # see hooklint.engine.gc_paused; the worker exits when done
    return [load_file(item, max_size) for item in items]


def load_parallel(
    items: Sequence[InputFile], max_size: int, jobs: int, stdin_bytes: bytes | None
) -> list[LoadedFile] | None:
    """Load every input on up to ``jobs`` processes, in order; None when not worth it.

    ``jobs - 1`` worker processes take chunks from the front while this process
    takes them from the back, until they meet: no core waits for another.  If
    worker processes cannot be started (no /dev/shm, say), returns None and the
    caller loads serially.
    """
    chunks = plan_chunks(items, jobs)
    if chunks is None:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork is cheap and safe here (hooklint runs no threads); elsewhere the default start method.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    on_disk = [[items[i] for i in chunk if items[i].path is not None] for chunk in chunks]
    try:
        with ProcessPoolExecutor(max_workers=max(1, jobs - 1), mp_context=context) as pool:
            futures = [pool.submit(_load_chunk, (chunk, max_size)) for chunk in on_disk]
            mine: dict[int, list[LoadedFile]] = {}
            for number in range(len(futures) - 1, -1, -1):
                if not futures[number].cancel():  # a worker has it already: we have met
                    break
                mine[number] = [load_file(item, max_size) for item in on_disk[number]]
            results = [mine[n] if n in mine else futures[n].result() for n in range(len(futures))]
    except (OSError, BrokenProcessPool):
        return None
    out: list[LoadedFile] = []
    for chunk, loaded in zip(chunks, results, strict=True):
        files = iter(loaded)
        for i in chunk:
            item = items[i]
            out.append(next(files) if item.path is not None else load_file(item, max_size, stdin_bytes))
    return out
