""".pre-commit-hooks.yaml and the README's pre-commit section are valid and do what they say."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hooklint.cli.app import main
from hooklint.config import validate_config_data
from hooklint.yaml.reader import parse_yaml
from tests.conftest import REPO

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"


def _yaml(text: str) -> Any:
    docs, problems = parse_yaml(text)
    assert not problems
    return docs[0].value


def _readme_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## pre-commit\n")
    return readme[start : readme.index("\n## Configuration\n", start)]


def _yaml_blocks() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", _readme_section(), re.MULTILINE | re.DOTALL)


def _hook() -> dict[str, Any]:
    hooks = _yaml(HOOKS_FILE.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["hooklint"]
    hook: dict[str, Any] = hooks[0]
    return hook


def test_hook_definition() -> None:
    hook = _hook()
    assert shlex.split(hook["entry"])[:2] == ["hooklint", "check"]
    assert hook["language"] == "python"
    assert "types" not in hook and hook["types_or"] == ["yaml", "text"]
    assert shlex.split(hook["entry"])[2:] == ["--force-exclude", "--skip-unknown-files"]
    passed = re.compile(hook["files"])
    for name in (
        "deploy/job.yaml", "a.yml", "charts/shop/templates/_helpers.tpl", "charts/shop/templates/NOTES.txt",
        "charts/shop/templates/x.tpl", "charts/shop/.helmignore", "templates/job.yaml",
    ):
        assert passed.search(name), name
    for name in ("README.md", "src/app.py", "charts/shop/README.md", "notes.txt", "a.yaml.bak"):
        assert not passed.search(name), name
    assert hook["require_serial"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", hook["minimum_pre_commit_version"])


def _pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True
    )


def test_pre_commit_accepts_the_manifest_and_the_readme_config(tmp_path: Path) -> None:
    manifest = _pre_commit("validate-manifest", str(HOOKS_FILE), cwd=tmp_path)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(_yaml_blocks()[0], encoding="utf-8")
    checked = _pre_commit("validate-config", str(config), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_readme_config_snippets_are_valid_hooklint_config() -> None:
    snippets = [_yaml(block) for block in _yaml_blocks()[1:]]
    assert snippets == [{"context": ["deploy/"]}, {"exclude": ["charts/**"]}]
    for snippet in snippets:
        validate_config_data(snippet, "README")


def test_the_readme_hook_command_finds_a_whole_set_problem_from_one_staged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What pre-commit runs with the README's config: entry + args + staged files."""
    shutil.copytree(REPO / "examples" / "shop", tmp_path / "deploy")
    monkeypatch.chdir(tmp_path)
    readme_hook = _yaml(_yaml_blocks()[0])["repos"][0]["hooks"][0]
    assert readme_hook["id"] == _hook()["id"]
    argv = [*shlex.split(_hook()["entry"]), *readme_hook["args"], "deploy/40-ingress.yaml"]
    assert main(argv[1:]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("deploy/40-ingress.yaml:7:35: HL301 [warning] Ingress/shop") for line in out)
