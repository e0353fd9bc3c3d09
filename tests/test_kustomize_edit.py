"""An Application's kustomize block applied as Argo CD's ``kustomize edit`` calls apply it, in a
temporary copy of the app folder; findings on values it sets land on its lines.

The tests that build need kubectl (``.ci/install-k8s-tools``) or kustomize on PATH, and git for
the Application's repository; they skip without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hooklint.sources import kustomize as k
from hooklint.sources.kustomize_edit import AppKustomize, EditError, edit, mirror
from tests.helm_tools import check
from tests.test_kustomize import TOOL, needs_kustomize, objects, write

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# -- the edits ------------------------------------------------------------------------------------
def test_name_prefix_suffix_and_namespace_replace_the_folders() -> None:
    data = {"namePrefix": "dev-", "nameSuffix": "-x", "namespace": "dev", "resources": ["a.yaml"]}
    fields = {"namePrefix": "prod-", "namespace": "prod"}
    assert edit(data, AppKustomize(fields)) == {
        "namePrefix": "prod-", "nameSuffix": "-x", "namespace": "prod", "resources": ["a.yaml"],
    }  # fmt: skip
    assert data["namePrefix"] == "dev-"  # not changed in place


def test_images_replace_entries_of_the_same_name_sorted_and_star_keeps() -> None:
    data = {"images": [{"name": "web", "newName": "reg/web", "newTag": "1"}, {"name": "db", "newTag": "9"}]}
    fields = {"images": [{"name": "web", "newTag": "2"}, {"name": "app", "newName": "reg/app"}]}
    assert edit(data, AppKustomize(fields))["images"] == [
        {"name": "app", "newName": "reg/app"},
        {"name": "db", "newTag": "9"},
        {"name": "web", "newTag": "2"},  # the whole entry replaced: newName dropped, as setimage.go
    ]
    star = {"images": [{"name": "web", "newName": "*", "newTag": "3"}]}
    assert edit(data, AppKustomize(star))["images"][1] == {"name": "web", "newName": "reg/web", "newTag": "3"}


def test_replicas_replace_by_name_or_append() -> None:
    data = {"replicas": [{"name": "web", "count": 1}]}
    fields = {"replicas": [{"name": "web", "count": 3}, {"name": "db", "count": 2}]}
    assert edit(data, AppKustomize(fields))["replicas"] == [
        {"name": "web", "count": 3},
        {"name": "db", "count": 2},
    ]


def test_labels_and_annotations_merge_and_an_existing_key_needs_force() -> None:
    data = {"commonAnnotations": {"a": "1"}, "commonLabels": {"team": "x"}}
    fields = {"commonAnnotations": {"a": "2", "b": "3"}, "commonLabels": {"app": "web"}}
    with pytest.raises(EditError) as caught:
        edit(data, AppKustomize(fields))
    assert str(caught.value) == "annotation a already in kustomization file. Use --force to override."
    assert caught.value.path == ("commonAnnotations", "a")
    forced = edit(data, AppKustomize(fields, force_annotations=True))
    assert forced["commonAnnotations"] == {"a": "2", "b": "3"}
    assert forced["commonLabels"] == {"team": "x", "app": "web"}
    without = edit({}, AppKustomize({"commonLabels": {"app": "web"}}, labels_without_selector=True))
    assert without == {"labels": [{"pairs": {"app": "web"}, "includeSelectors": False}]}


def test_patches_and_components_are_appended() -> None:
    data = {"patches": [{"path": "p.yaml"}], "components": ["../c1"]}
    fields = {"patches": [{"patch": "x"}], "components": ["../c1", "../c2"]}
    assert edit(data, AppKustomize(fields)) == {
        "patches": [{"path": "p.yaml"}, {"patch": "x"}],
        "components": ["../c1", "../c2"],
    }


def test_ignore_missing_components_drops_the_missing_ones(tmp_path: Path) -> None:
    (tmp_path / "c1").mkdir()
    app = AppKustomize({"components": ["c1", "c2"]}, ignore_missing_components=True)
    assert edit({}, app, tmp_path) == {"components": ["c1"]}
    assert edit({}, AppKustomize({"components": ["c1", "c2"]}), tmp_path) == {"components": ["c1", "c2"]}


def test_mirror_copies_the_folder_and_links_the_rest(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write(real, {"base/a.yaml": "a", "envs/prod/kustomization.yaml": "k", "envs/prod/sub/p.yaml": "p",
                 "envs/dev/kustomization.yaml": "d", "other.txt": "o"})  # fmt: skip
    copy = mirror(
        real / "envs/prod", [real / "base/a.yaml", real / "envs/prod/kustomization.yaml"], tmp_path / "m"
    )
    assert copy is not None
    assert (copy.root, copy.common, copy.folder) == (tmp_path / "m", real, tmp_path / "m/envs/prod")
    assert os.readlink(tmp_path / "m/base") == str(real / "base")
    assert os.readlink(tmp_path / "m/other.txt") == str(real / "other.txt")
    assert os.readlink(tmp_path / "m/envs/dev") == str(real / "envs/dev")
    assert not (tmp_path / "m/envs/prod").is_symlink()
    assert (tmp_path / "m/envs/prod/sub/p.yaml").read_text() == "p"
    assert not (tmp_path / "m/envs/prod/sub/p.yaml").is_symlink()
    assert copy.real(tmp_path / "m/base/a.yaml") == real / "base/a.yaml"
    assert copy.real(Path("/elsewhere/x")) == Path("/elsewhere/x")
    assert copy.text(f"error in {tmp_path}/m/envs/prod/k") == f"error in {real}/envs/prod/k"


# -- builds -----------------------------------------------------------------------------------------
TREE = {
    "base/kustomization.yaml": "namePrefix: b-\nresources: [cm.yaml]\n",
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    "overlay/kustomization.yaml": (
        "namePrefix: dev-\nresources: [../base, job.yaml]\ncommonAnnotations: {team: a}\n"
        "patches:\n  - path: patches/deadline.yaml\n"
    ),
    "overlay/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers: [{name: m, image: m}]\n"
    ),
    "overlay/patches/deadline.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  activeDeadlineSeconds: 60\n"
    ),
}
FIELDS: dict[str, Any] = {
    "namePrefix": "prod-",
    "commonAnnotations": {"owner": "web"},
    "images": [{"name": "m", "newTag": "2"}],
    "patches": [{"target": {"kind": "Job"}, "patch": "- {op: add, path: /spec/backoffLimit, value: 0}"}],
}
#: what ``kustomize edit set nameprefix prod-``, ``edit set image m:2``, ``edit add annotation
#: owner:web`` and the patches Argo CD appends write into overlay/kustomization.yaml
EDITED = """\
namePrefix: prod-
resources: [../base, job.yaml]
commonAnnotations: {team: a, owner: web}
images: [{name: m, newTag: "2"}]
patches:
  - path: patches/deadline.yaml
  - target: {kind: Job}
    patch: "- {op: add, path: /spec/backoffLimit, value: 0}"
