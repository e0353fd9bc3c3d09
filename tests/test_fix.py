"""``check --fix``: each fix, byte for byte, on the file as written (comments, odd
indentation, flow style, CRLF, BOM); what is refused; idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.conftest import JOB_TAIL, hook_job


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    return tmp_path


def fix(work: Path, data: str | bytes, *flags: str, name: str = "app/job.yaml") -> bytes:
    """Write ``data``, run ``check --fix --isolated`` on it with ``flags``, return the file's bytes."""
    path = work / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    main(["check", "--isolated", "--fix", *flags, name])
    return path.read_bytes()


def same_after_second_fix(work: Path, *flags: str, name: str = "app/job.yaml") -> bool:
    before = (work / name).read_bytes()
    main(["check", "--isolated", "--fix", *flags, name])
    return (work / name).read_bytes() == before


# -- HL001 ---------------------------------------------------------------------------------
def test_hl001_quotes_the_value_as_written_keeping_the_comment(work: Path) -> None:
    before = hook_job(
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/sync-wave: 5   # early\n"
        "    example.com/enabled: yes\n"
        "    example.com/ratio: 0x1F\n"
    )
    after = fix(work, before)
    assert after.decode() == before.replace("sync-wave: 5 ", 'sync-wave: "5" ').replace(
        "enabled: yes", 'enabled: "yes"'
    ).replace("ratio: 0x1F", 'ratio: "0x1F"')
    assert same_after_second_fix(work)


def test_hl001_in_a_flow_mapping_and_an_empty_value(work: Path) -> None:
    before = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
        "  annotations: {argocd.argoproj.io/sync-wave: 5, example.com/x: 'a'}\n"
        "  labels: {app: shop}\n"
        "data: {}\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  annotations:\n"
        "    example.com/empty:    # nothing\n"
        "    example.com/null: ~\n"
    )
    after = fix(work, before)
    assert after.decode() == (
        before.replace("sync-wave: 5,", 'sync-wave: "5",')
        .replace("empty:    # nothing", 'empty: ""    # nothing')
        .replace("null: ~", 'null: "~"')
    )


def test_hl001_a_key_alone_in_a_flow_mapping_gets_an_empty_string(work: Path) -> None:
    before = (
        hook_job("", "").replace(
            "  annotations:\n", "  annotations: {argocd.argoproj.io/hook: Sync, postsync}  # meant a list\n"
        )
        + JOB_TAIL
    )
    assert fix(work, before).decode() == before.replace("postsync}", 'postsync: ""}')


def test_hl001_on_a_pod_template_annotation(work: Path) -> None:
    tail = JOB_TAIL.replace(
        "    spec:\n      restartPolicy",
        "    metadata:\n      annotations:\n        sidecar.istio.io/inject: false\n    spec:\n      restartPolicy",
    )
    before = hook_job("    argocd.argoproj.io/hook: PreSync\n", tail)
    assert fix(work, before).decode() == before.replace("inject: false", 'inject: "false"')


