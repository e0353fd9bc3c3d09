"""``--diff`` (applies with ``patch -p1`` to what ``--fix`` writes), ``--add-ignore``,
``--baseline`` / ``--write-baseline``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.test_fix import JOB_WITHOUT_LIMITS, hook_job

FILES = {
    "app/job.yaml": hook_job(
        "    argocd.argoproj.io/hook: Presync   # typo\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n"
    ),
    "app/crlf.yaml": JOB_WITHOUT_LIMITS.replace("\n", "\r\n"),
    "app/noeol.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    example.com/n: 5",
    "app/bom.yaml": "\ufeff" + hook_job("    argocd.argoproj.io/hook: sync\n"),
    "other/clean.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\n",
}


def write_tree(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in FILES}


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch (apt-get install patch)")
@pytest.mark.parametrize("unsafe", [False, True])
def test_diff_applies_with_patch_to_what_fix_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes], unsafe: bool
) -> None:
    flags = ["--unsafe-fixes"] if unsafe else []
    diffed, fixed = tmp_path / "diffed", tmp_path / "fixed"
    for root in (diffed, fixed):
        root.mkdir()
        write_tree(root)
    monkeypatch.chdir(diffed)
    assert main(["check", "--isolated", "--diff", *flags, "app", "other"]) == 1
    out, err = capsysbinary.readouterr()
    assert tree_bytes(diffed) == {n: t.encode() for n, t in FILES.items()}  # --diff changes nothing
    assert out.startswith(b"--- a/app/")
    assert err.decode().startswith("Would fix ")
    monkeypatch.chdir(fixed)
    main(["check", "--isolated", "--fix", *flags, "app", "other"])
    capsysbinary.readouterr()
    patched = subprocess.run(
        ["patch", "-p1", "--batch", "--quiet"], cwd=diffed, input=out, capture_output=True, check=False
    )
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert tree_bytes(diffed) == tree_bytes(fixed)
    assert tree_bytes(fixed) != {n: t.encode() for n, t in FILES.items()}
    assert (fixed / "app/crlf.yaml").read_bytes().count(b"\r\n") == FILES["app/crlf.yaml"].count("\n") + (
        2 if unsafe else 0
    )
    # and nothing is left to do
    assert main(["check", "--isolated", "--diff", *flags, "app", "other"]) == 0
    assert capsysbinary.readouterr().out == b""


def test_diff_marks_a_missing_final_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path)
    assert main(["check", "--isolated", "--diff", "app/noeol.yaml"]) == 1
    assert capsysbinary.readouterr().out.decode() == (
        "--- a/app/noeol.yaml\n+++ b/app/noeol.yaml\n@@ -3,4 +3,4 @@\n metadata:\n   name: c\n"
        "   annotations:\n-    example.com/n: 5\n\\ No newline at end of file\n"
        '+    example.com/n: "5"\n\\ No newline at end of file\n'
    )


# -- --add-ignore ----------------------------------------------------------------------------
def test_add_ignore_comments_every_finding_and_the_next_run_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    job = tmp_path / "app" / "job.yaml"
    before = hook_job(
        "    argocd.argoproj.io/hook: PreSync,Presync   # typo\n"
        "    argocd.argoproj.io/sync-options: 'Prune=false,\n"
        "      CreateNamespace=true'\n"
        "    argocd.argoproj.io/hook-delete-policy: HookFailed,HookDone  # hooklint: ignore[HL101]\n"
    )
    job.write_text(before)
    assert main(["check", "--isolated", "--add-ignore", "app"]) == 0
    assert capsys.readouterr().err == "Added 3 ignore comments in 1 file.\n"
    assert job.read_text() == (
        before.replace("Presync   # typo", "Presync   # typo  # hooklint: ignore[HL003]")
        .replace(
            "    argocd.argoproj.io/sync-options:",
            "    # hooklint: ignore[HL005]\n    argocd.argoproj.io/sync-options:",
        )
        .replace("ignore[HL101]", "ignore[HL101, HL004]")
    )
    assert main(["check", "--isolated", "app"]) == 0
    assert capsys.readouterr().out == "No findings in 1 file (1 object), 5 suppressed.\n"


def test_add_ignore_leaves_files_it_cannot_read_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("a: [1\n")
    assert main(["check", "--isolated", "--add-ignore", "bad.yaml"]) == 0
    assert (tmp_path / "bad.yaml").read_text() == "a: [1\n"
    assert capsys.readouterr().err.endswith("Added 0 ignore comments in 0 files.\n")
    assert main(["check", "--isolated", "--add-ignore", "--fix", "bad.yaml"]) == 2


# -- baseline --------------------------------------------------------------------------------
def test_baseline_keys_by_rule_file_and_object_not_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    job = tmp_path / "app" / "job.yaml"
    text = hook_job("    argocd.argoproj.io/hook: Presync\n    argocd.argoproj.io/sync-wave: 5\n")
    job.write_text(text)
    assert main(["check", "--isolated", "--write-baseline", "base.json", "app"]) == 0
    assert capsys.readouterr().err == "hooklint: wrote 1 findings to the baseline base.json\n"
    data = json.loads((tmp_path / "base.json").read_text())
    assert data == {
        "version": 1,
        "findings": [
            {
                "code": "HL001",
                "name": "annotation-not-string",
                "path": "app/job.yaml",
                "object": "batch/v1 Job db-migrate",
                "yaml_path": ["metadata", "annotations", "argocd.argoproj.io/sync-wave"],
                "message": data["findings"][0]["message"],
            }
        ],
    }
    # lines move: still in the baseline
    job.write_text("# a comment\n# another\n" + text)
    assert main(["check", "--isolated", "--baseline", "base.json", "app"]) == 0
    assert capsys.readouterr().out == "No findings in 1 file (1 object), 1 suppressed.\n"
    # from another folder the baseline's paths still match (they are relative to it)
    monkeypatch.chdir(tmp_path / "app")
    assert main(["check", "--isolated", "--baseline", "../base.json", "."]) == 0
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    # a new finding on another object fails; the old one is still suppressed
    job.write_text(text + "---\n" + text.replace("db-migrate", "seed"))
    assert main(["check", "--isolated", "--baseline", "base.json", "app", "--include-suppressed"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in out[:2]] == ["HL001", "HL001"]
    assert out[0].endswith("[suppressed: in baseline base.json]")
    assert "Job/seed" in out[1] and "suppressed" not in out[1]
    # rewriting the baseline keeps what it had and adds what is new
    assert (
        main(["check", "--isolated", "--baseline", "base.json", "--write-baseline", "base.json", "app"]) == 0
    )
    objects = [entry["object"] for entry in json.loads((tmp_path / "base.json").read_text())["findings"]]
    assert objects == ["batch/v1 Job db-migrate", "batch/v1 Job seed"]


def test_a_bad_baseline_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (tmp_path / "b.json").write_text("[]")
    assert main(["check", "--isolated", "--baseline", "b.json", "c.yaml"]) == 2
    assert "is not a hooklint baseline" in capsys.readouterr().err
    assert main(["check", "--isolated", "--baseline", "missing.json", "c.yaml"]) == 2
    assert "cannot read the baseline missing.json" in capsys.readouterr().err


def _corpus() -> Path | None:
    from tests.conftest import CORPUS, REPO

    for path in (CORPUS, REPO.parent.parent / "shared" / "corpus"):
        if path.is_dir():
            return path
    return None


@pytest.mark.skipif(_corpus() is None, reason="the shared corpus is not here")
@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch (apt-get install patch)")
def test_the_real_corpus_diff_fix_and_idempotence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    corpus = _corpus()
    assert corpus is not None
    diffed, fixed = tmp_path / "diffed", tmp_path / "fixed"
    shutil.copytree(corpus, diffed)
    shutil.copytree(corpus, fixed)
    flags = ["--isolated", "--unsafe-fixes", "--quiet", "."]
    monkeypatch.chdir(diffed)
    assert main(["check", "--diff", *flags]) == 1
    patch_text = capsysbinary.readouterr().out
    assert patch_text.startswith(b"--- a/")
    monkeypatch.chdir(fixed)
    main(["check", "--fix", *flags])
    capsysbinary.readouterr()
    subprocess.run(["patch", "-p1", "--batch", "--quiet"], cwd=diffed, input=patch_text, check=True)
    for path in sorted(p for p in fixed.rglob("*") if p.is_file()):
        assert path.read_bytes() == (diffed / path.relative_to(fixed)).read_bytes(), path
    assert main(["check", "--diff", *flags]) == 0  # nothing left to fix
    main(["check", *flags])
    assert b"[*]" not in capsysbinary.readouterr().out


def test_diff_goes_to_output_and_output_needs_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path)
    assert main(["check", "--isolated", "--diff", "-o", "fixes.patch", "app/noeol.yaml"]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and err == b"Would fix 1 finding in 1 file.\n"
    assert (
        (tmp_path / "fixes.patch").read_bytes().startswith(b"--- a/app/noeol.yaml\n+++ b/app/noeol.yaml\n@@")
    )
    assert main(["check", "--isolated", "--fix-only", "-o", "r.txt", "app/noeol.yaml"]) == 2
    assert b"--fix-only and --add-ignore write no report" in capsysbinary.readouterr().err
