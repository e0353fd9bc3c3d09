"""The console script frees nothing it ends with, and still says everything (hooklint.lifetime)."""

from __future__ import annotations

import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from hooklint import lifetime
from tests.conftest import BAD_HOOK


class Built:
    """Something a run built (a weak reference tells whether it was freed)."""


def test_a_library_run_keeps_nothing() -> None:
    assert not lifetime.keeping()  # tests, the API and the language server free as usual
    value = Built()
    gone = weakref.ref(value)
    lifetime.keep(value)
    del value
    assert gone() is None


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_the_console_script_keeps_what_it_is_given_until_it_ends() -> None:
    done = run_python(
        "import weakref\n"
        "from hooklint import lifetime\n"
        "class Built: pass\n"
        "lifetime.keep_until_exit()\n"
        "value = Built(); kept = weakref.ref(value); lifetime.keep(value); del value\n"
        "print(kept() is not None, lifetime.keeping(), end='')\n"
        "lifetime.exit_now(3)\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "True True", "")


def test_exit_now_flushes_and_keeps_the_code_when_stdout_is_closed() -> None:
    done = run_python(
        "import os, sys\n"
        "from hooklint import lifetime\n"
        "sys.stdout.write('x' * 100)\n"
        "os.close(1)\n"  # the reader left: the flush fails, the code stays
        "lifetime.exit_now(1)\n"
    )
    assert (done.returncode, done.stderr) == (1, "")


def test_the_console_script_writes_every_finding_before_it_ends(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"hook{i:02}.yaml").write_text(BAD_HOOK.replace("db-migrate", f"m{i}"), encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\x00")
    script = Path(sys.executable).parent / "hooklint"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "hooklint"]
    done = subprocess.run(
        [*command, "check", ".", "--isolated", "--no-cache", "-f", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    findings = json.loads(done.stdout)  # all of it: flushed before os._exit
    assert len(findings) == 60 and {f["code"] for f in findings} == {"HL101"}
    assert done.stderr == "binary.yaml: note: binary file (it contains NUL bytes); skipped\n"


def test_the_language_server_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.cli.app import main
    from hooklint.server import main as server_main

    monkeypatch.setattr(lifetime, "_KEPT", [Built()])  # as the console script starts every command
    monkeypatch.setattr(server_main, "run_server", lambda: 0)
    assert main(["server"]) == 0
    assert not lifetime.keeping()  # it lives on: each run's documents are freed
