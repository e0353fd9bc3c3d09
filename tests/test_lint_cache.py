"""The persistent lint cache: a warm run gives the cold run's output, and nothing stale survives.

Every test has its own cache folder (conftest's ``_private_cache``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from hooklint import parallel
from hooklint.cachedir import cache_folder
from hooklint.cli.launch import main
from hooklint.registry import Registry, load_registry
from hooklint.values import replace

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"
HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: {hook}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: example/m:1.0
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--isolated", "--quiet", *args])
    return code, capsys.readouterr().out


def lint_entries() -> dict[str, int]:
    folder = cache_folder("lint")
    names = os.listdir(folder) if folder.is_dir() else []
    return {kind: sum(1 for n in names if n.endswith(kind)) for kind in (".file", ".run")}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_warm_run_reads_the_cache_and_says_the_same(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "app").mkdir()
    (here / "app" / "job.yaml").write_text(HOOK.format(hook="Presync"), encoding="utf-8")
    cold = run(["app"], capsys)
    assert cold[0] == 1 and "app/job.yaml:6:30: HL003" in cold[1]
    assert lint_entries() == {".file": 1, ".run": 1}
    assert run(["app"], capsys) == cold
    assert lint_entries() == {".file": 1, ".run": 1}  # nothing new: the run's entry was read
    assert run(["app", "--no-cache"], capsys) == cold


def test_no_cache_reads_and_writes_nothing(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "job.yaml").write_text(HOOK.format(hook="Presync"), encoding="utf-8")
    assert run(["job.yaml", "--no-cache"], capsys)[0] == 1
    assert not cache_folder("lint").exists()


def test_the_cache_folder_is_private(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "job.yaml").write_text(HOOK.format(hook="PreSync"), encoding="utf-8")
    assert run(["job.yaml"], capsys) == (0, "")
    assert stat.S_IMODE(cache_folder("lint").stat().st_mode) == 0o700


def test_a_changed_file_is_linted_again(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = here / "job.yaml"
    job.write_text(HOOK.format(hook="PreSync"), encoding="utf-8")
    assert run(["job.yaml"], capsys) == (0, "")
    before = job.stat()
    job.write_text(HOOK.format(hook="Presync"), encoding="utf-8")  # same size
    os.utime(job, ns=(before.st_atime_ns, before.st_mtime_ns))  # and same mtime: only the bytes say
    code, out = run(["job.yaml"], capsys)
    assert code == 1 and out.startswith("job.yaml:6:30: HL003 [*] [error]")


def test_a_whole_set_finding_on_an_unchanged_file_appears(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """b.yaml never changes; renaming the object in a.yaml makes b.yaml's the second definition."""
    app = here / "app"
    app.mkdir()
    (app / "a.yaml").write_text(CONFIG_MAP.format(name="other"), encoding="utf-8")
    (app / "b.yaml").write_text(CONFIG_MAP.format(name="settings"), encoding="utf-8")
    assert run(["app"], capsys) == (0, "")
    (app / "a.yaml").write_text(CONFIG_MAP.format(name="settings"), encoding="utf-8")
    code, out = run(["app"], capsys)
    assert code == 1
    assert out.startswith("app/b.yaml:4:9: HL307 [error]")
    assert lint_entries() == {".file": 3, ".run": 2}  # b.yaml's parse was reused
    (app / "a.yaml").write_text(CONFIG_MAP.format(name="other"), encoding="utf-8")
    assert run(["app"], capsys) == (0, "")  # and it goes away again


