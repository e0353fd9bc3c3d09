"""Fix modes use each file's nearest .hooklint.yaml, as a plain run does: its rules,
its params, whatever path comes first on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.conftest import BAD_HOOK

#: BAD_HOOK without backoffLimit: HL101 (safe fix) and HL201 (unsafe fix)
JOB = BAD_HOOK.replace("  backoffLimit: 1\n", "", 1)
WITH_BHC = JOB.replace("hook-delete-policy: HookFailed", "hook-delete-policy: HookFailed,BeforeHookCreation")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """a/ with no config; b/ whose config ignores HL101 and sets fix-backoff-limit 0."""
    monkeypatch.chdir(tmp_path)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "job.yaml").write_text(JOB, encoding="utf-8")
    (tmp_path / "b" / ".hooklint.yaml").write_text(
        "ignore: [HL101]\nrules:\n  HL201:\n    params:\n      fix-backoff-limit: 0\n", encoding="utf-8"
    )
    return tmp_path


def read(repo: Path, folder: str) -> str:
    return (repo / folder / "job.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_fix_honours_each_files_config(
    repo: Path, capsys: pytest.CaptureFixture[str], order: tuple[str, str]
) -> None:
    assert main(["check", "--fix", *order]) == 1  # HL201 stays (an unsafe fix)
    assert read(repo, "a") == WITH_BHC
    assert read(repo, "b") == JOB  # its config ignores HL101: nothing to fix there
    out = capsys.readouterr()
    assert "Fixed 1 finding in 1 file." in out.err
    assert sorted(line.split(" [")[0] for line in out.out.splitlines() if ": HL" in line) == [
        "a/job.yaml:8:1: HL201",
        "b/job.yaml:8:1: HL201",
    ]


def test_unsafe_fixes_take_each_files_params(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--unsafe-fixes", "b", "a"]) == 0
    assert read(repo, "a") == WITH_BHC.replace("spec:\n  active", "spec:\n  backoffLimit: 1\n  active", 1)
    assert read(repo, "b") == JOB.replace("spec:\n  active", "spec:\n  backoffLimit: 0\n  active", 1)
    assert "Fixed 3 findings in 2 files." in capsys.readouterr().err


def test_diff_and_add_ignore_honour_each_files_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", "b", "a"]) == 1
    patch = capsys.readouterr().out
    assert "+++ b/a/job.yaml" in patch and "b/job.yaml" not in patch.replace("b/a/job.yaml", "")
    assert main(["check", "--add-ignore", "b", "a"]) == 0
    ignored = JOB.replace("spec:\n  active", "spec:  # hooklint: ignore[HL201]\n  active", 1)
    assert read(repo, "b") == ignored
    assert read(repo, "a") == ignored.replace("HookFailed\n", "HookFailed  # hooklint: ignore[HL101]\n")
