""".hooklint.yaml: discovery, strict validation (exit 2 naming the key), effects."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_main as run

WAVE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n  annotations: {argocd.argoproj.io/sync-wave: "x"}\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "cm.yaml").write_text(WAVE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("selct: [HL1]\n", "unknown key 'selct'"),
        (
            "rules:\n  invalid-sync-wave:\n    sevrity: info\n",
            "unknown key 'rules.invalid-sync-wave.sevrity'",
        ),
        ("fail-on: fatal\n", "'fail-on': 'fatal' is not one of"),
        ("select: HL1\n", "'select': 'HL1' is not of type 'array'"),
        ("rules:\n  no-such-rule: {severity: info}\n", "rules.no-such-rule: unknown rule 'no-such-rule'"),
        (
            "rules:\n  wave-gated-on-unhealthy-prone-resource:\n    params: {kind: []}\n",
            "rules.wave-gated-on-unhealthy-prone-resource.params.kind: unknown param (known: kinds)",
        ),
        (
            "rules:\n  wave-gated-on-unhealthy-prone-resource:\n    params: {kinds: 5}\n",
            "params.kinds: expected a list",
        ),
        (
            "rules:\n  wave-gated-on-unhealthy-prone-resource:\n    params: {kinds: [Database]}\n",
            "params.kinds: 'Database' is not group/Kind",
        ),
        (
            "rules:\n  wave-gated-on-unhealthy-prone-resource:\n    params: {kinds: [g/v1/Kind]}\n",
            "params.kinds: 'g/v1/Kind' is not group/Kind",
        ),
        ("argocd-version: banana\n", "invalid Argo CD version 'banana'"),
        ("select: [HL9]\n", "unknown rule selector 'HL9'"),
        ("select: [\n", "did not find expected"),
    ],
)
def test_invalid_config_exits_2_naming_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    (repo / ".hooklint.yaml").write_text(config)
    code, out, err = run(["check", "deploy"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("hooklint: error: ") and message in err, err
    assert len(err.splitlines()) == 1


def test_config_is_found_upwards_and_applied(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".hooklint.yaml").write_text("rules:\n  invalid-sync-wave: {severity: info}\nfail-on: warning\n")
    monkeypatch.chdir(repo / "deploy")
    code, out, _ = run(["check", "."], capsys)
    assert code == 0
    assert out.splitlines()[0] == (
        'cm.yaml:5:47: HL002 [info] wave "x" on ConfigMap/s is not an integer; Argo CD silently reads it as 0'
    )
    code, out, _ = run(["check", ".", "--isolated"], capsys)
    assert code == 1 and "[error]" in out


def test_config_flag_and_missing_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "other.yaml").write_text("ignore: [HL002]\n")
    assert run(["check", "deploy", "--config", "other.yaml"], capsys)[0] == 0
    code, _, err = run(["check", "deploy", "--config", "missing.yaml"], capsys)
    assert code == 2 and "config file missing.yaml does not exist" in err


def test_exclude_is_relative_to_the_config(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".hooklint.yaml").write_text("exclude: ['deploy/cm.yaml']\n")
    code, out, _ = run(["check", "."], capsys)
    assert (code, out) == (0, "No findings in 0 files (0 objects).\n")
    monkeypatch.chdir(repo / "deploy")
    code, out, _ = run(["check", "."], capsys)
    assert (code, out) == (0, "No findings in 0 files (0 objects).\n")


def test_rule_exclude(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".hooklint.yaml").write_text("rules:\n  invalid-sync-wave:\n    exclude: ['deploy/*']\n")
    assert run(["check", "deploy"], capsys)[0] == 0


def test_empty_config_is_fine(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".hooklint.yaml").write_text("# nothing yet\n")
    assert run(["check", "deploy"], capsys)[0] == 1