def test_hl001_leaves_lists_and_mappings_alone(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hook_job("    argocd.argoproj.io/hook: [PreSync]\n")
    assert fix(work, before).decode() == before
    out = capsys.readouterr().out
    assert "HL001 [error]" in out and "[*]" not in out


# -- HL003 / HL004 / HL005 ------------------------------------------------------------------
def test_hl003_hl004_hl005_replace_misspellings_keeping_quotes_and_spacing(work: Path) -> None:
    before = hook_job(
        "    argocd.argoproj.io/hook: 'Presync, postsynch'\n"
        '    argocd.argoproj.io/hook-delete-policy: "HookSucceded,HookFailed"\n'
        "    argocd.argoproj.io/sync-options: delete=False,Validate=false  # keep\n"
    )
    after = fix(work, before).decode()
    assert after == (
        before.replace("'Presync, postsynch'", "'PreSync, PostSync'")
        .replace('"HookSucceded,HookFailed"', '"HookSucceeded,HookFailed,BeforeHookCreation"')  # then HL101
        .replace("delete=False,", "Delete=false,")
    )
    assert same_after_second_fix(work)


def test_hl005_gives_no_fix_whose_spelling_does_nothing_on_a_hook(work: Path) -> None:
    # Prune=false is no-op on a hook (hooks are never pruned): still HL005 after the fix
    before = hook_job("    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-options: prune=False\n")
    assert fix(work, before).decode() == before


def test_ambiguous_or_helm_values_get_no_fix(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hook_job(
        "    argocd.argoproj.io/hook: pre-install\n"
        "    argocd.argoproj.io/hook-delete-policy: HookDone\n"
        "    argocd.argoproj.io/sync-options: CreateNamespace=true\n"
    )
    assert fix(work, before).decode() == before
    out = capsys.readouterr()
    assert "[*]" not in out.out and "No fixes applied." in out.err


# -- HL101 ----------------------------------------------------------------------------------
def test_hl101_adds_before_hook_creation_after_the_existing_items(work: Path) -> None:
    before = hook_job(
        "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookFailed  # why\n"
    )
    assert fix(work, before).decode() == before.replace(
        "HookFailed  # why", "HookFailed,BeforeHookCreation  # why"
    )
    helm = hook_job("    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n")
    assert fix(work, helm).decode() == helm.replace("hook-succeeded", "hook-succeeded,before-hook-creation")


def test_hl101_in_a_flow_mapping_is_quoted_since_a_comma_would_end_the_value(work: Path) -> None:
    before = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db-migrate\n"
        "  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: HookFailed}\n"
        + JOB_TAIL
    )
    assert fix(work, before).decode() == before.replace(
        "hook-delete-policy: HookFailed}", 'hook-delete-policy: "HookFailed,BeforeHookCreation"}'
    )


# -- HL201 / HL202 (unsafe) -----------------------------------------------------------------
JOB_WITHOUT_LIMITS = """\
apiVersion: batch/v1
kind: Job
metadata:
   name: db-migrate
   annotations:
      argocd.argoproj.io/hook: PreSync
spec:   # the job
   # the pod
   template:
      spec:
         restartPolicy: Never
         containers:
         -  name: migrate
            image: example/migrate:1.0
"""


def test_hl201_hl202_need_unsafe_fixes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fix(work, JOB_WITHOUT_LIMITS).decode() == JOB_WITHOUT_LIMITS
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "2 fixable with --fix --unsafe-fixes"
    after = fix(work, JOB_WITHOUT_LIMITS, "--unsafe-fixes").decode()
    assert after == JOB_WITHOUT_LIMITS.replace(
        "spec:   # the job\n", "spec:   # the job\n   backoffLimit: 1\n   activeDeadlineSeconds: 600\n"
    )
    assert same_after_second_fix(work, "--unsafe-fixes")


def test_hl201_hl202_values_come_from_the_rule_params(work: Path) -> None:
    (work / "cfg.yaml").write_text(
        "rules:\n  hook-job-without-backoff-limit: {params: {fix-backoff-limit: 0}}\n"
        "  job-without-deadline: {params: {fix-active-deadline-seconds: 120}}\n"
    )
    path = work / "app" / "job.yaml"
    path.write_text(JOB_WITHOUT_LIMITS)
    assert main(["check", "--config", "cfg.yaml", "--fix", "--unsafe-fixes", "app/job.yaml"]) == 0
    assert "   backoffLimit: 0\n   activeDeadlineSeconds: 120\n" in path.read_text()


def test_a_flow_spec_gets_the_key_in_flow_style(work: Path) -> None:
    before = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: m, annotations: {argocd.argoproj.io/hook: PreSync}}\n"
        "spec: {backoffLimit: 1, template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}\n"
    )
    assert fix(work, before, "--unsafe-fixes").decode() == before.replace(
        "spec: {backoffLimit", "spec: {activeDeadlineSeconds: 600, backoffLimit"
    )


