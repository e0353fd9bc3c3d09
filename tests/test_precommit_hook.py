"""The real pre-commit, running this checkout's hook on a temporary git repository.

The hook is installed from this checkout at its HEAD commit (CI runs on a clean clone
of a committed branch, so HEAD holds the code under test).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAD_HOOK, REPO

pytestmark = pytest.mark.slow

FIXED_HOOK = BAD_HOOK.replace("hook-delete-policy: HookFailed", "hook-delete-policy: BeforeHookCreation")
HELM_TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "shop.fullname" . }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed
{{- with .Values.job }}
spec:
  backoffLimit: {{ .backoffLimit }}
{{- end }}
"""
HOOK_LINE = "hooklint (Argo CD hooks and sync waves)"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        NO_COLOR="1",
    )
    return env


def _head() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("not a git checkout (the hook is installed from a commit)")
    return result.stdout.strip()


def test_pre_commit_runs_the_hook_on_staged_files(tmp_path: Path) -> None:
    rev = _head()
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path / "pre-commit-home")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    git("init", "-q")
    git("config", "commit.gpgsign", "false")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: hooklint\n", encoding="utf-8"
    )
    (repo / "deploy").mkdir()
    job = repo / "deploy" / "db-migrate.yaml"
    job.write_text(BAD_HOOK, encoding="utf-8")
    git("add", ".pre-commit-config.yaml", "deploy/db-migrate.yaml")

    # A staged manifest with a named hook that never re-runs: the hook fails with the finding.
    bad = pre_commit("run")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"{HOOK_LINE}" in bad.stdout and "Failed" in bad.stdout
    assert "deploy/db-migrate.yaml:7:44: HL101 [*] [warning] hook Job/db-migrate has a fixed name" in bad.stdout

    # Fixed and staged again: it passes, and a real commit goes through the installed hook.
    job.write_text(FIXED_HOOK, encoding="utf-8")
    git("add", "deploy/db-migrate.yaml")
    good = pre_commit("run")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    install = pre_commit("install")
    assert install.returncode == 0, install.stdout + install.stderr
    commit = subprocess.run(
        ["git", "commit", "-m", "fixed hook"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert HOOK_LINE in commit.stdout + commit.stderr

    # A staged Helm template alone is one note, never a failed commit.
    templates = repo / "charts" / "shop" / "templates"
    templates.mkdir(parents=True)
    (templates / "job.yaml").write_text(HELM_TEMPLATE, encoding="utf-8")
    git("add", "charts/shop/templates/job.yaml")
    helm = pre_commit("run", "--verbose")
    assert helm.returncode == 0, helm.stdout + helm.stderr
    assert "charts/shop/templates/job.yaml: note: Go/Helm template" in helm.stdout
    assert "HL0" not in helm.stdout
    commit = subprocess.run(
        ["git", "commit", "-m", "chart"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert commit.returncode == 0, commit.stdout + commit.stderr


CHART_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "shop.name" . }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: busybox
"""


def test_a_staged_helper_renders_its_chart_and_non_chart_files_stay_out(tmp_path: Path) -> None:
    """types_or/files pass a chart's _helpers.tpl and NOTES.txt; --skip-unknown-files drops the
    same kinds of names outside charts (an HTML template, a Terraform .tpl)."""
    rev = _head()
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path / "pre-commit-home")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("config", "commit.gpgsign", "false")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: hooklint\n", encoding="utf-8"
    )
    chart = repo / "charts" / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n", encoding="utf-8")
    (chart / "values.yaml").write_text("{}\n", encoding="utf-8")
    (chart / "templates" / "job.yaml").write_text(CHART_JOB, encoding="utf-8")
    helpers = chart / "templates" / "_helpers.tpl"
    helpers.write_text('{{- define "shop.name" -}}shop{{- end }}\n', encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "chart")  # no hook installed yet: committed as it is

    helpers.write_text('{{- define "shop.name" -}}{{ .Chart.Name }}{{- end }}\n', encoding="utf-8")
    (chart / "templates" / "NOTES.txt").write_text("Installed {{ .Release.Name }}.\n", encoding="utf-8")
    (repo / "web" / "templates").mkdir(parents=True)
    (repo / "web" / "templates" / "index.html").write_text("<p>{{ user.name }}</p>\n", encoding="utf-8")
    (repo / "infra").mkdir()
    (repo / "infra" / "userdata.tpl").write_text("#!/bin/sh\necho ${name} &&\n", encoding="utf-8")
    (repo / "README.md").write_text("# repo\n", encoding="utf-8")
    git("add", ".")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # the staged helper made the chart be linted: the template's finding, on its line
    assert "charts/shop/templates/job.yaml:7:44: HL101 " in out, out
    assert "HL000" not in out and "index.html" not in out and "userdata.tpl" not in out, out
