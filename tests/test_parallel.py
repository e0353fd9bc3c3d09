"""--jobs: parallel parsing gives exactly the serial result, and kicks in only when worth it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from hooklint import parallel
from hooklint.cli.app import main
from hooklint.config import Config
from hooklint.engine import LintOptions, lint
from hooklint.registry import Registry
from hooklint.sources.files import InputFile, LoadedFile, discover, load_file


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated monorepo (120 documents, 40 files) plus files that go wrong in different ways."""
    root = tmp_path_factory.mktemp("tree")
    generate(root, documents=120, files=40)
    (root / "apps" / "broken.yaml").write_text("kind: Job\nmetadata: {name: [\n", encoding="utf-8")
    (root / "apps" / "latin1.yaml").write_bytes(b"kind: ConfigMap\ndata: {a: caf\xe9}\n")
    (root / "apps" / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (root / "apps" / "dup.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n", encoding="utf-8"
    )
    return root


@pytest.fixture
def low_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)


def snapshot(loaded: list[LoadedFile]) -> list[Any]:
    """Everything a LoadedFile carries, comparable with == (Documents compare by identity)."""
    return [
        (
            f.source,
            f.is_target,
            f.problems,
            f.notices,
            [(d.file, d.index, d.root, d.positions, d.is_target, d.item) for d in f.documents],
        )
        for f in loaded
    ]


def test_parallel_load_equals_serial_load(tree: Path, low_thresholds: None) -> None:
    items = list(discover([str(tree)], cwd=tree))
    assert len(items) == 44
    serial = [load_file(item) for item in items]
    loaded = parallel.load_parallel(items, 50 * 1024 * 1024, 2, None)
    assert loaded is not None  # the parallel path really ran
    assert snapshot(loaded) == snapshot(serial)
    assert sum(len(f.documents) for f in loaded) == 120 + 1  # the generated objects + dup.yaml
    assert [p.message[:9] for f in loaded for p in f.problems] == [
        "while par",  # broken.yaml, before the generated files in path order
        "duplicate",
        "file is n",
    ]


def test_parallel_lint_report_identical(tree: Path, registry: Registry, low_thresholds: None) -> None:
    def run(jobs: int) -> Any:
        report = lint(registry, Config(), LintOptions(paths=(str(tree),), jobs=jobs), cwd=tree)
        return report.findings, report.notices, report.files, report.documents, report.suppressed

    serial, parallel_run = run(1), run(2)
    assert parallel_run == serial
    codes = {f.code for f in serial[0]}
    assert {"HL000", "HL301"} <= codes  # the tree makes several rules fire


def test_stdin_keeps_its_place(tree: Path, low_thresholds: None) -> None:
    items = list(discover([str(tree)], cwd=tree))
    items.insert(7, InputFile(None, "<stdin>"))
    stdin = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n"
    loaded = parallel.load_parallel(items, 50 * 1024 * 1024, 2, stdin)
    assert loaded is not None
    assert snapshot(loaded) == snapshot([load_file(item, stdin_bytes=stdin) for item in items])
    assert loaded[7].documents[0].name == "from-stdin"


def test_serial_when_not_worth_it(tree: Path) -> None:
    items = list(discover([str(tree)], cwd=tree))
    assert parallel.plan_chunks(items, 1) is None  # --jobs 1
    assert parallel.plan_chunks(items, 4) is None  # 44 files but far below MIN_BYTES
    assert parallel.plan_chunks(items[: parallel.MIN_FILES - 1], 4) is None


def test_chunks_cover_every_file_once_in_order(tree: Path, low_thresholds: None) -> None:
    items = list(discover([str(tree)], cwd=tree))
    chunks = parallel.plan_chunks(items, 2)
    assert chunks is not None
    assert 2 <= len(chunks) <= 2 * parallel.CHUNKS_PER_WORKER
    assert all(chunks)
    assert [i for chunk in chunks for i in chunk] == list(range(len(items)))


def _runs_of(sizes: list[int], count: int, meet: float | None) -> list[list[int]]:
    runs = parallel.cut(sizes, count, meet)
    assert all(runs)
    assert [i for run in runs for i in run] == list(range(len(sizes)))  # every index once, in order
    return runs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5_000), max_size=300), st.integers(1, 128))