# -- HL203 / HL204 --------------------------------------------------------------------------
def test_hl203_sets_never_in_place_or_adds_it(work: Path) -> None:
    always = JOB_TAIL.replace("restartPolicy: Never", 'restartPolicy: "Always"  # oops')
    before = hook_job("    argocd.argoproj.io/hook: Sync\n", always)
    assert fix(work, before).decode() == before.replace('"Always"  # oops', '"Never"  # oops')
    missing = JOB_TAIL.replace("      restartPolicy: Never\n", "")
    before = hook_job("    argocd.argoproj.io/hook: Sync\n", missing)
    assert fix(work, before).decode() == hook_job("    argocd.argoproj.io/hook: Sync\n")


def test_hl204_onfailure_is_unsafe(work: Path) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: smoke\n  annotations:\n"
        "    argocd.argoproj.io/hook: PostSync\nspec:\n  restartPolicy: OnFailure\n"
        "  containers:\n    - {name: t, image: t}\n"
    )
    assert fix(work, pod).decode() == pod
    assert fix(work, pod, "--unsafe-fixes").decode() == pod.replace("OnFailure", "Never")
    always = pod.replace("  restartPolicy: OnFailure\n", "")
    assert fix(work, always).decode() == always.replace("spec:\n", "spec:\n  restartPolicy: Never\n")


# -- HL006 ----------------------------------------------------------------------------------
def test_hl006_moves_a_label_to_the_annotations(work: Path) -> None:
    before = hook_job(
        "    argocd.argoproj.io/hook: PreSync\n",
    ).replace(
        "  annotations:\n",
        "  labels:\n    app: db\n    argocd.argoproj.io/sync-wave: '2'  # wave\n  annotations:\n",
    )
    after = fix(work, before).decode()
    assert after == hook_job(
        "    argocd.argoproj.io/sync-wave: '2'  # wave\n    argocd.argoproj.io/hook: PreSync\n"
    ).replace("  annotations:\n", "  labels:\n    app: db\n  annotations:\n")


def test_hl006_creates_annotations_and_drops_an_emptied_labels(work: Path) -> None:
    before = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: settings\n    labels:\n"
        '        argocd.argoproj.io/sync-wave: "-1"\ndata:\n    a: b\n'
    )
    assert fix(work, before).decode() == (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    annotations:\n"
        '        argocd.argoproj.io/sync-wave: "-1"\n    name: settings\ndata:\n    a: b\n'
    )


def test_hl006_moves_a_pod_template_annotation_to_the_object_unsafe(work: Path) -> None:
    """A key in the pod template's annotations goes to the object's own annotations; an
    emptied ``annotations:`` and ``metadata:`` go too.  Unsafe: the pod template changes."""
    before = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db-migrate\n  labels:\n    app: x\n"
        "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 100\n  template:\n    metadata:\n"
        "      annotations:\n        argocd.argoproj.io/hook: PreSync  # hook\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n        - name: m\n          image: m\n"
    )
    assert fix(work, before).decode() == before  # unsafe: not without --unsafe-fixes
    after = fix(work, before, "--unsafe-fixes").decode()
    assert after == before.replace(
        "    metadata:\n      annotations:\n        argocd.argoproj.io/hook: PreSync  # hook\n", ""
    ).replace("metadata:\n  name:", "metadata:\n  annotations:\n    argocd.argoproj.io/hook: PreSync  # hook\n  name:")
    assert same_after_second_fix(work, "--unsafe-fixes")


def test_hl006_pod_template_label_kept_when_a_selector_uses_it(work: Path) -> None:
    before = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    a: b\n"
        "spec:\n  selector:\n    matchLabels:\n      argocd.argoproj.io/sync-wave: '1'\n"
        "  template:\n    metadata:\n      labels:\n        app: web\n"
        "        argocd.argoproj.io/sync-wave: '1'\n"
        "        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "    spec:\n      containers:\n        - name: web\n          image: web\n"
    )
    after = fix(work, before, "--unsafe-fixes").decode()
    assert after == before.replace("        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n", "").replace(
        "  annotations:\n    a: b\n", "  annotations:\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n    a: b\n"
    )


