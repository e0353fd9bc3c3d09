"""The wheel and sdist carry the rule docs, the config schema and py.typed, and an
installed wheel works on its own (no fallback to this checkout's rules/)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BAD_HOOK, REPO

pytestmark = pytest.mark.slow

RULE_DOCS = sorted(p.name for p in (REPO / "rules").glob("*.md"))
MODULES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "hooklint").rglob("*.py"))


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then the wheel built *from the sdist* (python -m build), as PyPI users get them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        env=_clean_env(),
    )
    return out


def _one(folder: Path, pattern: str) -> Path:
    found = list(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_wheel_file_list(dist: Path) -> None:
    wheel = _one(dist, "hooklint-*-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    assert {f"hooklint/_rules/{doc}" for doc in RULE_DOCS} <= names
    assert set(MODULES) <= names
    assert "hooklint/schema/config.schema.json" in names
    assert "hooklint/argocd/health/builtin_checks.tsv" in names  # HL309's table of Argo CD health checks
    assert "hooklint/py.typed" in names
    assert f"{info}/licenses/LICENSE" in names
    assert not any(n.startswith(("tests/", "rules/", "examples/")) for n in names)
    entry_points = zipfile.ZipFile(wheel).read(f"{info}/entry_points.txt").decode()
    assert "hooklint = hooklint.cli.launch:entry" in entry_points


def test_wheel_metadata(dist: Path) -> None:
    wheel = _one(dist, "hooklint-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
    for line in (
        "License-Expression: Apache-2.0",
        "License-File: LICENSE",
        "Requires-Python: >=3.10",
        "Classifier: Programming Language :: Python :: 3.11",
        "Classifier: Typing :: Typed",
        "Project-URL: Source, https://github.com/hooklint/hooklint",
        "Project-URL: Issues, https://github.com/hooklint/hooklint/issues",
        "Description-Content-Type: text/markdown",
    ):
        assert line in metadata.splitlines()


def test_sdist_file_list(dist: Path) -> None:
    sdist = _one(dist, "hooklint-*.tar.gz")
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert {f"rules/{doc}" for doc in RULE_DOCS} <= names
    assert set(MODULES) <= names
    for name in (
        "hooklint/schema/config.schema.json",
        "hooklint/py.typed",
        "LICENSE",
        "README.md",
        "pyproject.toml",
        ".pre-commit-hooks.yaml",
        "tests/conftest.py",
    ):
        assert name in names, name
    assert top.startswith("hooklint-")


def test_installed_wheel_runs_on_its_own(dist: Path, tmp_path: Path) -> None:
    """A fresh venv with only the wheel (and its dependencies): rules, rule docs, checks, config schema."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    hooklint = venv / "bin" / "hooklint"
    wheel = _one(dist, "hooklint-*-py3-none-any.whl")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env=_clean_env(),
    )
    work = tmp_path / "work"  # not the checkout: nothing may come from its rules/
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(hooklint), *args], cwd=work, capture_output=True, text=True, env=_clean_env()
        )

    where = subprocess.run(
        [str(python), "-c", "from hooklint.spec import builtin_rules_dir as d; print(d())"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where) == next(venv.glob("lib/python*/site-packages/hooklint/_rules"))

    rules = run("rules")
    assert rules.returncode == 0, rules.stderr
    lines = rules.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "DEFAULT", "FIX", "SUMMARY"]
    assert len(lines) == 1 + len(RULE_DOCS)
    assert ["HL101", "named-hook-without-before-hook-creation", "warning"] in [ln.split()[:3] for ln in lines]

    doc = run("rule", "HL101")
    assert doc.returncode == 0, doc.stderr
    assert doc.stdout.startswith("# HL101 named-hook-without-before-hook-creation\n")
    assert "## Why is this bad?" in doc.stdout

    (work / "job.yaml").write_text(BAD_HOOK, encoding="utf-8")
    found = run("check", "job.yaml")
    assert found.returncode == 1
    assert found.stdout.startswith("job.yaml:7:44: HL101 [*] [warning] hook Job/db-migrate")

    # HL309 reads the health-check table shipped in the package: Certificate has one, Database none
    waves = "".join(
        f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {kind.lower()}\n"
        f'  annotations: {{argocd.argoproj.io/sync-wave: "{wave}"}}\n'
        for api, kind, wave in (("db.example.com/v1", "Database", 0), ("cert-manager.io/v1", "Certificate", 1),
                                ("v1", "ConfigMap", 2))
    )  # fmt: skip
    (work / "waves.yaml").write_text(waves, encoding="utf-8")
    health = run("check", "--select", "HL309", "--fail-on", "info", "waves.yaml")
    assert health.returncode == 1, health.stderr
    assert [line.split(": ")[0] for line in health.stdout.splitlines()[:-1]] == ["waves.yaml:6:47"]

    (work / ".hooklint.yaml").write_text("selct: [ALL]\n", encoding="utf-8")
    bad_config = run("check", "job.yaml")
    assert bad_config.returncode == 2
    assert bad_config.stderr.startswith("hooklint: error: ") and "unknown key 'selct'" in bad_config.stderr
