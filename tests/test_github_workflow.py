"""The shipped GitHub Actions workflow runs commands hooklint accepts, and uploads what it writes."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from hooklint.cli.app import main
from hooklint.yaml.reader import parse_yaml
from tests.conftest import REPO

WORKFLOW = REPO / "examples" / "github-workflow.yml"
BAD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
  annotations:
    argocd.argoproj.io/sync-wave: "1.5"
"""


def jobs() -> dict[str, Any]:
    docs, problems = parse_yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert not problems
    return docs[0].value["jobs"]  # type: ignore[no-any-return]


def lint_step(job: dict[str, Any]) -> list[str]:
    [step] = [s for s in job["steps"] if s.get("name") == "Lint manifests"]
    args = shlex.split(step["run"])
    assert args[:2] == ["hooklint", "check"]
    return args[1:]


def test_sarif_job_uploads_the_file_hooklint_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    job = jobs()["code-scanning"]
    assert job["permissions"]["security-events"] == "write"
    [upload] = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "app.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    assert main([*lint_step(job), "--isolated"]) == 0  # --exit-zero: the upload still runs
    assert capsys.readouterr().out == ""
    log = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/app.yaml"


def test_annotation_job_fails_on_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "app.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    assert main([*lint_step(jobs()["annotations"]), "--isolated"]) == 1
    assert capsys.readouterr().out.startswith(
        "::error file=deploy/app.yaml,line=6,col=35,endLine=6,endColumn=40,title=hooklint HL002::"
    )


def test_readme_shows_the_same_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for job in jobs().values():
        assert f"run: {shlex.join(['hooklint', *lint_step(job)])}" in readme
    assert "github/codeql-action/upload-sarif@v4" in readme
