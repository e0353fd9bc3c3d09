"""Each linted file uses the nearest .hooklint.yaml above it (ruff's rule); --config forces
one, --isolated none; --show-settings and --show-files say which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BAD_HOOK, BAD_WAVE
from tests.conftest import run_main as run


@pytest.fixture
def projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """proj/.hooklint.yaml ignores HL002 and excludes legacy/; other/ has no config."""
    monkeypatch.chdir(tmp_path)
    for folder in ("proj/deploy", "proj/deploy/legacy", "other"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "proj" / ".hooklint.yaml").write_text(
        "ignore: [HL002]\nexclude: [deploy/legacy]\nrules:\n  HL101: {severity: error}\n"
    )
    (tmp_path / "proj" / "deploy" / "wave.yaml").write_text(BAD_WAVE)
    (tmp_path / "proj" / "deploy" / "hook.yaml").write_text(BAD_HOOK)
    (tmp_path / "proj" / "deploy" / "legacy" / "old.yaml").write_text(BAD_WAVE)
    (tmp_path / "other" / "wave.yaml").write_text(BAD_WAVE)
    return tmp_path


def codes(out: str) -> list[tuple[str, str, str]]:
    return [(f["path"], f["code"], f["severity"]) for f in json.loads(out)]


def test_the_nearest_config_of_each_file_applies_from_a_parent_folder(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "proj/deploy", "other", "-f", "json"], capsys)
    assert code == 1 and err == ""
    assert codes(out) == [
        ("other/wave.yaml", "HL002", "error"),  # no config: defaults
        ("proj/deploy/hook.yaml", "HL101", "error"),  # proj's rules: HL101 by code -> error
    ]  # proj's ignore drops proj/deploy/wave.yaml's HL002; its exclude drops legacy/


def test_relative_paths_stay_relative_to_the_config_folder(
    projects: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(projects / "proj" / "deploy")
    code, out, _ = run(["check", ".", "-f", "json"], capsys)
    assert code == 1
    assert codes(out) == [("hook.yaml", "HL101", "error")]


def test_config_forces_one_and_isolated_none(projects: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (projects / "strict.yaml").write_text("select: [HL002]\n")
    _, out, _ = run(["check", "proj/deploy", "--config", "strict.yaml", "-f", "json"], capsys)
    assert codes(out) == [
        ("proj/deploy/legacy/old.yaml", "HL002", "error"),
        ("proj/deploy/wave.yaml", "HL002", "error"),
    ]
    _, out, _ = run(["check", "proj/deploy", "--isolated", "-f", "json"], capsys)
    assert codes(out) == [
        ("proj/deploy/hook.yaml", "HL101", "warning"),
        ("proj/deploy/legacy/old.yaml", "HL002", "error"),
        ("proj/deploy/wave.yaml", "HL002", "error"),
    ]


def test_whole_set_findings_use_their_own_files_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files of one app (scope all) under different configs: HL307 flags the second
    copy (b/cm.yaml), and only b's config decides whether it is reported."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  namespace: x\n"
    (tmp_path / "a" / "cm.yaml").write_text(same)
    (tmp_path / "b" / "cm.yaml").write_text(same)
    (tmp_path / "a" / ".hooklint.yaml").write_text("ignore: [HL307]\n")
    code, out, _ = run(["check", "a", "b", "--scope", "all", "-f", "json"], capsys)
    assert code == 1
    [finding] = json.loads(out)
    assert (finding["path"], finding["code"], finding["related"][0]["path"]) == (
        "b/cm.yaml",
        "HL307",
        "a/cm.yaml",
    )
    (tmp_path / "a" / ".hooklint.yaml").unlink()
    (tmp_path / "b" / ".hooklint.yaml").write_text("ignore: [HL307]\n")
    code, out, _ = run(["check", "a", "b", "--scope", "all", "-q"], capsys)
    assert (code, out) == (0, "")


def test_failing_severity_is_the_findings_files(projects: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (projects / "other" / ".hooklint.yaml").write_text("fail-on: error\nrules:\n  HL002: {severity: info}\n")
    code, out, _ = run(["check", "other", "-q"], capsys)
    assert code == 0 and out.startswith("other/wave.yaml:6:35: HL002 [info]")
    assert run(["check", "other", "-q", "--fail-on", "info"], capsys)[0] == 1


def test_an_invalid_nested_config_is_exit_2_naming_it(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (projects / "proj" / "deploy" / "legacy" / ".hooklint.yml").write_text("selct: []\n")
    code, out, err = run(["check", "proj"], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"hooklint: error: {projects}/proj/deploy/legacy/.hooklint.yml: unknown key 'selct' "
        "(see 'Configuration' in the README)\n"
    )


def test_show_settings_names_the_config_and_resolved_values(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "--show-settings", "proj/deploy", "--argocd-version", "2.10"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:10] == [
        "path: proj/deploy",
        f"config: {projects}/proj/.hooklint.yaml",
        "select: (default)",
        "ignore: [HL002]",
        "exclude: [deploy/legacy]",
        "context: []",
        "fail-on: warning",
        "argocd-version: 2.10.0",
        "scope: app",
        "namespace: (none)",
    ]
    assert "  HL101 named-hook-without-before-hook-creation [error] (severity error)" in lines
    assert not any(line.startswith("  HL002 ") for line in lines)
    _, out, _ = run(["check", "--show-settings", "other"], capsys)
    assert out.splitlines()[1] == "config: (none: defaults)"
    _, out, _ = run(["check", "--show-settings", "proj/deploy", "--isolated"], capsys)
    assert out.splitlines()[1:4] == ["config: (none: defaults)", "select: (default)", "ignore: []"]


def test_show_files_lists_what_would_be_linted_with_its_config(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "--show-files", "proj", "other"], capsys)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "proj/deploy/hook.yaml\tmanifest\tconfig: proj/.hooklint.yaml",
        "proj/deploy/wave.yaml\tmanifest\tconfig: proj/.hooklint.yaml",
        "other/wave.yaml\tmanifest\tconfig: (none: defaults)",
    ]
    assert run(["check", "--show-files", "--show-settings"], capsys)[0] == 2


def test_rules_by_code_or_name_and_unknown_selectors_are_errors(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = projects / "other" / ".hooklint.yaml"
    config.write_text("rules:\n  HL002: {severity: warning}\n  invalid-sync-wave: {severity: info}\n")
    code, _, err = run(["check", "other"], capsys)
    assert code == 2
    assert err.endswith("rules.invalid-sync-wave: HL002 invalid-sync-wave is configured twice\n")
    config.write_text("rules:\n  HL999: {severity: info}\n")
    code, _, err = run(["check", "other"], capsys)
    assert code == 2 and "rules.HL999: unknown rule 'HL999'" in err
    config.unlink()
    for option in ("--select", "--ignore"):
        code, out, err = run(["check", "other", option, "HL002,nope"], capsys)
        assert code == 2 and out == ""
        assert err.startswith("hooklint: error: unknown rule selector 'nope': ")


def test_folders_seen_before_are_found_by_any_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.config import ConfigResolver

    (tmp_path / "team" / "app").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "team" / ".hooklint.yaml").write_text('argocd-version: "2.10"\n', encoding="utf-8")
    resolver = ConfigResolver()
    team = resolver.for_file(str(tmp_path / "team" / "app" / "a.yaml"))  # seen: now a key
    assert str(team.argocd_version) == "2.10.0"
    monkeypatch.chdir(tmp_path / "other")
    # the same folder spelled relatively or with ".." is that folder; another is not
    assert resolver.for_file("../team/app/b.yaml") is team
    assert resolver.for_file(str(tmp_path / "other" / ".." / "team" / "app" / "c.yaml")) is team
    assert resolver.for_folder(tmp_path / "team" / "app") is team
    assert resolver.for_file("c.yaml") is not team and resolver.for_file(str(tmp_path / "x.yaml")) is not team
