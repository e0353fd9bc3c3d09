"""``hooklint check`` on Kustomize folders: rendered with the real kustomize, findings on source lines.

Needs kubectl (``.ci/install-k8s-tools``, in ``$HOOKLINT_TOOLS/bin``) or kustomize on PATH;
the tests that render skip without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helm_tools import check
from tests.test_kustomize import TOOL, needs_kustomize, write

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
OVERLAY = "redhat-cop__gitops-catalog/advanced-cluster-security-operator/instance/overlays/internal-registry-integration"

BASE = {
    "base/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - job.yaml
  - deploy.yaml
""",
    "base/job.yaml": """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: m
""",
    "base/deploy.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: w, image: w}]
""",
    "overlay/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
resources:
  - ../base
components:
  - ../comp
commonAnnotations:
  argocd.argoproj.io/sync-wave: "1"
patches:
  - path: hook-patch.yaml
""",
    "overlay/hook-patch.yaml": """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
""",
    "overlay/notes.yaml": """\
apiVersion: batch/v1
kind: Job
metadata:
  name: stray
spec:
  template:
    spec:
      containers: [{name: s, image: s}]
""",
    "comp/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - cm.yaml
""",
    "comp/cm.yaml": """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {a: b}
""",
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    kustomize = ["--kustomize", TOOL.argv[0]] if TOOL is not None else []
    code, out, err = check([*kustomize, *args, "--format", "json"], capsys)
    assert "Traceback" not in err
    return code, json.loads(out), err


def brief(found: list[dict[str, Any]]) -> list[tuple[str, str, str, int, int]]:
    return [(f["code"], f["severity"], f["path"], f["line"], f["column"]) for f in found]


@needs_kustomize
def test_overlay_base_component_patch_and_common_annotations(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each finding at the line that wrote it: the base resource, the overlay's patch, the
    kustomization's commonAnnotations; the base and component are built once, as part of the
    overlay; the unreferenced file gets nothing."""
    write(here, BASE)
    code, found, _ = run(["."], capsys)
    assert code == 1
    assert brief(found) == [
        ("HL201", "warning", "base/job.yaml", 5, 1),  # spec: of the base Job (no backoffLimit)
        ("HL202", "warning", "base/job.yaml", 5, 1),
        ("HL101", "warning", "overlay/hook-patch.yaml", 7, 5),  # the delete policy the patch adds
        ("HL011", "info", "overlay/kustomization.yaml", 9, 3),  # the wave in commonAnnotations
    ]
    assert found[0]["message"].startswith("hook Job/migrate (PreSync) sets no spec.backoffLimit")


