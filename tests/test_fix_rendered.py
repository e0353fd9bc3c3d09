"""``--fix``/``--diff`` for findings of Helm charts and Kustomize builds (hooklint.fix.mapped):
the fix goes into the template, values file, resource file or kustomization the finding maps
to, only where the text is literal there, and only when rendering again gives what it intends.

Needs helm (HELMS) and kubectl/kustomize (``.ci/install-k8s-tools``); skips without them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.helm_tools import HELMS, write_chart
from tests.test_kustomize import TOOL, needs_kustomize, write

CHART = "\n".join(
    (
        "apiVersion: batch/v1",
        "kind: Job",
        "metadata:",
        "  name: {{ .Release.Name }}-migrate",
        "  annotations:",
        "    argocd.argoproj.io/hook: Presync   # before the sync",
        "    argocd.argoproj.io/sync-wave: 5",
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded",
        "spec:",
        "  backoffLimit: {{ .Values.backoff }}",
        "  template:",
        "    spec:",
        "      restartPolicy: Never",
        "      containers:",
        "        - name: m",
        "          image: {{ .Values.image | quote }}",
        "---",
        "apiVersion: batch/v1",
        "kind: Job",
        "metadata:",
        "  name: {{ .Release.Name }}-report",
        "  annotations:",
        "    argocd.argoproj.io/hook: PostSync",
        "    argocd.argoproj.io/sync-wave: {{ .Values.wave | quote }}",
        "    {{- toYaml .Values.jobAnnotations | nindent 4 }}",
        "spec:",
        "  {{- toYaml .Values.jobSpec | nindent 2 }}",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: {{ .Release.Name }}-settings",
        "  annotations:",
        "    argocd.argoproj.io/sync-wave: {{ .Values.wave }}",
        "",
    )
)
VALUES = (
    "backoff: 1\nimage: m\nwave: 3\n"
    "jobAnnotations:\n  argocd.argoproj.io/hook-delete-policy: HookSucceded  # policy\n"
    "jobSpec:\n  activeDeadlineSeconds: 60\n  template:\n    spec:\n      restartPolicy: Never\n"
    "      containers: [{name: r, image: r}]\n"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--isolated", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- Helm ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("helm", HELMS)
def test_chart_template_and_values_file_fixed_byte_for_byte(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    write_chart(here / "demo", {"job.yaml": CHART}, VALUES)
    # the literal template line and the values line toYaml prints are marked; the computed ones not
    code, out, _ = run(["demo", "--helm", helm, "--select", "HL001,HL004"], capsys)
    assert code == 1
    assert "demo/templates/job.yaml:7:35: HL001 [*] [error]" in out
    assert "demo/templates/job.yaml:34:35: HL001 [error]" in out  # {{ .Values.wave }}: computed
    code, out, err = run(["demo", "--helm", helm, "--fix", "--unsafe-fixes"], capsys)
    template = (here / "demo/templates/job.yaml").read_text()
    assert template == CHART.replace("hook: Presync ", "hook: PreSync ").replace(
        "sync-wave: 5", 'sync-wave: "5"'
    ).replace("hook-delete-policy: HookSucceeded", "hook-delete-policy: HookSucceeded,BeforeHookCreation").replace(
        "spec:\n  backoffLimit:", "spec:\n  activeDeadlineSeconds: 600\n  backoffLimit:"
    )
    # the values line toYaml prints: the policy spelt right, then BeforeHookCreation added
    assert (here / "demo/values.yaml").read_text() == VALUES.replace(
        "HookSucceded  # policy", "HookSucceeded,BeforeHookCreation  # policy"
    )
    # what is left: the wave a values key computes, and the message says what to change where
    assert [line.split(" [")[0] for line in out.splitlines()[:-1]] == [
        "demo/templates/job.yaml:27:1: HL201",  # spec from toYaml: no literal block to add it to
        "demo/templates/job.yaml:35:35: HL001",
    ]
    assert "[*]" not in out
    assert (
        'demo/templates/job.yaml: note: HL001 on ConfigMap/demo-settings (metadata.annotations["argocd.argoproj.io/'
        'sync-wave"]) not fixed: the text here is not what Argo CD gets (a template action, a values key '
        "or a patch makes it)"
    ) in err
    assert "Fixed 6 findings in 2 files." in err
    assert code == 1
    # idempotent: a second --fix changes nothing
    before = tree(here)
    code, _, err = run(["demo", "--helm", helm, "--fix", "--unsafe-fixes"], capsys)
    assert tree(here) == before and "No fixes applied." in err


@pytest.mark.parametrize("helm", HELMS)
def test_a_computed_value_gets_no_fix_and_says_so(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    template = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
        "    argocd.argoproj.io/sync-wave: {{ .Values.wave }}\n"
        "    argocd.argoproj.io/sync-options: {{ .Values.options }}\n"
    )
    write_chart(here / "demo", {"cm.yaml": template}, "wave: 2\noptions: prune=False\n")
    before = tree(here)
    code, out, err = run(["demo", "--helm", helm, "--diff"], capsys)
    assert (code, out) == (0, "")
    assert "No fixes to apply." in err
    assert "note: HL001 on ConfigMap/c (metadata.annotations[\"argocd.argoproj.io/sync-wave\"]) not fixed" in err
    assert tree(here) == before


@pytest.mark.parametrize("helm", HELMS)
def test_no_key_is_added_to_a_block_an_action_prints(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    """HL201 on a Job whose spec comes from ``toYaml``: the block is not literal text."""
    template = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "spec:\n  {{- toYaml .Values.spec | nindent 2 }}\n"
    )
    values = "spec:\n  activeDeadlineSeconds: 5\n  template:\n    spec:\n      restartPolicy: Never\n"
    values += "      containers: [{name: a, image: a}]\n"
    write_chart(here / "demo", {"job.yaml": template}, values)
    before = tree(here)
    code, out, err = run(["demo", "--helm", helm, "--fix", "--unsafe-fixes", "--select", "HL201"], capsys)
    assert tree(here) == before
    assert code == 1 and "HL201 [warning]" in out and "No fixes applied." in err
    assert "note: HL201 on Job/j (spec.backoffLimit) not fixed" in err


@pytest.mark.parametrize("helm", HELMS)
def test_a_fix_that_does_not_render_as_intended_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    """The literal line is printed only when a value is set; --set makes the template print a
    second, computed copy of the key: rendering again does not give the intended object."""
    template = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
        "    argocd.argoproj.io/sync-options: {{ if .Values.x }}{{ .Values.x }}{{ else }}prune=False{{ end }}\n"
    )
    write_chart(here / "demo", {"cm.yaml": template}, "x: ''\n")
    before = tree(here)
    code, _, err = run(["demo", "--helm", helm, "--diff"], capsys)
    assert code == 0 and tree(here) == before and "No fixes to apply." in err


# -- Kustomize ----------------------------------------------------------------------------------
KUSTOMIZE = {
    "base/kustomization.yaml": "resources:\n- job.yaml\n- cm.yaml\n",
    "base/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
        "    argocd.argoproj.io/hook: Presync   # the hook\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 60\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n      - name: m\n        image: m\n"
    ),
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
    "overlay/kustomization.yaml": (
        "resources:\n- ../base\ncommonAnnotations:\n"
        "  argocd.argoproj.io/sync-options: serverSideApply=True   # for big CRDs\n"
        "patches:\n- target: {kind: ConfigMap}\n  patch: |-\n    - op: add\n"
        "      path: /metadata/annotations/argocd.argoproj.io~1sync-wave\n      value: '1'\n"
    ),
}


def kustomize_args() -> list[str]:
    return ["--kustomize", TOOL.argv[0]] if TOOL is not None else []


@needs_kustomize
def test_kustomize_resource_file_and_common_annotations_fixed_byte_for_byte(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(here, KUSTOMIZE)
    code, out, _ = run([*kustomize_args(), "overlay"], capsys)
    assert code == 1 and "base/job.yaml:6:30: HL003 [*] [error]" in out
    assert 'overlay/kustomization.yaml:4:3: HL005 [*] [warning] sync option "serverSideApply=True"' in out
    code, out, err = run([*kustomize_args(), "overlay", "--fix"], capsys)
    assert (code, "HL" in out) == (0, False)  # nothing left
    assert (here / "base/job.yaml").read_text() == KUSTOMIZE["base/job.yaml"].replace(
        "Presync", "PreSync"
    ).replace("HookSucceeded\n", "HookSucceeded,BeforeHookCreation\n")
    # one commonAnnotations line stamps both objects (and the Job's pod template): fixed once
    assert (here / "overlay/kustomization.yaml").read_text() == KUSTOMIZE["overlay/kustomization.yaml"].replace(
        "serverSideApply=True", "ServerSideApply=true"
    )
    assert (here / "base/cm.yaml").read_text() == KUSTOMIZE["base/cm.yaml"]
    assert "Fixed 3 findings in 2 files." in err
    before = tree(here)
    run([*kustomize_args(), "overlay", "--fix"], capsys)
    assert tree(here) == before


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch (apt-get install patch)")
@pytest.mark.parametrize("source", ["helm", "kustomize"])
def test_diff_applies_with_patch_to_what_fix_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    if source == "helm":
        helm = next((p.values[0] for p in HELMS if p.values[0]), None)
        if helm is None:
            pytest.skip("helm not found")
        args = ["demo", "--helm", helm]
    else:
        if TOOL is None:
            pytest.skip("kustomize not found")
        args = [*kustomize_args(), "overlay"]
    trees = {}
    for name in ("diffed", "fixed"):
        root = tmp_path / name
        root.mkdir()
        if source == "helm":
            write_chart(root / "demo", {"job.yaml": CHART}, VALUES)
        else:
            write(root, KUSTOMIZE)
        trees[name] = root
    monkeypatch.chdir(trees["diffed"])
    before = tree(trees["diffed"])
    code = main(["check", "--isolated", *args, "--diff", "--unsafe-fixes"])
    patch_text, _ = capsys.readouterr()
    assert code == 1 and patch_text.startswith("--- a/")
    assert tree(trees["diffed"]) == before  # --diff changes nothing
    monkeypatch.chdir(trees["fixed"])
    main(["check", "--isolated", *args, "--fix", "--unsafe-fixes"])
    capsys.readouterr()
    patched = subprocess.run(
        ["patch", "-p1", "--batch", "--quiet"],
        cwd=trees["diffed"],
        input=patch_text.encode(),
        capture_output=True,
        check=False,
    )
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert tree(trees["diffed"]) == tree(trees["fixed"]) != before


# -- --add-ignore -------------------------------------------------------------------------------
@pytest.mark.parametrize("helm", HELMS)
def test_add_ignore_writes_comments_where_the_findings_map(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    """Comments in a template and in a values file are honoured (each file's own suppression
    comments): --add-ignore writes them there, and the chart then reports nothing."""
    write_chart(here / "demo", {"job.yaml": CHART}, VALUES)
    code, _, err = run(["demo", "--helm", helm, "--add-ignore", "--select", "HL001,HL003,HL004"], capsys)
    assert code == 0 and "Added 3 ignore comments in 2 files." in err
    # (HL003 on Presync is not reported: the integer wave makes Argo CD read no annotation at all)
    assert (here / "demo/templates/job.yaml").read_text() == CHART.replace(
        "sync-wave: 5", "sync-wave: 5  # hooklint: ignore[HL001]"
    ).replace(
        "sync-wave: {{ .Values.wave }}", "sync-wave: {{ .Values.wave }}  # hooklint: ignore[HL001]"
    )
    assert (here / "demo/values.yaml").read_text() == VALUES.replace(
        "HookSucceded  # policy", "HookSucceded  # policy  # hooklint: ignore[HL004]"
    )
    code, out, _ = run(["demo", "--helm", helm, "--select", "HL001,HL003,HL004"], capsys)
    assert code == 0 and "3 suppressed" in out


@pytest.mark.parametrize("helm", HELMS)
def test_no_key_added_where_a_branch_of_the_template_writes_it(
    here: Path, capsys: pytest.CaptureFixture[str], helm: str
) -> None:
    """``activeDeadlineSeconds`` under an ``if`` the values do not take: adding it literally
    renders as intended today, but prints the key twice once the values take the branch."""
    template = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "spec:\n  backoffLimit: 1\n"
        "{{- if .Values.deadline }}\n  activeDeadlineSeconds: {{ .Values.deadline }}\n{{- end }}\n"
        "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: a}]\n"
    )
    write_chart(here / "demo", {"job.yaml": template}, "deadline: 0\n")
    before = tree(here)
    code, out, err = run(["demo", "--helm", helm, "--diff", "--unsafe-fixes", "--select", "HL202"], capsys)
    assert (code, out, tree(here)) == (0, "", before)
    assert "note: HL202 on Job/j (spec.activeDeadlineSeconds) not fixed" in err


@needs_kustomize
def test_a_base_two_apps_render_is_fixed_when_both_render_as_before(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fix in a base is verified for every app of the run that renders it: ``a`` gets its
    fix, and ``b``, rendered again, must give no HL000 and change only as ``a``'s objects do
    (same paths, same values); the base is edited once, not once per app."""
    files = {
        "base/kustomization.yaml": "resources:\n- job.yaml\n",
        "base/job.yaml": KUSTOMIZE["base/job.yaml"],
        "a/kustomization.yaml": "resources:\n- ../base\nnamePrefix: a-\n",
        "b/kustomization.yaml": "resources:\n- ../base\nnamePrefix: b-\n",
    }
    write(here, files)
    code, out, err = run([*kustomize_args(), "a", "b", "--fix"], capsys)
    assert (here / "base/job.yaml").read_text() == KUSTOMIZE["base/job.yaml"].replace(
        "Presync", "PreSync"
    ).replace("HookSucceeded\n", "HookSucceeded,BeforeHookCreation\n")
    assert (code, "HL" in out) == (0, False)
    assert "Fixed " in err and " in 1 file." in err