"""


@needs_kustomize
def test_the_build_is_argo_cds_edit_then_build(tmp_path: Path) -> None:
    """Byte for byte what kustomize builds from the folder after Argo CD's edits (done here by
    hand in a copy); origins point at the real files."""
    write(tmp_path / "repo", TREE)
    result = k.build(tmp_path / "repo/overlay", tmp_path / "repo", TOOL, app=AppKustomize(FIELDS))
    assert isinstance(result, k.KustomizeBuild), result
    argo = tmp_path / "argo"
    shutil.copytree(tmp_path / "repo", argo)
    (argo / "overlay/kustomization.yaml").write_text(EDITED, encoding="utf-8")
    assert TOOL is not None
    plain = subprocess.run([*TOOL.argv, str(argo / "overlay")], capture_output=True, text=True, check=True)
    assert result.text == plain.stdout
    names = [(o.kind, o.name, o.origin.path, o.origin.kustomizations) for o in result.objects]
    assert names == [
        ("ConfigMap", "prod-b-x", "base/cm.yaml", ("base/kustomization.yaml", "overlay/kustomization.yaml")),
        ("Job", "prod-j", "overlay/job.yaml", ("overlay/kustomization.yaml",)),
    ]
    assert objects(result)[1]["spec"]["backoffLimit"] == 0
    assert result.unreferenced == () and result.note == ""
    assert not any(p.is_symlink() for p in (tmp_path / "repo").rglob("*"))
    assert (tmp_path / "repo/overlay/kustomization.yaml").read_text() == TREE["overlay/kustomization.yaml"]


@needs_kustomize
def test_an_edit_argo_cd_refuses_is_a_build_error(tmp_path: Path) -> None:
    write(tmp_path / "repo", TREE)
    app = AppKustomize({"commonAnnotations": {"team": "b"}})
    result = k.build(tmp_path / "repo/overlay", tmp_path / "repo", TOOL, app=app)
    assert result == k.BuildError(
        "overlay/kustomization.yaml",
        "the Application's kustomize block cannot be applied (kustomize edit): "
        "annotation team already in kustomization file. Use --force to override.",
        application_path=("commonAnnotations", "team"),
    )
    forced = k.build(
        tmp_path / "repo/overlay",
        tmp_path / "repo",
        TOOL,
        app=AppKustomize(app.fields, force_annotations=True),
    )
    assert isinstance(forced, k.KustomizeBuild)
    assert objects(forced)[0]["metadata"]["annotations"] == {"team": "b"}


@needs_kustomize
def test_a_build_error_in_the_copy_names_the_real_paths(tmp_path: Path) -> None:
    write(tmp_path / "repo", {**TREE, "overlay/kustomization.yaml": "resources: [../base/cm.yaml]\n"})
    result = k.build(
        tmp_path / "repo/overlay", tmp_path / "repo", TOOL, app=AppKustomize({"namePrefix": "p-"})
    )
    assert isinstance(result, k.BuildError)
    assert result.file == "overlay/kustomization.yaml"
    assert "hooklint-kustomize-" not in result.message
    assert "security; file 'base/cm.yaml' is not in or below 'overlay'" in result.message, result.message


APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: git@github.com:org/repo.git
    path: overlay
    kustomize:
      namePrefix: prod-
      commonAnnotations:
        argocd.argoproj.io/sync-wave: "one"
      patches:
        - target: {kind: Job}
          patch: |
            - op: add
              path: /metadata/annotations/argocd.argoproj.io~1hook
              value: PreSync
            - op: add
              path: /metadata/annotations/argocd.argoproj.io~1hook-delete-policy
              value: HookSucceded
  destination:
    server: https://kubernetes.default.svc
    namespace: web
"""