def test_hl006_cronjob_job_template_annotation(work: Path) -> None:
    before = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n   name: nightly\nspec:\n   schedule: '@daily'\n"
        "   jobTemplate:\n      metadata:\n         annotations:\n            argocd.argoproj.io/sync-wave: '3'\n"
        "         labels:\n            team: a\n"
        "      spec:\n         template:\n            spec:\n               restartPolicy: Never\n"
        "               containers: [{name: c, image: c}]\n"
    )
    after = fix(work, before, "--unsafe-fixes").decode()
    assert after == before.replace(
        "         annotations:\n            argocd.argoproj.io/sync-wave: '3'\n", ""
    ).replace("metadata:\n   name:", "metadata:\n   annotations:\n      argocd.argoproj.io/sync-wave: '3'\n   name:")


# -- line breaks, BOM, documents ---------------------------------------------------------------
def test_crlf_and_bom_are_kept_and_inserted_lines_use_crlf(work: Path) -> None:
    text = hook_job(
        "    argocd.argoproj.io/hook: presync\n", JOB_TAIL.replace("      restartPolicy: Never\n", "")
    )
    before = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    after = fix(work, before)
    want = hook_job("    argocd.argoproj.io/hook: PreSync\n")
    assert after == b"\xef\xbb\xbf" + want.replace("\n", "\r\n").encode()


def test_several_documents_separators_comments_and_list_items(work: Path) -> None:
    before = (
        "# header\n---\n"
        + hook_job("    argocd.argoproj.io/hook: Presync\n")
        + "...\n---\n# the list\napiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    annotations:\n"
        "      argocd.argoproj.io/sync-wave: 3\n"
    )
    assert fix(work, before).decode() == before.replace("Presync", "PreSync").replace(
        "sync-wave: 3", 'sync-wave: "3"'
    )


