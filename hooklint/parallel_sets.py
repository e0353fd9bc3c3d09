"""Lint a big tree on several processes, each parsing and checking whole manifest sets.

:mod:`hooklint.parallel` parses on several processes and sends every document back, with
its positions (pickling and unpickling them costs about a quarter of the parse), for the
main process to check alone.  Here each process takes a share of the folders, parses them,
runs the checks over their manifest sets and sends back only what the report is made of:
findings, suppression counts, and each file's notices and number of objects.  The main
process takes shares too, and puts the report together as the serial run would.

That is exact when every manifest set lies in one share and no file changes what the checks
see in another folder, so this path is taken only when:

- every config's scope is ``app``, ``dir`` or ``file``: a set is a folder or a file, and a
  share holds whole folders (``all`` makes one set of everything);
- no input says ``Application`` (an Application makes sets of other folders under
  ``--scope app``, and its source may bring in files as context) or configures health checks
  (``resource.customizations`` in argocd-cm: they apply to every set).  The main process reads
  every input first and looks for those words in its bytes;
- the inputs are plain files on disk, each named once (charts and Kustomize folders render in
  the main process; stdin is read there).

A share that finds an Application or health checks all the same (spelled with YAML escapes)
says so, and the run is done again the usual way.  Workers are forked
(:mod:`hooklint.forked`): they see the run's settings, the inputs' bytes and the loaded checks
as the main process has them, and nothing is sent to them.
"""

from __future__ import annotations

import gc
import posixpath
import sys

from hooklint import parallel
from hooklint.argocd.settings import MARKER
from hooklint.engine import (
    PARSE_ERROR,
    ActiveRule,
    LintOptions,
    Report,
    active_rules,
    analyse,
    files_by_config,
    merge_reports,
    partial_files,
)
from hooklint.forked import run_forked
from hooklint.model import Finding
from hooklint.parallel import cut, load_one
from hooklint.sources.files import InputFile, LoadedFile, Notice, read_input
from hooklint.values import dataclass
from hooklint.yaml.reader import reading

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from pathlib import Path

    from hooklint.config import Config, ConfigResolver
    from hooklint.lintcache import RunCache
    from hooklint.registry import Registry

#: bytes that make the main process check the tree the usual way (see the module's doc)
WHOLE_TREE_WORDS = (b"Application", MARKER.encode())


@dataclass(frozen=True)
class _Run:
    """What every share needs, set before the workers are forked."""

    registry: Registry
    options: LintOptions
    cwd: Path
    items: list[InputFile]
    data: list[bytes | str]  # each input's bytes, or why it cannot be read
    store: RunCache | None
    configs: list[tuple[Config, frozenset[str]]]
    config_of: list[int]  # each input's config (its index)
    rules: list[list[ActiveRule]]  # per config
    partial: frozenset[str]

    @property
    def only(self) -> list[frozenset[str] | None]:
        """Per config, the paths whose findings it keeps (None: all, the only config)."""
        return [paths if len(self.configs) > 1 else None for _, paths in self.configs]


@dataclass(frozen=True)
class _Share:
    """One share's part of the report: per config (its index), the findings kept and the
    number suppressed; per input (its index), its notices and objects; and the inputs the
    cache stored under a new key (see :meth:`hooklint.lintcache.RunCache.load_item`)."""

    reports: list[tuple[int, list[Finding], int]]
    files: list[tuple[int, list[Notice], int]]
    keys: list[tuple[int, str]]


def lint_sets(
    registry: Registry,
    resolver: ConfigResolver,
    options: LintOptions,
    cwd: Path,
    items: list[InputFile],
    jobs: int,
    store: RunCache | None = None,
) -> Report | None:
    """The run's report, made on ``jobs`` processes; None when this path does not apply
    (see the module's doc) or worker processes cannot be started: lint the usual way.

    ``store``: the lint cache (inputs come from their entries, parsed ones are stored, and
    the run's key follows any input that changed since the cache last hashed it).
    Raises what :func:`hooklint.engine.active_rules` raises for a bad selection or config.
    """
    if jobs <= 1 or sys.platform != "linux" or len(items) < parallel.MIN_FILES:
        return None  # workers must be forked (they read the run from memory)
    displays = [item.display for item in items]
    if any(item.path is None for item in items) or len(set(displays)) != len(displays):
        return None
    configs = files_by_config(resolver, displays, cwd)
    config_index = {path: index for index, (_, paths) in enumerate(configs) for path in paths}
    config_of = [config_index[display] for display in displays]
    if any(each.scope == "all" for each, _ in configs):
        return None
    data = _read(items, options.max_file_size, store)
    if sum(len(each) for each in data) < parallel.MIN_BYTES:
        return None
    if any(isinstance(each, bytes) and any(word in each for word in WHOLE_TREE_WORDS) for each in data):
        return None
    shares = _shares(items, data, jobs)
    if len(shares) < 2:
        return None
    rules = [active_rules(registry, each, options) for each, _ in configs]
    for each in rules:  # imported here, once, rather than in every worker
        for rule in each:
            if rule.spec.code != PARSE_ERROR:
                registry.check_for(rule.spec)
    if store is not None:
        store.prepare()
    partial = partial_files(options, configs, cwd)
    run = _Run(registry, options, cwd, items, data, store, configs, config_of, rules, partial)
    done = run_forked(lambda share: _lint_share(run, share), shares, jobs)
    if done is None or any(share is None for share in done):
        return None
    return _report(items, configs, config_of, rules, [share for share in done if share is not None], store)


