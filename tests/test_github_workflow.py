"""The composite GitHub Action (action.yml) and the shipped workflow that uses it.

A test runner plays GitHub's part: it fills ``${{ inputs.* }}`` and
``${{ github.action_path }}``, gives each ``run`` step the environment GitHub gives
(``GITHUB_OUTPUT``, ``GITHUB_PATH``, ``RUNNER_TEMP``) and runs it with bash in a temp
repository, so the action's own commands are what is tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hooklint.yaml.reader import parse_yaml
from tests.conftest import REPO

ACTION = REPO / "action.yml"
WORKFLOW = REPO / "examples" / "github-workflow.yml"
BAD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
  annotations:
    argocd.argoproj.io/sync-wave: "1.5"
"""
EXPRESSION = re.compile(r"\$\{\{\s*([a-z_.-]+)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps are bash scripts")


def load(path: Path) -> dict[str, Any]:
    docs, problems = parse_yaml(path.read_text(encoding="utf-8"))
    assert not problems
    return docs[0].value  # type: ignore[no-any-return]


def jobs() -> dict[str, Any]:
    return load(WORKFLOW)["jobs"]  # type: ignore[no-any-return]


def lint_step(job: dict[str, Any]) -> dict[str, Any]:
    [step] = [s for s in job["steps"] if s.get("name") == "Lint manifests"]
    assert step["uses"].startswith("hooklint/hooklint@")
    return step


class Runner:
    """Runs action.yml's ``run`` steps as GitHub's runner would."""

    def __init__(self, repo: Path, tmp: Path, inputs: dict[str, str]) -> None:
        action = load(ACTION)
        self.steps = action["runs"]["steps"]
        assert action["runs"]["using"] == "composite"
        self.inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        unknown = set(inputs) - set(self.inputs)
        assert not unknown, f"the workflow passes inputs the action lacks: {unknown}"
        self.inputs.update(inputs)
        self.repo = repo
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.path_file = tmp / "github-path"
        self.path_file.write_text("")
        self.extra_path: list[str] = []
        self.outputs: dict[str, str] = {}

    def expand(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("inputs."):
                return self.inputs[name.removeprefix("inputs.")]
            assert name == "github.action_path", f"the test runner does not know {name}"
            return str(REPO)

        return EXPRESSION.sub(value, text)

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        [step] = [s for s in self.steps if s.get("name") == name]
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must reach scripts through env, never pasted in"
        output_file = self.temp / f"output-{name}"
        output_file.write_text("")
        path = os.pathsep.join([*self.extra_path, os.environ.get("PATH", "")])
        env = {
            **os.environ,
            "PATH": path,
            **{key: self.expand(str(value)) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(self.path_file),
            "RUNNER_TEMP": str(self.temp),
        }
        env.pop("NO_COLOR", None)
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=self.repo, env=env, capture_output=True, text=True, timeout=600
        )
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            self.outputs[key] = value
        self.extra_path = [p for p in self.path_file.read_text().splitlines() if p][::-1]
        return done


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "deploy").mkdir(parents=True)
    (root / "deploy" / "app.yaml").write_text(BAD)
    (root / ".hooklint.yaml").write_text("fail-on: warning\n")
    return root


def installed(runner: Runner) -> None:
    """Skip the install step: put the hooklint under test on PATH instead."""
    runner.extra_path = [str(Path(sys.executable).parent)]


def test_sarif_job_writes_the_file_the_upload_step_reads(repo: Path, tmp_path: Path) -> None:
    job = jobs()["code-scanning"]
    assert job["permissions"]["security-events"] == "write"
    step = lint_step(job)
    runner = Runner(repo, tmp_path, step["with"])
    installed(runner)
    done = runner.run("Lint manifests")
    assert done.returncode == 0, done.stderr  # findings: code scanning judges, the upload runs
    assert done.stdout == ""
    assert done.stderr == "hooklint: wrote the sarif report to hooklint.sarif\n"
    assert runner.outputs == {"exit-code": "1", "sarif-file": "hooklint.sarif"}
    [upload] = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{step['id']}.outputs.sarif-file }}}}"
    log = json.loads((repo / runner.outputs["sarif-file"]).read_text(encoding="utf-8"))
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/app.yaml"


def test_annotation_job_fails_on_findings(repo: Path, tmp_path: Path) -> None:
    runner = Runner(repo, tmp_path, lint_step(jobs()["annotations"]).get("with", {}))
    installed(runner)
    done = runner.run("Lint manifests")
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=deploy/app.yaml,line=6,col=35,endLine=6,endColumn=40,title=hooklint HL002::")
    assert runner.outputs == {"exit-code": "1"}


def test_args_and_paths_are_split_into_words_and_never_run(repo: Path, tmp_path: Path) -> None:
    runner = Runner(repo, tmp_path, {"paths": "deploy/app.yaml $(touch pwned)", "args": "--select HL1 -q"})
    installed(runner)
    done = runner.run("Lint manifests")
    assert done.returncode == 2  # "$(touch" is a path that does not exist, not a command
    assert done.stderr == "hooklint: error: $(touch: no such file or directory\n"
    assert not (repo / "pwned").exists()
    (tmp_path / "again").mkdir()
    runner = Runner(repo, tmp_path / "again", {"args": "--select HL1"})
    installed(runner)
    assert runner.run("Lint manifests").returncode == 0  # HL002 not selected


def test_an_unknown_format_is_an_error(repo: Path, tmp_path: Path) -> None:
    runner = Runner(repo, tmp_path, {"format": "xml"})
    installed(runner)
    done = runner.run("Lint manifests")
    assert done.returncode == 2
    assert done.stdout == "::error title=hooklint::format must be github or sarif, not 'xml'\n"


@pytest.mark.slow
def test_install_step_installs_the_actions_own_checkout(repo: Path, tmp_path: Path) -> None:
    runner = Runner(repo, tmp_path, {"paths": "deploy/"})
    done = runner.run("Install hooklint")
    assert done.returncode == 0, done.stderr
    assert runner.extra_path == [str(runner.temp / "hooklint-venv" / "bin")]
    done = runner.run("Lint manifests")
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=deploy/app.yaml,line=6,col=35,endLine=6,endColumn=40,title=hooklint HL002::")


def test_readme_shows_the_same_workflow() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    workflow = WORKFLOW.read_text(encoding="utf-8")
    start = workflow.index("jobs:\n")
    for line in workflow[start:].splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert line.split(" #")[0].rstrip() in readme, line
