"""``check --fix`` for HL007 (rename a misspelt key) and HL111 (drop generateName next to
name), byte for byte: block and flow style, quoted keys, CRLF; what is refused; idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.checks.annotation_keys import unique_known_key
from hooklint.cli.app import main

TAIL = (
    "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 600\n  template:\n    spec:\n"
    "      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: example/migrate:1.0\n"
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    return tmp_path


def run(work: Path, data: str, *flags: str) -> tuple[str, int]:
    """Write ``data`` to app/job.yaml, run ``check --isolated --fix`` with ``flags``; the file after
    and the exit code."""
    path = work / "app" / "job.yaml"
    path.write_bytes(data.encode("utf-8"))
    code = main(["check", "--isolated", "--fix", *flags, "app/job.yaml"])
    return path.read_bytes().decode("utf-8"), code


def fixed_again_is_same(work: Path, *flags: str) -> bool:
    path = work / "app" / "job.yaml"
    before = path.read_bytes()
    main(["check", "--isolated", "--fix", *flags, "app/job.yaml"])
    return path.read_bytes() == before


@pytest.mark.parametrize(
    ("key", "want"),
    [
        ("argocd.argoproj.io/sync-waves", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/syncwave", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/Hook", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/hook-delete-polcy", "argocd.argoproj.io/hook-delete-policy"),
        ("helm.sh/hook-weigth", "helm.sh/hook-weight"),
        ("helm.sh/hooks", "helm.sh/hook"),
        ("argocd.argoproj.io/hook-type", None),  # only starts with a known key: no rename
        ("argocd.argoproj.io/sync-wave", None),  # known
        ("argocd.argoproj.io/zzzz", None),  # nothing close
        ("example.com/sync-waves", None),  # not Argo CD's
    ],
)
def test_unique_known_key(key: str, want: str | None) -> None:
    assert unique_known_key(key) == want


# -- HL007 -----------------------------------------------------------------------------------
def test_hl007_renames_block_keys_keeping_quotes_values_and_comments(work: Path) -> None:
    before = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db-migrate\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n"
        "    argocd.argoproj.io/sync-waves: '-1'   # first\n"
        '    "helm.sh/hook-weigth": "5"\n' + TAIL
    )
    after, code = run(work, before)
    assert after == before.replace("sync-waves:", "sync-wave:").replace(
        '"helm.sh/hook-weigth"', '"helm.sh/hook-weight"'
    )
    assert code == 0
    assert fixed_again_is_same(work)


def test_hl007_in_flow_style_with_crlf(work: Path) -> None:
    before = (
        "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: settings, annotations: "
        '{argocd.argoproj.io/syncwave: "3", example.com/x: z}}\r\ndata: {}\r\n'
    )
    after, _ = run(work, before)
    assert after == before.replace("syncwave:", "sync-wave:")
    assert fixed_again_is_same(work)


def test_hl007_a_label_is_renamed_then_moved_by_hl006(work: Path) -> None:
    before = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n"
        '    app: shop\n    argocd.argoproj.io/sync-waves: "2"\ndata: {}\n'
    )
    after, code = run(work, before)
    assert after == (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "2"\n  name: settings\n  labels:\n    app: shop\ndata: {}\n'
    )
    assert code == 0


def test_hl007_no_fix_when_only_a_prefix_matches_or_the_key_is_there(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  annotations:\n"
        "    argocd.argoproj.io/hook-type: PreSync\n"
        "    example.com/other: x\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  labels:\n"
        '    argocd.argoproj.io/sync-wave: "1"\n  annotations:\n'
        '    argocd.argoproj.io/sync-waves: "2"\n'
    )
    after, code = run(work, before, "--select", "HL007")
    assert after == before
    assert code == 1
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if " HL007 " in line] == [
        'app/job.yaml:6:5: HL007 [warning] annotation "argocd.argoproj.io/hook-type" on ConfigMap/settings '
        'is not a key Argo CD knows, so it does nothing; did you mean "argocd.argoproj.io/hook"?',
        'app/job.yaml:16:5: HL007 [warning] annotation "argocd.argoproj.io/sync-waves" on ConfigMap/other '
        'is not a key Argo CD knows, so it does nothing; did you mean "argocd.argoproj.io/sync-wave"?',
    ]


def test_hl007_is_marked_safe(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "app" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n  annotations:\n"
        '    argocd.argoproj.io/sync-waves: "2"\n'
    )
    assert main(["check", "--isolated", "app/cm.yaml"]) == 1
    out = capsys.readouterr().out
    assert "app/cm.yaml:6:5: HL007 [*] [warning]" in out
    assert "[*] 1 fixable with --fix" in out


# -- HL111 -----------------------------------------------------------------------------------
def hook(meta: str) -> str:
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n" + meta + "  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n" + TAIL
    )


def test_hl111_is_unsafe_so_plain_fix_leaves_it(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hook("  name: db-migrate\n  generateName: db-migrate-   # per sync\n")
    after, code = run(work, before)
    assert after == before and code == 1
    out = capsys.readouterr()
    assert "app/job.yaml:5:3: HL111 [warning]" in out.out
    assert "1 fixable with --fix --unsafe-fixes" in out.out


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_hl111_removes_generate_name_with_unsafe_fixes(work: Path, eol: str) -> None:
    before = hook("  name: db-migrate\n  generateName: db-migrate-   # per sync\n").replace("\n", eol)
    after, code = run(work, before, "--unsafe-fixes")
    assert after == before.replace(f"  generateName: db-migrate-   # per sync{eol}", "")
    assert after != before
    assert code == 0
    assert fixed_again_is_same(work, "--unsafe-fixes")


@pytest.mark.parametrize(
    ("meta", "want"),
    [
        (
            "metadata: {name: m, generateName: m-, annotations: {a: b}}",
            "metadata: {name: m, annotations: {a: b}}",
        ),
        ("metadata: {name: m, generateName: 'm-'}", "metadata: {name: m}"),
        ('metadata: {generateName: "m-" , name: m}', "metadata: {name: m}"),
    ],
)
def test_hl111_in_flow_style_with_crlf(work: Path, meta: str, want: str) -> None:
    before = f"apiVersion: v1\r\nkind: ConfigMap\r\n{meta}\r\ndata: {{}}\r\n"
    after, code = run(work, before, "--unsafe-fixes")
    assert after == before.replace(meta, want)
    assert code == 0


def test_hl111_left_alone_on_an_object_read_from_a_cluster(work: Path) -> None:
    before = hook("  name: db-migrate-x7k2\n  generateName: db-migrate-\n  uid: 1234\n")
    after, _ = run(work, before, "--unsafe-fixes")
    assert after == before