def test_runs_without_a_meeting_point_are_the_equal_cut(sizes: list[int], count: int) -> None:
    runs = _runs_of(sizes, count, None)
    total = sum(sizes) or 1
    before = [sum(sizes[:i]) for i in range(len(sizes))]
    expected: dict[int, list[int]] = {}
    for i in range(len(sizes)):  # each index in the run its first byte falls in
        expected.setdefault(min(count - 1, before[i] * count // total), []).append(i)
    assert runs == [expected[k] for k in sorted(expected)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 5_000), max_size=300), st.integers(1, 128), st.floats(0.0, 1.0))
def test_runs_near_the_meeting_point_are_cut_finer(sizes: list[int], count: int, meet: float) -> None:
    _runs_of(sizes, count, meet)
    bounds = parallel._bounds(count, meet)
    assert bounds == sorted(bounds) and all(0 < b < 1 for b in bounds)
    widths = [b - a for a, b in zip([0.0, *bounds], bounds, strict=False)]
    assert all(1 / (4 * count) - 1e-12 <= w <= 1 / count + 1e-12 for w in widths)
    assert len(bounds) + 1 >= count


def test_the_runs_where_the_processes_meet_are_a_quarter_of_the_others() -> None:
    runs = parallel.cut([1] * 6_400, 64, meet=0.5)
    sizes = [len(run) for run in runs]
    assert max(sizes) == 100 and sizes[0] == 100  # the last one is what is left
    middle = next(i for i, run in enumerate(runs) if 3_200 in run)
    assert sizes[middle] in (25, 26)
    assert len(runs) == 81
    assert parallel.cut([1] * 6_400, 64) == [list(range(k * 100, k * 100 + 100)) for k in range(64)]


def test_the_process_pool_loads_as_the_forked_workers_do(
    tree: Path, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = list(discover([str(tree)], cwd=tree))
    forked = parallel.load_parallel(items, 50 * 1024 * 1024, 2, None)
    monkeypatch.setattr(parallel.sys, "platform", "darwin")  # the pool: every other platform
    pooled = parallel.load_parallel(items, 50 * 1024 * 1024, 2, None)
    assert forked is not None and pooled is not None
    assert snapshot(pooled) == snapshot(forked) == snapshot([load_file(item) for item in items])


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    assert main(["check", str(tmp_path / "a.yaml"), "--jobs", "0", "--isolated"]) == 2
    assert "--jobs must be 1 or more, not 0" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "a.yaml"), "--jobs", "3", "--isolated", "-q"]) == 0


def test_default_jobs_is_the_cpu_count() -> None:
    assert parallel.default_jobs() >= 1


@pytest.mark.parametrize(
    ("cpus", "load", "jobs"),
    [(2, 0.0, 2), (2, 0.9, 2), (2, 1.5, 2), (2, 2.0, 1), (2, 5.3, 1), (8, 3.2, 6), (1, 0.0, 1)],
)
def test_parsing_jobs_leave_out_the_cores_other_work_keeps_busy(
    monkeypatch: pytest.MonkeyPatch, cpus: int, load: float, jobs: int
) -> None:
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _: set(range(cpus)), raising=False)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    assert parallel.default_parse_jobs() == jobs
    assert parallel.default_jobs() == cpus  # renders: separate processes, every CPU


def test_the_load_aware_default_applies_only_without_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hooklint.engine as engine

    seen: list[int] = []
    real = engine.load_inputs

    def spy(items: Any, max_size: int, jobs: int, stdin_bytes: Any) -> Any:
        seen.append(jobs)
        return real(items, max_size, jobs, stdin_bytes)

    monkeypatch.setattr(engine, "load_inputs", spy)
    monkeypatch.setattr(parallel, "default_parse_jobs", lambda: 1)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 4)
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    args = ["check", str(tmp_path / "a.yaml"), "--isolated", "--no-cache", "-q"]
    assert main(args) == 0
    assert main([*args, "--jobs", "3"]) == 0
    assert seen == [1, 3]


def test_default_jobs_without_a_load_average(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    monkeypatch.setattr(parallel.os, "getloadavg", unknown)
    assert parallel.default_parse_jobs() == 3


def test_no_worker_processes_means_serial(
    tree: Path, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    from hooklint import forked
    from hooklint.engine import load_inputs

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(38, "Function not implemented")  # e.g. no /dev/shm for semaphores

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)  # elsewhere than Linux
    monkeypatch.setattr(forked.os, "fork", refuse)  # on Linux
    items = list(discover([str(tree)], cwd=tree))
    assert parallel.load_parallel(items, 50 * 1024 * 1024, 2, None) is None
    loaded = load_inputs(items, 50 * 1024 * 1024, 2, None)
    assert snapshot(loaded) == snapshot([load_file(item) for item in items])
