"""The typer range pyproject.toml pins behaves (flags take no value), and shell completion works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.conftest import REPO


def test_pyproject_pins_a_typer_range() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"typer>=0\.16,<0\.29"', text)


def test_flags_take_no_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "<bool>" not in help_text and "--output-format" in help_text
    # through typer (--help-like lines go there too): "true" is a path, not the flag's value
    assert main(["check", "--isolated", "true", "--color", "never", "-h"]) == 0
    capsys.readouterr()
    assert main(["check", "--isolated", "true"]) == 2
    assert capsys.readouterr().err == "hooklint: error: true: no such file or directory\n"


def test_show_completion_prints_a_script(tmp_path: Path) -> None:
    # a process of its own: click resolves the output stream once per process, and other
    # in-process tests replace sys.stdout
    done = subprocess.run(
        [sys.executable, "-m", "hooklint", "--show-completion", "bash"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_HOOKLINT_COMPLETE=complete_bash" in done.stdout


def test_completion_completes_commands_and_options(tmp_path: Path) -> None:
    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_HOOKLINT_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        done = subprocess.run(
            [sys.executable, "-m", "hooklint"], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("hooklint ch") == ["check"]
    assert complete("hooklint check --output-f") == ["--output-format"]
    assert "--fail-if-no-objects" in complete("hooklint check --fail")
    assert complete("hooklint check -f j") == ["json", "junit"]
    assert complete("hooklint check --color a") == ["auto", "always"]


def test_completion_formats_are_the_formats() -> None:
    from hooklint.cli.app import CHECK_FORMATS
    from hooklint.output import FORMATS

    assert tuple(FORMATS) == CHECK_FORMATS