def git_repo(root: Path) -> Path:
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/org/repo"], check=True
    )
    return root


@needs_git
@needs_kustomize
def test_an_annotation_the_folder_already_sets_is_an_hl000_at_the_applications_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path / "repo")
    application = APPLICATION.replace('argocd.argoproj.io/sync-wave: "one"', "team: b")
    write(root, {**TREE, "apps/web.yaml": application})
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, out, _ = check(["--no-cache", "--kustomize", TOOL.argv[0], "--select", "HL000", "."], capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "apps/web.yaml:14:9: HL000 [error] kustomize build failed: the Application's kustomize block "
        "cannot be applied (kustomize edit): annotation team already in kustomization file. "
        "Use --force to override."
    )
    assert len(out.splitlines()) == 2  # the summary line


@needs_git
@needs_kustomize
def test_values_the_application_sets_are_reported_at_its_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/org/repo"], check=True
    )
    write(root, {**TREE, "apps/web.yaml": APPLICATION})
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, out, err = check(["--no-cache", "--kustomize", TOOL.argv[0], "--format", "json", "."], capsys)
    assert "Traceback" not in err
    found = [(f["code"], f["path"], f["line"], f["column"], f["object"]) for f in json.loads(out)]
    assert code == 1
    assert found == [
        ("HL002", "apps/web.yaml", 14, 9, "v1 ConfigMap prod-b-x"),  # the Application's commonAnnotations
        ("HL002", "apps/web.yaml", 14, 9, "batch/v1 Job prod-j"),
        ("HL004", "apps/web.yaml", 22, 15, "batch/v1 Job prod-j"),  # the op of its inline patch
        ("HL201", "overlay/job.yaml", 5, 1, "batch/v1 Job prod-j"),  # a hook now: spec: of its file
    ]


@needs_kustomize
def test_a_folder_too_big_to_copy_gets_the_fields_on_top_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hooklint.sources import kustomize_edit

    monkeypatch.setattr(kustomize_edit, "MAX_COPY_FILES", 1)
    write(tmp_path / "repo", TREE)
    result = k.build(
        tmp_path / "repo/overlay", tmp_path / "repo", TOOL, app=AppKustomize({"namePrefix": "prod-"})
    )
    assert isinstance(result, k.KustomizeBuild), result
    assert [o.name for o in result.objects] == ["prod-dev-b-x", "prod-dev-j"]  # added, not replaced
    assert result.objects[1].origin.kustomizations == ("overlay/kustomization.yaml",)  # not the temp wrapper
    assert result.note == "too big to copy: the Application's kustomize fields were added on top of it"
