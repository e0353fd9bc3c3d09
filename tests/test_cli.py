"""The command line: exact output lines, exit codes, stdin, config errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAD_HOOK, BAD_WAVE, CLEAN
from tests.conftest import run_main as run


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "wave.yaml").write_text(BAD_WAVE)
    (tmp_path / "app" / "hook.yml").write_text(BAD_HOOK)
    (tmp_path / "app" / "clean.yaml").write_text(CLEAN)
    (tmp_path / "app" / "notes.txt").write_text("not yaml: [")
    return tmp_path


def test_text_output_is_exact(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "app", "--isolated"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        "app/hook.yml:7:44: HL101 [*] [warning] hook Job/db-migrate has a fixed name and delete policy "
        "HookFailed only"
    )
    assert lines[1] == (
        'app/wave.yaml:6:35: HL002 [error] wave "1.5" on ConfigMap/settings is not a whole decimal '
        "number; Argo CD silently reads it as 0"
    )
    assert lines[2] == "Found 2 findings (1 error, 1 warning) in 3 files (3 objects)."
    assert lines[3] == "[*] 1 fixable with --fix"
    assert len(lines) == 4 and err == ""


def test_clean_run_exits_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "app/clean.yaml", "--isolated"], capsys)
    assert (code, out) == (0, "No findings in 1 file (1 object).\n")


def test_fail_on_and_exit_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "app/hook.yml", "--isolated", "--fail-on", "error"], capsys)[0] == 0
    assert run(["check", "app/hook.yml", "--isolated", "--fail-on", "warning"], capsys)[0] == 1
    assert run(["check", "app/wave.yaml", "--isolated", "--exit-zero"], capsys)[0] == 0
    code, _, err = run(["check", "app", "--isolated", "--fail-on", "fatal"], capsys)
    assert code == 2 and "unknown severity 'fatal'" in err


def test_select_and_ignore(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "app", "--isolated", "--select", "HL1"], capsys)
    assert [line.split()[1] for line in out.splitlines()[:-2]] == ["HL101"]
    code, out, _ = run(["check", "app", "--isolated", "--ignore", "HL101,invalid-sync-wave"], capsys)
    assert code == 0 and out.startswith("No findings")
    code, _, err = run(["check", "app", "--isolated", "--select", "HL9"], capsys)
    assert code == 2 and "unknown rule selector 'HL9'" in err


def test_quiet_and_statistics(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", "app", "--isolated", "--quiet"], capsys)
    assert len(out.splitlines()) == 2
    _, out, _ = run(["check", "app", "--isolated", "--statistics", "--quiet"], capsys)
    assert out.splitlines() == [
        "    1  HL002  [error] invalid-sync-wave",
        "    1  HL101  [warning] named-hook-without-before-hook-creation",
    ]


def test_stdin_with_filename(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD_WAVE.encode())))
    code, out, _ = run(["check", "-", "--isolated", "--stdin-filename", "chart.yaml"], capsys)
    assert code == 1 and out.startswith("chart.yaml:6:35: HL002 [error]")


def test_missing_path_is_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "nope/", "--isolated"], capsys)
    assert code == 2 and out == ""
    assert err == "hooklint: error: nope/: no such file or directory\n"


def test_unknown_format_and_option(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "app", "--format", "xml"], capsys)[0] == 2
    assert run(["check", "app", "--no-such-option"], capsys)[0] == 2


def test_rules_and_rule_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    assert out.splitlines()[0].split() == ["CODE", "NAME", "SEVERITY", "DEFAULT", "FIX", "SUMMARY"]
    assert any(line.startswith("HL101  named-hook-without-before-hook-creation") for line in out.splitlines())
    assert [
        line.split()[4] for line in out.splitlines() if line.startswith(("HL002 ", "HL101 ", "HL201 "))
    ] == [
        "-",
        "safe",
        "unsafe",
    ]
    code, out, _ = run(["rule", "HL101"], capsys)
    assert code == 0 and out.startswith("# HL101 named-hook-without-before-hook-creation")
    assert "## Why is this bad?" in out
    assert run(["rule", "invalid-sync-wave"], capsys)[0] == 0
    code, _, err = run(["rule", "HL999"], capsys)
    assert code == 2 and "no rule 'HL999'" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from hooklint import __version__

    assert run(["--version"], capsys) == (0, f"hooklint {__version__}\n", "")


def test_notes_go_to_stderr(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "app" / "chart.yaml").write_text("kind: Job\nmetadata:\n  name: {{ .Values.name }}\n")
    code, out, err = run(["check", "app/chart.yaml", "--isolated"], capsys)
    assert code == 0 and out == "No findings in 1 file (0 objects).\n"
    assert err.startswith("app/chart.yaml: note: Go/Helm template")
    _, _, err = run(["check", "app/chart.yaml", "--isolated", "--quiet"], capsys)
    assert err == ""


def test_python_dash_m_and_no_color(tree: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hooklint", "check", "app/wave.yaml", "--isolated"],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith("app/wave.yaml:6:35: HL002")


def test_color_only_on_a_tty() -> None:
    from hooklint.model import Finding, Position, Severity
    from hooklint.output.text import format_finding

    finding = Finding("HL002", "invalid-sync-wave", Severity.ERROR, "m", "a.yaml", Position(1, 2))
    assert format_finding(finding) == "a.yaml:1:2: HL002 [error] m"
    assert "\x1b[1;31mHL002\x1b[0m" in format_finding(finding, color=True)