# -- refusals --------------------------------------------------------------------------------
def test_a_file_with_a_parse_error_is_never_fixed(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hook_job("    argocd.argoproj.io/hook: Presync\n") + "---\nkey: [unclosed\n"
    assert fix(work, before).decode() == before
    assert "HL000" in capsys.readouterr().out


def test_templates_and_stdin_are_never_fixed(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    template = hook_job("    argocd.argoproj.io/hook: {{ .Values.hook }}\n")
    assert fix(work, template).decode() == template
    import io
    import sys

    text = hook_job("    argocd.argoproj.io/hook: Presync\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    (work / "app" / "job.yaml").write_text(text)
    capsys.readouterr()
    code = main(["check", "--isolated", "--fix", "-", "--stdin-filename", "app/job.yaml"])
    out = capsys.readouterr().out
    assert code == 1 and "HL003 [error]" in out and "[*]" not in out
    assert (work / "app" / "job.yaml").read_text() == text


def test_a_fix_hooklint_cannot_read_back_is_not_applied(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.fix import changes, fixers
    from hooklint.fix.text import Edit

    class Breaks(fixers.UnknownHookTypeFix):
        def changes(self, target, src):  # type: ignore[no-untyped-def]
            offset = src.offset(target.doc.locate(target.path))
            yield changes.Change((Edit(offset, offset, "[PreSync"),), changes.set_at(target.path, "PreSync"))

    monkeypatch.setitem(fixers.FIXERS, "HL003", Breaks())
    before = hook_job("    argocd.argoproj.io/hook: Presync\n")
    assert fix(work, before).decode() == before


def test_a_fix_that_reads_back_other_values_is_not_applied(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hooklint.fix import changes, fixers
    from hooklint.fix.text import Edit

    class Drifts(fixers.UnknownHookTypeFix):
        def changes(self, target, src):  # type: ignore[no-untyped-def]
            offset = src.offset(target.doc.locate(target.path))
            # valid YAML, but it also changes the name: not what the fix intends
            name = src.text.index("db-migrate")
            yield changes.Change(
                (Edit(name, name + 2, "xx"), Edit(offset, offset + 7, "PreSync")),
                changes.set_at(target.path, "PreSync"),
            )

    monkeypatch.setitem(fixers.FIXERS, "HL003", Drifts())
    before = hook_job("    argocd.argoproj.io/hook: Presync\n")
    assert fix(work, before).decode() == before


#: HL003 (Presync: safe fix); once fixed, HL004 (HookDone: no fix)
PRESYNC_TYPO_HOOKDONE = hook_job(
    "    argocd.argoproj.io/hook: Presync\n    argocd.argoproj.io/hook-delete-policy: HookDone\n"
)


def test_fix_only_reports_nothing_else_and_exits_zero(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "app" / "job.yaml").write_text(PRESYNC_TYPO_HOOKDONE)
    capsys.readouterr()
    assert main(["check", "--isolated", "--fix-only", "app/job.yaml"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == "Fixed 1 finding in 1 file.\n"


def test_fix_reports_what_remains(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "app" / "job.yaml").write_text(PRESYNC_TYPO_HOOKDONE)
    capsys.readouterr()
    assert main(["check", "--isolated", "--fix", "app/job.yaml"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["HL004"]
    assert lines[-1] == "Found 1 finding (1 error) in 1 file (1 object)."
    assert err == "Fixed 1 finding in 1 file.\n"


def test_one_bad_fix_among_many_costs_a_few_reads_and_blocks_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hooklint.fix import changes, fixers, plan
    from hooklint.fix.text import Edit
    from hooklint.sources.files import load_bytes

    text = "---\n".join(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-{n}\n  annotations:\n    a: {n}\n"
        for n in range(40)
    )

    class BadOnSeven(fixers.AnnotationNotStringFix):
        def changes(self, target, src):  # type: ignore[no-untyped-def]
            if target.doc.name == "c-7":
                offset = src.offset(target.doc.locate(target.path))
                yield changes.Change((Edit(offset, offset, "{"),), changes.set_at(target.path, "7"))
                return
            yield from super().changes(target, src)

    monkeypatch.setitem(fixers.FIXERS, "HL001", BadOnSeven())
    from tests.conftest import lint_texts

    findings = lint_texts({"many.yaml": text}, select=("HL001",)).findings
    reads: list[str] = []
    real = plan.values
    monkeypatch.setattr(plan, "values", lambda t, bom=False: reads.append(t) or real(t, bom))
    data = text.encode()
    assert len(load_bytes(data, "many.yaml").documents) == 40 and len(findings) == 40
    result = plan.fix_file(data, "many.yaml", findings, {}, frozenset({"safe"}))
    assert result is not None and len(result.fixed) == 39
    want = text.replace("    a: ", '    a: "').replace('a: "7\n', "a: 7\n")
    want = "\n".join(line + '"' if line.startswith('    a: "') else line for line in want.split("\n"))
    assert result.data.decode() == want
    assert 2 <= len(reads) <= 16  # halving: about 2 log2(40) reads, not one per fix


def test_a_file_that_cannot_be_written_is_reported_as_it_is(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hook_job("    argocd.argoproj.io/hook: Presync\n")
    (work / "app" / "job.yaml").write_text(before)
    (work / "app" / "other.yaml").write_text(before.replace("db-migrate", "other"))
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name == "job.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    capsys.readouterr()
    assert main(["check", "--isolated", "--fix", "app"]) == 1
    out, err = capsys.readouterr()
    assert (work / "app" / "job.yaml").read_text() == before
    assert (work / "app" / "other.yaml").read_text() == before.replace("db-migrate", "other").replace(
        "Presync", "PreSync"
    )
    assert err == (
        "app/job.yaml: note: cannot be written: Permission denied; not fixed\nFixed 1 finding in 1 file.\n"
    )
    assert [line.split()[:3] for line in out.splitlines()[:-1]] == [
        ["app/job.yaml:6:30:", "HL003", "[error]"]
    ]
