"""HL009 unknown-suppression: unknown rule names, and unused suppressions in full runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli.app import main
from hooklint.config import Config, RuleConfig
from tests.conftest import BAD_HOOK, lint_text, lint_texts

# BAD_HOOK has one HL101 at line 7, column 44 (the delete policy)
PLAIN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"


def hl009(report: object) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in report.findings if f.code == "HL009"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("entry", ["HL101", "named-hook-without-before-hook-creation", "all"])
def test_annotation_accepts_codes_names_and_all(entry: str) -> None:
    text = BAD_HOOK.replace("  annotations:\n", f"  annotations:\n    ignore-check.hooklint.io/{entry}: why\n")
    report = lint_text(text, full_run=True, include_suppressed=True)
    assert [(f.code, f.suppression) for f in report.findings] == [("HL101", "why")]


def test_comment_accepts_codes_and_names() -> None:
    for entry in ("HL101", "named-hook-without-before-hook-creation"):
        text = BAD_HOOK.replace("HookFailed\n", f"HookFailed  # hooklint: ignore[{entry}]\n")
        report = lint_text(text, full_run=True)
        assert report.findings == [] and report.suppressed == 1, entry


def test_unknown_names_in_both_forms_with_the_closest_rule() -> None:
    text = PLAIN.replace("  name: c\n", "  name: c\n  annotations:\n    ignore-check.hooklint.io/hl101: x\n")
    text += "data:\n  a: b  # hooklint: ignore[hook-name-to-long, HL999]\n"
    assert hl009(lint_text(text, select=("HL009",))) == [
        (6, 5, 'suppression "ignore-check.hooklint.io/hl101" on ConfigMap/c names no hooklint rule; did you mean "HL101"?'),
        (8, 9, 'suppression "# hooklint: ignore[HL999]" names no hooklint rule'),
        (8, 9, 'suppression "# hooklint: ignore[hook-name-to-long]" names no hooklint rule; did you mean "hook-name-too-long"?'),
    ]  # fmt: skip


def test_unused_suppressions_only_in_full_runs() -> None:
    text = PLAIN.replace("  name: c\n", "  name: c\n  annotations:\n    ignore-check.hooklint.io/HL101: old\n")
    text += "data:\n  # hooklint: ignore[HL002]\n  a: b\n  c: d  # hooklint: ignore\n"
    assert hl009(lint_text(text, full_run=True)) == [
        (6, 5, 'suppression "ignore-check.hooklint.io/HL101" on ConfigMap/c suppresses nothing; remove it'),
        (8, 3, 'suppression "# hooklint: ignore[HL002]" suppresses nothing here; remove it'),
        (10, 9, 'suppression "# hooklint: ignore" suppresses nothing here; remove it'),
    ]
    assert hl009(lint_text(text)) == []  # narrowed (--select/--ignore): nothing is called unused


def test_used_entries_are_not_unused_but_the_other_entry_of_the_comment_is() -> None:
    text = BAD_HOOK.replace("HookFailed\n", "HookFailed  # hooklint: ignore[HL101, HL108]\n")
    assert hl009(lint_text(text, full_run=True)) == [
        (7, 56, 'suppression "# hooklint: ignore[HL108]" suppresses nothing here; remove it')
    ]
    above = BAD_HOOK.replace(
        "    argocd.argoproj.io/hook-delete-policy", "    # hooklint: ignore[HL101]\n    argocd.argoproj.io/hook-delete-policy"
    )
    assert lint_text(above, full_run=True).findings == []


def test_rules_that_did_not_run_are_not_judged() -> None:
    text = PLAIN + "data:\n  a: b  # hooklint: ignore[HL101]\n"
    off = Config(ignore=("HL101",))
    assert hl009(lint_text(text, config=off, full_run=True)) == []
    excluded = Config(rules={"named-hook-without-before-hook-creation": RuleConfig(exclude=("*.yaml",))})
    assert hl009(lint_texts({"x.yaml": text}, config=excluded, full_run=True)) == []
    narrowed = Config(select=("HL1",))  # the config left rules out: a bare ignore cannot be judged
    bare = PLAIN + "data:\n  a: b  # hooklint: ignore\n"
    assert hl009(lint_text(bare, config=narrowed, full_run=True)) == []
    ignore_file = "# hooklint: ignore-file\n" + text
    assert hl009(lint_text(ignore_file, full_run=True)) == []


def test_hl009_can_be_suppressed_by_naming_it_but_not_by_what_it_reports() -> None:
    text = PLAIN + "data:\n  a: b  # hooklint: ignore[HL999, HL009]\n"
    report = lint_text(text, full_run=True, include_suppressed=True)
    assert [(f.code, f.suppression is not None) for f in report.findings] == [("HL009", True)]
    bare = PLAIN.replace("  name: c\n", "  name: c\n  annotations:\n    ignore-check.hooklint.io/all: x\n")
    report = lint_text(bare + "data:\n  a: b  # hooklint: ignore\n", full_run=True, include_suppressed=True)
    assert [(f.code, f.line, f.suppression) for f in report.findings] == [("HL009", 6, None), ("HL009", 8, None)]


def test_cli_full_run_and_select(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cm.yaml").write_text(PLAIN + "data:\n  a: b  # hooklint: ignore[HL101]\n")
    assert main(["check", "--isolated", "cm.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith('cm.yaml:6:9: HL009 [warning] suppression "# hooklint: ignore[HL101]" suppresses nothing here')
    assert main(["check", "--isolated", "--select", "HL009,HL101", "cm.yaml"]) == 0
    assert main(["check", "--isolated", "--ignore", "HL201", "cm.yaml"]) == 0


# -- partial runs: pre-commit passes only the staged files -------------------------------------
SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
WAVE_LINE = '    argocd.argoproj.io/sync-wave: "2"\n'


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """examples/shop in deploy/; the Ingress's HL301 (line 7) suppressed, and an HL101
    suppression (a per-document rule) on a line with no HL101 finding."""
    import shutil

    shutil.copytree(SHOP, tmp_path / "deploy")
    ingress = tmp_path / "deploy" / "40-ingress.yaml"
    text = ingress.read_text(encoding="utf-8")
    assert WAVE_LINE in text
    ingress.write_text(
        text.replace(WAVE_LINE, WAVE_LINE.rstrip("\n") + "  # hooklint: ignore[HL301]\n").replace(
            "  name: shop\n", "  name: shop  # hooklint: ignore[HL101]\n"
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hl009_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if " HL009 " in line]


UNUSED_HL101 = (
    'deploy/40-ingress.yaml:4:15: HL009 [warning] suppression "# hooklint: ignore[HL101]" '
    "suppresses nothing here; remove it"
)


def test_staged_files_judge_only_per_document_suppressions(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as pre-commit runs it: only the staged file, so the PostSync hook that gates the
    # Ingress is not loaded and HL301 is not produced; its suppression is not "unused"
    assert main(["check", "--isolated", "deploy/40-ingress.yaml"]) == 1
    assert hl009_lines(capsys.readouterr().out) == [UNUSED_HL101]
    assert main(["check", "--isolated", "deploy/40-ingress.yaml", "deploy/30-api.yaml"]) == 1
    assert hl009_lines(capsys.readouterr().out) == [UNUSED_HL101]


@pytest.mark.parametrize(
    "argv",
    [
        ["deploy/"],
        ["--context", "deploy/", "deploy/40-ingress.yaml"],
        ["deploy", "deploy/40-ingress.yaml"],  # the file is in a folder the run walks
    ],
)
def test_runs_that_see_the_app_judge_whole_set_suppressions(
    shop: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    # the HL301 suppression is used (no HL009 about it) ...
    assert main(["check", "--isolated", *argv]) == 1
    assert hl009_lines(capsys.readouterr().out) == [UNUSED_HL101]
    # ... and without the PostSync hook it suppresses nothing, which such a run can tell
    (shop / "deploy" / "50-smoke-test.yaml").unlink()
    assert main(["check", "--isolated", *argv]) == 1
    assert hl009_lines(capsys.readouterr().out) == [
        UNUSED_HL101,
        'deploy/40-ingress.yaml:7:40: HL009 [warning] suppression "# hooklint: ignore[HL301]" '
        "suppresses nothing here; remove it",
    ]


def test_a_staged_file_with_context_in_the_config_is_judged(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (shop / "deploy" / "50-smoke-test.yaml").unlink()
    assert main(["check", "--isolated", "deploy/40-ingress.yaml"]) == 1
    assert len(hl009_lines(capsys.readouterr().out)) == 1
    (shop / ".hooklint.yaml").write_text("context: [deploy/]\n", encoding="utf-8")
    assert main(["check", "deploy/40-ingress.yaml"]) == 1
    assert len(hl009_lines(capsys.readouterr().out)) == 2


def test_whole_set_rules_are_the_checks_that_look_past_their_document() -> None:
    from hooklint.check import sees_other_documents
    from hooklint.registry import load_registry

    registry = load_registry(plugins=False)
    whole = {spec.code for spec in registry.specs if sees_other_documents(registry.check_for(spec))}
    assert whole == {
        "HL009", "HL012", "HL201", "HL202", "HL301", "HL302", "HL303", "HL304", "HL307", "HL308", "HL309",
        "HL310", "HL311", "HL312",
    }  # fmt: skip


def test_each_file_is_audited_once_under_its_own_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # two folders with two configs: each config audits its own files only (the other config's
    # ledger never saw them used, so it called a used suppression unused, and a stale one twice)
    used = BAD_HOOK.replace("HookFailed\n", "HookFailed  # hooklint: ignore[HL101]\n")
    stale = PLAIN + "data:\n  a: b  # hooklint: ignore[HL002]\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "hook.yaml").write_text(used, encoding="utf-8")
        (tmp_path / folder / "plain.yaml").write_text(stale, encoding="utf-8")
    (tmp_path / "b" / ".hooklint.yaml").write_text('argocd-version: "2.10"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 1
    assert hl009_lines(capsys.readouterr().out) == [
        f'{folder}/plain.yaml:6:9: HL009 [warning] suppression "# hooklint: ignore[HL002]" '
        "suppresses nothing here; remove it"
        for folder in ("a", "b")
    ]
