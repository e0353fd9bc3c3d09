"""Shared test helpers: lint text in memory, exactly as the CLI would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hooklint.config import Config
from hooklint.engine import LintOptions, Report, active_rules, analyse
from hooklint.registry import Registry, load_registry
from hooklint.sources.files import LoadedFile, load_bytes, looks_like_go_template

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

#: A hook Job with a fixed name and only HookFailed: one HL101 at line 7, column 44.
BAD_HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: example/migrate:1.0
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own cache folder: no test reads what another one (or the user) cached."""
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(plugins=False)


def lint_texts(
    files: dict[str, str],
    select: tuple[str, ...] | None = None,
    config: Config | None = None,
    context: dict[str, str] | None = None,
    include_suppressed: bool = False,
    full_run: bool = False,
    templates_as_charts: bool = False,
) -> Report:
    """Lint in-memory files (name -> YAML text) with the built-in rules.

    ``full_run``: as a CLI run without --select/--ignore (HL009 reports unused suppressions).
    With ``templates_as_charts``, a Go/Helm template is linted as a chart's template
    without rendering (as ``hooklint check CHART --no-render``), not skipped with a note.
    """
    registry = _registry()
    config = config or Config()
    rules = active_rules(registry, config, LintOptions(paths=(), select=select))
    loaded = [
        f
        for name, text in files.items()
        for f in (_load_text(name, text) if templates_as_charts else [load_bytes(text.encode("utf-8"), name)])
    ]
    loaded += [load_bytes(t.encode("utf-8"), n, is_target=False) for n, t in (context or {}).items()]
    return analyse(rules, registry, config, loaded, include_suppressed, full_run=full_run)


def _load_text(name: str, text: str) -> list[LoadedFile]:
    """A file as the CLI loads it; a Helm template as a chart linted without rendering."""
    if not looks_like_go_template(text):
        return [load_bytes(text.encode("utf-8"), name)]
    import tempfile

    from hooklint.sources.detect import SourceInput
    from hooklint.sources.helm.settings import HelmRun
    from hooklint.sources.helm.source import HelmSource

    with tempfile.TemporaryDirectory() as folder:
        chart = Path(folder)
        (chart / "templates").mkdir()
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: test\nversion: 0.1.0\n")
        (chart / "templates" / name).write_text(text)
        place = SourceInput("helm", chart, "chart")
        return HelmSource(place, HelmRun(render=False), 50 * 1024 * 1024, None).load_static("test")


def lint_text(text: str, select: tuple[str, ...] | None = None, **kwargs: Any) -> Report:
    return lint_texts({"test.yaml": text}, select, **kwargs)


def codes_lines(report: Report) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in report.findings]


_REGISTRY: Registry | None = None


def _registry() -> Registry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_registry(plugins=False)
    return _REGISTRY


# -- Helpers shared by several test modules (append new ones below; keep the order above) --

#: A ConfigMap whose wave "1.5" is not an integer: one HL002 at line 6.
BAD_WAVE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "1.5"
"""
#: A ConfigMap with no annotations: no findings.
CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"

#: BAD_HOOK's ``spec:`` (backoffLimit 1, activeDeadlineSeconds 600, one container), from its line 8.
JOB_TAIL = BAD_HOOK[BAD_HOOK.index("spec:\n") :]


def hook_job(annotations: str, tail: str = JOB_TAIL) -> str:
    """Job/db-migrate with ``annotations`` (lines indented four spaces) from line 6, then ``tail``.

    ``hook_job(PreSync and HookFailed lines) == BAD_HOOK`` (tests/test_conftest_helpers.py).
    """
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db-migrate\n  annotations:\n"
        + annotations
        + tail
    )


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``hooklint argv`` in process: its exit code, stdout and stderr."""
    from hooklint.cli.app import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