@needs_kustomize
def test_the_unreferenced_file_is_a_note_only_with_verbose(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(here, BASE)
    kustomize = ["--kustomize", TOOL.argv[0]] if TOOL is not None else []
    _, _, err = check([*kustomize, "."], capsys)
    assert "notes.yaml" not in err
    _, out, err = check([*kustomize, ".", "--verbose"], capsys)
    notes = out + err
    assert "overlay: note: not referenced by the kustomization, not linted: notes.yaml" in notes
    assert "base: note: built as part of overlay, which uses it" in notes


@needs_kustomize
def test_the_base_alone_is_its_own_app(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Linted alone, the base's Job is no hook (the overlay's patch makes it one): HL201 does not apply."""
    write(here, BASE)
    code, found, _ = run(["base"], capsys)
    assert (code, found) == (0, [])


@needs_kustomize
def test_hook_in_common_annotations_is_an_error_at_its_line(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(here, {**BASE, "overlay/kustomization.yaml": BASE["overlay/kustomization.yaml"].replace(
        'argocd.argoproj.io/sync-wave: "1"', "argocd.argoproj.io/hook: PreSync")})  # fmt: skip
    code, found, _ = run(["overlay", "--select", "HL011"], capsys)
    assert code == 1
    assert brief(found) == [("HL011", "error", "overlay/kustomization.yaml", 9, 3)]


@needs_kustomize
def test_configured_severity_wins_over_the_checks_own(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(here, BASE)
    (here / ".hooklint.yaml").write_text("rules:\n  HL011:\n    severity: warning\n")
    kustomize = ["--kustomize", TOOL.argv[0]] if TOOL is not None else []
    from hooklint.cli.app import main

    code = main(["check", *kustomize, "overlay", "--select", "HL011", "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    assert (code, brief(found)) == (1, [("HL011", "warning", "overlay/kustomization.yaml", 9, 3)])


@needs_kustomize
def test_suppression_comment_in_the_source_file_applies(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = BASE["base/job.yaml"].replace("spec:\n  template", "spec:  # hooklint: ignore[HL201]\n  template")
    write(here, {**BASE, "base/job.yaml": job})
    _, found, _ = run(["overlay", "--select", "HL201,HL202"], capsys)
    assert brief(found) == [("HL202", "warning", "base/job.yaml", 5, 1)]


@needs_kustomize
def test_a_broken_kustomization_is_one_hl000_on_its_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(here, {"app/kustomization.yaml": "resources:\n  - missing.yaml\n", "app/job.yaml": BASE["base/job.yaml"]})
    code, found, _ = run(["app"], capsys)
    assert code == 1
    assert brief(found) == [("HL000", "error", "app/kustomization.yaml", 2, 5)]  # at the entry
    assert found[0]["message"] == 'kustomize build failed: resources entry "missing.yaml" does not exist'


@needs_kustomize
def test_another_build_failure_keeps_kustomizes_first_error_line(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(here, {"app/kustomization.yaml": "resources:\n  - job.yaml\nnamePrefix: [not, a, string]\n",
                 "app/job.yaml": BASE["base/job.yaml"]})  # fmt: skip
    code, found, _ = run(["app"], capsys)
    assert code == 1
    assert brief(found) == [("HL000", "error", "app/kustomization.yaml", 1, 1)]
    assert found[0]["message"].startswith("kustomize build failed: ")
    assert "namePrefix" in found[0]["message"] and "\n" not in found[0]["message"]


@needs_kustomize
def test_a_component_alone_is_not_built(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kustomize refuses to build a Component alone; the overlay that uses it builds it."""
    write(here, BASE)
    code, found, _ = run(["comp"], capsys)
    assert (code, found) == (0, [])


def test_a_remote_resource_is_a_finding_at_its_line_never_fetched(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(here, {"app/kustomization.yaml": "resources:\n  - job.yaml\n  - https://github.com/org/repo//base?ref=v1\n",
                 "app/job.yaml": BASE["base/job.yaml"]})  # fmt: skip
    code, found, _ = run(["app"], capsys)
    assert code == 1
    assert brief(found) == [("HL000", "error", "app/kustomization.yaml", 3, 5)]
    assert 'remote resources entry "https://github.com/org/repo//base?ref=v1" is not downloaded' in found[0]["message"]


def test_without_kustomize_the_folder_is_linted_raw_with_a_note(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(here, {"app/kustomization.yaml": "resources:\n  - job.yaml\n", "app/job.yaml": BASE["base/job.yaml"].replace(
        "  name: migrate\n", "  name: migrate\n  annotations: {argocd.argoproj.io/hook: PreSync}\n")})  # fmt: skip
    code, out, err = check(["--kustomize", str(here / "no-such-kustomize"), "app"], capsys)
    assert code == 1
    assert "app: note: kustomize not found (" in out + err
    assert "app/job.yaml:6:1: HL201" in out  # the raw file, as before Kustomize rendering


@pytest.mark.skipif(not (CORPUS / OVERLAY).is_dir(), reason="../shared/corpus is not checked out")
@needs_kustomize
def test_issue_overlay_four_warnings_at_source_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    code, found, _ = run([OVERLAY, "--fail-on", "warning"], capsys)
    instance = "redhat-cop__gitops-catalog/advanced-cluster-security-operator/instance"
    warnings = [f for f in brief(found) if f[1] == "warning"]
    assert code == 1
    assert warnings == [
        ("HL201", "warning", f"{instance}/base/create-cluster-init-bundle-job.yaml", 7, 1),
        ("HL202", "warning", f"{instance}/base/create-cluster-init-bundle-job.yaml", 7, 1),
        ("HL201", "warning", f"{OVERLAY}/stackrox-image-integration-update-job.yaml", 7, 1),
        ("HL202", "warning", f"{OVERLAY}/stackrox-image-integration-update-job.yaml", 7, 1),
    ]


@needs_kustomize
def test_a_folder_that_does_not_build_is_still_linted_raw(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Argo CD fails such an app; its hook Jobs still get their findings, as before rendering."""
    hook_job = BASE["base/job.yaml"].replace(
        "  name: migrate\n", "  name: migrate\n  annotations: {argocd.argoproj.io/hook: PreSync}\n"
    )
    write(here, {"app/kustomization.yaml": "resources:\n  - ../gone\n  - job.yaml\n", "app/job.yaml": hook_job})
    code, found, _ = run(["app", "--select", "HL000,HL201"], capsys)
    assert code == 1
    assert brief(found) == [
        ("HL201", "warning", "app/job.yaml", 6, 1),
        ("HL000", "error", "app/kustomization.yaml", 2, 5),
    ]