def test_a_context_file_change_is_seen(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --context file is part of the run's key too (it can complete a whole-set rule)."""
    (here / "app").mkdir()
    (here / "base").mkdir()
    (here / "app" / "a.yaml").write_text(CONFIG_MAP.format(name="settings"), encoding="utf-8")
    (here / "base" / "b.yaml").write_text(CONFIG_MAP.format(name="other"), encoding="utf-8")
    first = run(["app", "--context", "base", "--scope", "all"], capsys)
    (here / "base" / "b.yaml").write_text(CONFIG_MAP.format(name="settings"), encoding="utf-8")
    second = run(["app", "--context", "base", "--scope", "all"], capsys)
    assert first == (0, "")
    assert second[0] == 1 and "base/b.yaml:4:9: HL307" in second[1] and "(see app/a.yaml:4:9)" in second[1]


def test_settings_are_part_of_the_key(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "job.yaml").write_text(HOOK.format(hook="Presync"), encoding="utf-8")
    assert run(["job.yaml"], capsys)[0] == 1
    assert run(["job.yaml", "--ignore", "HL003"], capsys) == (0, "")
    assert run(["job.yaml", "--exit-zero"], capsys)[0] == 0
    assert "HL003" in run(["job.yaml"], capsys)[1]
    config = here / ".hooklint.yaml"
    config.write_text("rules:\n  HL003:\n    severity: info\n", encoding="utf-8")
    code, out = main(["check", "job.yaml", "--quiet"]), capsys.readouterr().out
    assert code == 0 and "HL003 [*] [info]" in out
    config.write_text("ignore: [HL003]\n", encoding="utf-8")
    code, out = main(["check", "job.yaml", "--quiet"]), capsys.readouterr().out
    assert (code, out) == (0, "")


def test_the_argocd_version_and_the_rules_are_part_of_the_key(here: Path, registry: Registry) -> None:
    from hooklint.cli.commands import make_resolver
    from hooklint.engine import LintOptions
    from hooklint.lintcache import RunCache
    from hooklint.sources.files import InputFile

    (here / "job.yaml").write_text(HOOK.format(hook="PreSync"), encoding="utf-8")
    items = [InputFile(here / "job.yaml", "job.yaml")]
    options = LintOptions(paths=("job.yaml",), cache=True)

    def key(version: str | None, rules: Registry = registry, **changes: Any) -> str:
        resolver = make_resolver(None, True, argocd_version=version)
        return RunCache.open(rules, resolver, replace(options, **changes), here, items, None).run

    assert key("3.0") == key("3.0")
    assert key("3.0", jobs=4) == key("3.0")  # --jobs changes nothing in the output
    assert len({key("3.0"), key("2.9"), key(None), key("3.0", select=("HL003",))}) == 4
    assert key("3.0", load_registry(plugins=False)) == key("3.0")
    narrowed = Registry()
    for spec in registry.specs:
        if spec.code != "HL003":
            narrowed.add_spec(spec)
            narrowed.add_check(registry.check_for(spec))
    assert key("3.0", narrowed) != key("3.0")


def test_a_damaged_cache_is_a_miss(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "job.yaml").write_text(HOOK.format(hook="Presync"), encoding="utf-8")
    cold = run(["job.yaml"], capsys)
    for name in os.listdir(cache_folder("lint")):
        (cache_folder("lint") / name).write_bytes(b"\x80garbage")
    assert run(["job.yaml"], capsys) == cold


def test_stdin_is_cached_by_its_bytes(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    outs = []
    for hook in ("PreSync", "Presync", "PreSync"):
        data = HOOK.format(hook=hook).encode()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        outs.append(run(["-"], capsys))
    assert outs[0] == outs[2] == (0, "")
    assert outs[1][0] == 1 and "HL003" in outs[1][1]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    generate(root, documents=150, files=30)
    (root / "apps" / "broken.yaml").write_text("kind: Job\nmetadata: {name: [\n", encoding="utf-8")
    (root / "apps" / "binary.yaml").write_bytes(b"\x00\x01\x02")
    return root


def test_findings_equal_with_and_without_cache_and_jobs(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES", 2)  # parallel parsing even on this small tree
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    monkeypatch.chdir(tree)
    reference = run(["--no-cache", "--jobs", "1", "."], capsys)
    assert reference[0] == 1 and reference[1].count("\n") > 20  # the tree has findings
    outputs = {
        "no cache, 3 jobs": run(["--no-cache", "--jobs", "3", "."], capsys),
        "cold, 3 jobs": run(["--jobs", "3", "."], capsys),  # workers store the parsed files
        "warm, 3 jobs": run(["--jobs", "3", "."], capsys),
        "warm, 1 job": run(["--jobs", "1", "."], capsys),
        "default jobs": run(["."], capsys),
    }
    assert lint_entries()[".file"] == 32  # every file parsed once, by whichever process
    for label, output in outputs.items():
        assert output == reference, label
    victim = next(p for p in sorted(tree.rglob("*.yaml")) if "hook: PreSync" in p.read_text(encoding="utf-8"))
    victim.write_text(
        victim.read_text(encoding="utf-8").replace("hook: PreSync", "hook: Presync"), encoding="utf-8"
    )
    changed = run(["--jobs", "3", "."], capsys)
    assert changed == run(["--no-cache", "--jobs", "1", "."], capsys)
    assert changed != reference


# -- the stat index: unchanged files are not even read ----------------------------------------


def _aged(path: Path, text: str, seconds: int = 100) -> None:
    """Write ``path`` and date it ``seconds`` back: older than the stat index's racy window."""
    path.write_text(text, encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 1_000_000_000))


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from hooklint.sources import files

    reads: list[str] = []
    real = files.read_input

    def counting(item: Any, *args: Any) -> Any:
        reads.append(item.display)
        return real(item, *args)

    monkeypatch.setattr(files, "read_input", counting)
    return reads


def test_an_unchanged_file_is_not_read_again(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _aged(here / "job.yaml", HOOK.format(hook="Presync"))
    _aged(here / "cm.yaml", CONFIG_MAP.format(name="settings"))
    cold = run(["job.yaml", "cm.yaml"], capsys)
    assert cold[0] == 1 and "job.yaml:6:30: HL003" in cold[1]
    reads = _count_reads(monkeypatch)
    assert run(["job.yaml", "cm.yaml"], capsys) == cold
    assert reads == []
    _aged(here / "cm.yaml", CONFIG_MAP.format(name="other"))  # changed: read, the other is not
    assert run(["job.yaml", "cm.yaml"], capsys) == cold
    assert reads == ["cm.yaml"]


def test_a_rewrite_that_keeps_size_and_mtime_is_read(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = here / "job.yaml"
    _aged(job, HOOK.format(hook="PreSync"))
    assert run(["job.yaml"], capsys) == (0, "")
    before = job.stat()
    job.write_text(HOOK.format(hook="Presync"), encoding="utf-8")  # same size
    os.utime(job, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: the ctime differs
    reads = _count_reads(monkeypatch)
    code, out = run(["job.yaml"], capsys)
    assert code == 1 and out.startswith("job.yaml:6:30: HL003 [*] [error]")
    assert reads == ["job.yaml"]


def test_a_file_changed_just_before_it_was_hashed_is_read_next_time(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "job.yaml").write_text(HOOK.format(hook="PreSync"), encoding="utf-8")  # mtime: now
    assert run(["job.yaml"], capsys) == (0, "")
    reads = _count_reads(monkeypatch)
    assert run(["job.yaml"], capsys) == (0, "")
    assert reads == ["job.yaml"]


def test_bytes_that_differ_from_the_recorded_key_are_keyed_by_their_own(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change the stat index cannot see (same times: within one clock tick), then the
    file's parse entry lost: the file is read to be parsed, and keyed by what was read."""
    import pickle

    job = here / "job.yaml"
    _aged(job, HOOK.format(hook="PreSync"))
    assert run(["job.yaml"], capsys) == (0, "")
    _aged(job, HOOK.format(hook="Presync"))
    folder = cache_folder("lint")
    (index_path,) = folder.glob("*.stat")
    index = pickle.loads(index_path.read_bytes())
    ((where, (_, old_key)),) = index.items()
    info = job.stat()
    index[where] = ((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev), old_key)
    index_path.write_bytes(pickle.dumps(index))
    for entry in [*folder.glob("*.file"), *folder.glob("*.run")]:
        entry.unlink()
    code, out = run(["job.yaml"], capsys)
    assert code == 1 and out.startswith("job.yaml:6:30: HL003")
    assert not (folder / f"{old_key}.file").exists()  # the new parse went under its own key


def test_a_warm_run_imports_no_yaml_parser(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "a.yaml").write_text(HOOK.format(hook="Presync"), encoding="utf-8")
    info = (tmp_path / "a.yaml").stat()
    os.utime(tmp_path / "a.yaml", ns=(info.st_atime_ns, info.st_mtime_ns - 100 * 1_000_000_000))
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', '-q', 'a.yaml']); "
        "print(rc, sorted({m.split('.')[0] for m in sys.modules if m.startswith(('ruamel', '_ruamel'))}))"
    )
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(tmp_path / "cache")}
    lines = []
    for _ in ("cold", "warm"):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, env=env
        )
        lines.append(result.stdout.splitlines()[-1])
    assert lines == ["1 ['_ruamel_yaml', 'ruamel']", "1 []"]
