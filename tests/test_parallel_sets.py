"""Whole manifest sets on several processes (hooklint.parallel_sets): the serial run's exact
report, and the usual way wherever a set could span shares."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from hooklint import forked, parallel, parallel_sets
from hooklint.config import ConfigResolver
from hooklint.engine import LintOptions, Report, lint
from hooklint.registry import Registry
from hooklint.sources.files import InputFile
from tests.conftest import BAD_HOOK

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sets path forks its workers")

SUPPRESSED_HOOK = BAD_HOOK.replace("HookFailed\n", "HookFailed  # hooklint: ignore[HL101]\n")
STALE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stale\ndata:\n  a: b  # hooklint: ignore[HL002]\n"


@pytest.fixture
def low_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A generated monorepo, files that go wrong in different ways, suppressions used and
    stale, and a team folder with a config of its own (another Argo CD version, a severity)."""
    generate(tmp_path, documents=120, files=40)
    apps = tmp_path / "apps"
    (apps / "broken.yaml").write_text("kind: Job\nmetadata: {name: [\n", encoding="utf-8")
    (apps / "latin1.yaml").write_bytes(b"kind: ConfigMap\ndata: {a: caf\xe9}\n")
    (apps / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (apps / "template.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n", encoding="utf-8")
    (apps / "hook.yaml").write_text(SUPPRESSED_HOOK, encoding="utf-8")
    (apps / "stale.yaml").write_text(STALE, encoding="utf-8")
    team = next(p for p in sorted(apps.iterdir()) if p.is_dir())
    (team / ".hooklint.yaml").write_text(
        'argocd-version: "2.10"\nrules:\n  HL202:\n    severity: error\n', encoding="utf-8"
    )
    (team / "hook.yaml").write_text(SUPPRESSED_HOOK, encoding="utf-8")
    (team / "stale.yaml").write_text(STALE, encoding="utf-8")
    return tmp_path


def everything(report: Report) -> Any:
    return (
        report.findings,
        report.notices,
        report.files,
        report.documents,
        report.suppressed,
        report.paths,
        [(rule.spec.code, rule.severity) for rule in report.rules],
    )


def spy(monkeypatch: pytest.MonkeyPatch) -> list[Report | None]:
    """What each run's lint_sets returned (None: the usual way)."""
    seen: list[Report | None] = []
    real = parallel_sets.lint_sets

    def recording(*args: Any, **kwargs: Any) -> Report | None:
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(parallel_sets, "lint_sets", recording)
    return seen


def run(registry: Registry, root: Path, jobs: int, **options: Any) -> Report:
    resolver = ConfigResolver(options.pop("config", None))
    return lint(registry, resolver, LintOptions(paths=(str(root),), jobs=jobs, **options), cwd=root)


def assert_the_usual_way(registry: Registry, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A two-job run leaves ``tree`` to the usual way (lint_sets says None), and its report is
    the serial one."""
    seen = spy(monkeypatch)
    shared = run(registry, tree, 2)
    assert seen == [None]
    assert everything(shared) == everything(run(registry, tree, 1))


@pytest.mark.parametrize("include_suppressed", [False, True])
def test_the_sets_path_gives_the_serial_report(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch, include_suppressed: bool
) -> None:
    seen = spy(monkeypatch)
    serial = run(registry, tree, 1, include_suppressed=include_suppressed)
    assert seen == []  # one job: never asked
    shared = run(registry, tree, 2, include_suppressed=include_suppressed)
    assert len(seen) == 1 and seen[0] is shared  # the sets path made this report
    assert everything(shared) == everything(serial)
    codes = {f.code for f in serial.findings}
    assert {"HL000", "HL009", "HL202", "HL301", "HL307"} <= codes  # sets and files both found things
    assert serial.suppressed == 2 and len(serial.notices) == 2  # two HL101s; binary, template
    severities = {(f.path.split("/")[1], f.severity.value) for f in serial.findings if f.code == "HL202"}
    assert len({severity for _, severity in severities}) == 2  # each folder under its own config


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "app.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\n"
            "spec:\n  source: {repoURL: 'https://example.com/r.git', path: apps}\n"
            "  destination: {namespace: a, server: 'https://kubernetes.default.svc'}\n",
        ),
        (
            "argocd-cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata:\n"
            '  resource.customizations.health.example.com_Widget: "hs = {}\\nreturn hs"\n',
        ),
    ],
)
def test_an_application_or_health_checks_leave_the_tree_to_the_usual_way(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    (tree / "apps" / name).write_text(text, encoding="utf-8")
    assert_the_usual_way(registry, tree, monkeypatch)


def test_an_application_spelled_with_escapes_is_found_by_its_share(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the bytes never say "Application": the share that parses it says so, and the run is redone
    text = (
        'apiVersion: argoproj.io/v1alpha1\nkind: "Applic\\x61tion"\nmetadata: {name: a, namespace: argocd}\n'
        "spec:\n  source: {repoURL: 'https://example.com/r.git', path: apps}\n"
        "  destination: {namespace: a, server: 'https://kubernetes.default.svc'}\n"
    )
    (tree / "apps" / "app.yaml").write_text(text, encoding="utf-8")
    assert not any(word in text.encode() for word in parallel_sets.WHOLE_TREE_WORDS)
    assert_the_usual_way(registry, tree, monkeypatch)  # the pre-scan let it through: its share said no


def test_scope_all_makes_one_set_of_everything(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / ".hooklint.yaml").write_text("scope: all\n", encoding="utf-8")
    assert_the_usual_way(registry, tree, monkeypatch)


def test_scope_file_and_dir_are_shared(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for scope in ("file", "dir"):
        (tree / ".hooklint.yaml").write_text(f"scope: {scope}\n", encoding="utf-8")
        seen = spy(monkeypatch)
        shared = run(registry, tree, 2)
        assert seen == [shared], scope
        assert everything(shared) == everything(run(registry, tree, 1)), scope


def test_shares_hold_whole_folders_in_input_order(tree: Path) -> None:
    items = [InputFile(p, p.relative_to(tree).as_posix()) for p in sorted(tree.rglob("*.yaml"))]
    data: list[bytes | str] = [p.read_bytes() for p in sorted(tree.rglob("*.yaml"))]
    shares = parallel_sets._shares(items, data, 2)
    assert sorted(i for share in shares for i in share) == list(range(len(items)))  # each input once
    assert all(share == sorted(share) for share in shares)
    folder_of = {i: str(Path(items[i].display).parent) for i in range(len(items))}
    owners = {folder_of[i]: n for n, share in enumerate(shares) for i in share}
    assert all(owners[folder_of[i]] == n for n, share in enumerate(shares) for i in share)
    assert len(shares) > 2  # several per process: a slow share holds no one up


def test_what_a_share_sends_back_pickles(tree: Path) -> None:
    share = parallel_sets._Share([(0, [], 3)], [(1, [], 2)], [(1, "k")])
    assert pickle.loads(pickle.dumps(share)) == share


def test_no_worker_processes_means_the_usual_way(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")  # e.g. a process limit

    monkeypatch.setattr(forked.os, "fork", refuse)
    assert_the_usual_way(registry, tree, monkeypatch)


def test_a_failing_worker_means_the_usual_way(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fork = forked.os.fork

    def fork_then_fail() -> int:
        pid = real_fork()
        if pid == 0:  # the worker: each share it takes fails (the main process's do not)
            monkeypatch.setattr(parallel_sets, "analyse", None)
        return pid

    monkeypatch.setattr(forked.os, "fork", fork_then_fail)
    assert_the_usual_way(registry, tree, monkeypatch)


def test_forked_calls_come_back_in_order() -> None:
    assert forked.run_forked(_square, range(50), 3) == [n * n for n in range(50)]
    assert forked.run_forked(_square, [], 2) == []
    assert forked.run_forked(_square, range(5), 1) is None  # no worker: the caller's own way
    offsets = [1000 * n for n in range(20)]  # in memory only: workers are forked, not sent it
    assert forked.run_forked(lambda n: offsets[n] + n, range(20), 2) == [1001 * n for n in range(20)]


def _square(number: int) -> int:
    return number * number


def test_a_bad_selection_fails_as_in_the_serial_run(tree: Path, registry: Registry, low_thresholds: None) -> None:
    from hooklint.registry import SelectorError

    with pytest.raises(SelectorError) as serial:
        run(registry, tree, 1, select=("HL999",))
    with pytest.raises(SelectorError) as shared:
        run(registry, tree, 2, select=("HL999",))
    assert str(shared.value) == str(serial.value)


def test_the_cache_with_shares_never_hides_a_finding(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy(monkeypatch)
    reference = everything(run(registry, tree, 1))
    cold = run(registry, tree, 2, cache=True)  # the workers parse and store every file
    assert seen == [cold] and everything(cold) == reference
    warm = run(registry, tree, 2, cache=True)  # the run's own entry: nothing parsed
    assert len(seen) == 1 and everything(warm) == reference
    victim = next(p for p in sorted(tree.rglob("part-*.yaml")) if "hook: PreSync" in p.read_text())
    victim.write_text(victim.read_text().replace("hook: PreSync", "hook: Presync"), encoding="utf-8")
    changed = run(registry, tree, 2, cache=True)  # entries for the rest, one file parsed again
    assert seen[-1] is changed
    assert everything(changed) == everything(run(registry, tree, 1))
    assert everything(changed) != reference


def test_an_input_the_stat_index_spared_follows_its_bytes(tree: Path, registry: Registry) -> None:
    from hooklint.lintcache import RunCache, file_key

    items = [InputFile(p, p.relative_to(tree).as_posix()) for p in sorted(tree.rglob("*.yaml"))]
    options = LintOptions(paths=(str(tree),), cache=True)
    store = RunCache.open(registry, ConfigResolver(None), options, tree, items, None)
    store.prepare()
    right = store.run
    store.data[0] = None  # as if the stat index gave its key: stale, the bytes changed since
    store.rekey([(0, "0" * 40)])
    before = store.run
    data = items[0].path.read_bytes() if items[0].path else b""
    loaded, key = store.load_item(0, items[0], options.max_file_size, data)
    assert key == file_key(store.salt, items[0], data) and loaded.source.path == items[0].display
    store.rekey([(0, key)])
    assert store.keys[0] == key and store.run != before and store.run == right
    again, same = store.load_item(0, items[0], options.max_file_size, data)
    assert same is None and again == loaded  # now from its entry, under the new key


def test_files_by_config_groups_paths_by_their_config_in_order(tree: Path) -> None:
    from hooklint.engine import files_by_config

    displays = [p.relative_to(tree).as_posix() for p in sorted(tree.rglob("*.yaml"))]
    resolver = ConfigResolver(None)
    configs = files_by_config(resolver, displays, tree)
    assert len(configs) == 2  # the tree's default and the team folder's own
    assert sorted(path for _, paths in configs for path in paths) == sorted(displays)
    for config, paths in configs:
        assert all(resolver.for_file(tree / path) is config for path in paths)
    first = resolver.for_file(tree / displays[0])
    assert configs[0][0] is first  # in the order the paths first use them


def test_whole_sets_use_every_cpu_whatever_the_load(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --jobs not given on a busy machine: files parsed for this process would use one job
    # (parse_jobs), but a share sends back only findings, so the sets path still forks
    seen = spy(monkeypatch)
    report = run(registry, tree, 2, parse_jobs=1)
    assert seen == [report]
    assert everything(report) == everything(run(registry, tree, 1))


@pytest.mark.parametrize(
    "options",
    [{"select": ("HL009", "HL101", "HL202", "HL307")}, {"ignore": ("HL307",)}, {"exclude": ("**/part-1.yaml",)}],
    ids=["select", "ignore", "exclude"],
)
def test_narrowed_runs_give_the_serial_report(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch, options: dict[str, Any]
) -> None:
    seen = spy(monkeypatch)
    shared = run(registry, tree, 2, **options)
    assert seen == [shared]
    assert everything(shared) == everything(run(registry, tree, 1, **options))


def test_context_files_are_shared_as_the_serial_run_sees_them(
    tree: Path, registry: Registry, low_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    teams = sorted(p for p in (tree / "apps").iterdir() if p.is_dir())
    targets, context = teams[0], teams[1]
    seen = spy(monkeypatch)

    def lint_with_context(jobs: int) -> Report:
        options = LintOptions(paths=(str(targets),), context=(str(context),), jobs=jobs)
        return lint(registry, ConfigResolver(None), options, cwd=tree)

    shared = lint_with_context(2)
    assert seen == [shared]  # the context files went into the shares too
    serial = lint_with_context(1)
    assert everything(shared) == everything(serial)
    assert serial.files < len(list(targets.rglob("*.yaml"))) + len(list(context.rglob("*.yaml")))