@pytest.mark.parametrize("helm", HELMS)
def test_hl006_moves_in_a_template(here: Path, capsys: pytest.CaptureFixture[str], helm: str) -> None:
    """A label (safe) and a pod template annotation (unsafe) moved to the object's own
    annotations, in the template; the moved key's old line does not count as "written
    elsewhere"."""
    template = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-j\n  labels:\n"
        '    app: x\n    argocd.argoproj.io/sync-wave: "2"\n'
        "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 5\n  template:\n    metadata:\n"
        "      annotations:\n        argocd.argoproj.io/hook: PreSync\n"
        "    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: a}]\n"
    )
    write_chart(here / "c", {"job.yaml": template}, "")
    run(["c", "--helm", helm, "--fix"], capsys)
    safe = template.replace('    argocd.argoproj.io/sync-wave: "2"\n', "").replace(
        "metadata:\n  name:", 'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "2"\n  name:'
    )
    assert (here / "c/templates/job.yaml").read_text() == safe
    code, out, err = run(["c", "--helm", helm, "--fix", "--unsafe-fixes"], capsys)
    assert (here / "c/templates/job.yaml").read_text() == safe.replace(
        "    metadata:\n      annotations:\n        argocd.argoproj.io/hook: PreSync\n", ""
    ).replace("  annotations:\n", "  annotations:\n    argocd.argoproj.io/hook: PreSync\n", 1)
    assert (code, "HL006" in out, "Fixed 1 finding in 1 file." in err) == (0, False, True)