def _read(items: list[InputFile], max_size: int, store: RunCache | None) -> list[bytes | str]:
    """Every input's bytes, or why it cannot be read; those the cache has read already, from it."""
    if store is None:
        return [read_input(item, max_size, None) for item in items]
    return [
        each if each is not None else read_input(item, max_size, None)
        for item, each in zip(items, store.data, strict=True)
    ]


def _shares(items: list[InputFile], data: list[bytes | str], jobs: int) -> list[list[int]]:
    """The inputs' indexes in shares of whole folders (in input order within a share), of
    about equal size, ``hooklint.parallel.CHUNKS_PER_WORKER`` per process, and smaller where
    the processes are expected to meet (see :func:`hooklint.parallel.cut`)."""
    folders: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        folders.setdefault(posixpath.dirname(item.display), []).append(index)
    groups = list(folders.values())
    sizes = [sum(len(data[i]) for i in group) for group in groups]
    processes = min(jobs, len(groups))
    chunks = cut(sizes, processes * parallel.CHUNKS_PER_WORKER, meet=(processes - 1) / processes)
    return [sorted(i for g in chunk for i in groups[g]) for chunk in chunks]


def _lint_share(run: _Run, indexes: list[int]) -> _Share | None:
    """Parse and check one share (its inputs' indexes); None when it holds an Application or
    health checks."""
    gc.disable()  # see hooklint.engine.gc_paused; a worker exits when done
    loaded: list[LoadedFile] = []
    keys: list[tuple[int, str]] = []
    max_size = run.options.max_file_size
    store = run.store
    with reading():
        for index in indexes:
            item, data = run.items[index], run.data[index]
            if store is None:
                loaded.append(load_one(item, max_size, data))
                continue
            file, key = store.load_item(index, item, max_size, data)
            loaded.append(file)
            if key is not None:
                keys.append((index, key))
    for file in loaded:
        if file.health_checks or any(doc.kind == "Application" for doc in file.documents):
            return None
    reports: list[tuple[int, list[Finding], int]] = []
    only = run.only
    for config in sorted({run.config_of[i] for i in indexes}):
        report = analyse(
            run.rules[config],
            run.registry,
            run.configs[config][0],
            loaded,
            run.options.include_suppressed,
            run.cwd,
            only=only[config],
            full_run=run.options.full_run,
            partial=run.partial,
        )
        reports.append((config, report.findings, report.suppressed))
    files = [(index, file.notices, len(file.documents)) for index, file in zip(indexes, loaded, strict=True)]
    # The share's documents are freed as it returns, unlike the rest of a run's values
    # (hooklint.lifetime): the next share is built in the memory they leave, where fresh memory
    # costs a page fault per 4 KB, and two processes faulting at once contend in the kernel.
    # On 10,000 documents (2 processes) that took page faults from 39,000 to 12,000, system
    # time from 70 to 35 ms, peak RSS from 84 to 31 MB and the wall time down 3%.
    return _Share(reports, files, keys)


def _report(
    items: list[InputFile],
    configs: list[tuple[Config, frozenset[str]]],
    config_of: list[int],
    rules: list[list[ActiveRule]],
    shares: list[_Share],
    store: RunCache | None,
) -> Report:
    """The shares' parts as :func:`hooklint.engine.lint`'s serial path puts them together."""
    notices: dict[int, list[Notice]] = {}
    objects: dict[int, int] = {}
    found: list[list[Finding]] = [[] for _ in configs]
    suppressed = [0] * len(configs)
    for share in shares:
        for index, file_notices, count in share.files:
            notices[index] = file_notices
            objects[index] = count
        for config, findings, count in share.reports:
            found[config].extend(findings)  # a file's findings all come from one share, in order
            suppressed[config] += count
        if store is not None and share.keys:
            store.rekey(share.keys)
    reports = []
    alone = len(configs) == 1  # every target is the one config's
    for config in range(len(configs)):
        targets = [i for i, item in enumerate(items) if item.is_target and (alone or config_of[i] == config)]
        reports.append(
            Report(
                sorted(found[config], key=Finding.sort_key),
                list(rules[config]),
                [notice for i in targets for notice in notices[i]],
                files=len(targets),
                documents=sum(objects[i] for i in targets),
                suppressed=suppressed[config],
                paths=[items[i].display for i in targets],
            )
        )
    return merge_reports(reports)