@needs_kustomize
def test_add_ignore_in_a_resource_file_and_a_kustomization(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(here, KUSTOMIZE)
    code, _, err = run([*kustomize_args(), "overlay", "--add-ignore"], capsys)
    assert code == 0 and "Added 2 ignore comments in 2 files." in err
    assert (here / "base/job.yaml").read_text() == KUSTOMIZE["base/job.yaml"].replace(
        "# the hook", "# the hook  # hooklint: ignore[HL003]"
    )
    assert (here / "overlay/kustomization.yaml").read_text() == KUSTOMIZE["overlay/kustomization.yaml"].replace(
        "# for big CRDs", "# for big CRDs  # hooklint: ignore[HL005]"
    )
    code, out, _ = run([*kustomize_args(), "overlay"], capsys)
    assert code == 0 and "2 suppressed" in out


def test_templates_linted_without_rendering_get_no_fix(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--no-render (or no helm): nothing to verify a template fix with, so none is offered."""
    write_chart(here / "demo", {"job.yaml": CHART}, VALUES)
    before = tree(here)
    code, out, _ = run(["demo", "--no-render", "--select", "HL001"], capsys)
    assert code == 1 and "demo/templates/job.yaml:7:35: HL001 [error]" in out and "[*]" not in out
    code, out, err = run(["demo", "--no-render", "--fix", "--unsafe-fixes"], capsys)
    assert tree(here) == before and "No fixes applied." in err
