"""Kustomize build options (config, command line, argocd-cm) and the helm ``--enable-helm`` runs.

Tests that render need kubectl (``.ci/install-k8s-tools``) or kustomize on PATH, and Helm 3 / 4
from the same tools folder; each skips with the reason when its binary is missing.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from hooklint.cli.app import main
from hooklint.config import Config, config_from_data
from hooklint.engine import LintOptions, kustomize_run
from hooklint.sources import kustomize as k
from hooklint.sources.files import InputFile, load_file
from hooklint.sources.helmconfig import HelmOptions
from tests.test_kustomize import TOOL, needs_kustomize, write

TOOLS = Path(os.environ.get("HOOKLINT_TOOLS") or Path.home() / ".cache" / "hooklint-tools") / "bin"
HELM3 = Path(os.environ.get("HOOKLINT_HELM3") or TOOLS / "helm3")
HELM4 = TOOLS / "helm"
needs_helm3 = pytest.mark.skipif(
    not HELM3.is_file(), reason="no helm 3: run .ci/install-k8s-tools or set HOOKLINT_HELM3"
)
needs_helm4 = pytest.mark.skipif(
    not HELM4.is_file(), reason="no helm 4 in $HOOKLINT_TOOLS/bin (.ci/install-k8s-tools)"
)

CHART_APP = {
    "app/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "helmCharts:\n  - name: mini\n    releaseName: rel\n"
    ),
    "app/charts/mini/Chart.yaml": "apiVersion: v2\nname: mini\nversion: 0.1.0\n",
    "app/charts/mini/values.yaml": "",
    "app/charts/mini/templates/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-job\n"
        "  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n"
    ),
}
ARGOCD_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
data:
  kustomize.buildOptions: --enable-helm --load-restrictor LoadRestrictionsNone
"""


def fake_helm(folder: Path, name: str, version: str) -> str:
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{version}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


# -- which helm -------------------------------------------------------------------------------------
def test_a_helm_3_is_preferred_over_a_helm_4(tmp_path: Path) -> None:
    four = fake_helm(tmp_path, "helm", "v4.1.4+g05fa379")
    three = fake_helm(tmp_path, "helm3", "v3.17.3+ge4da497")
    assert k.helm_for_kustomize([None, four, three]) == k.HelmBinary(three, "v3.17.3")
    assert k.helm_for_kustomize([four, str(tmp_path / "missing")]) == k.HelmBinary(four, "v4.1.4")
    assert k.helm_for_kustomize([str(tmp_path / "missing"), None]) is None


def test_helm_advice_says_what_to_do() -> None:
    assert k.helm_advice(None) == (
        "no helm binary for --enable-helm: install Helm 3, or set HOOKLINT_HELM3 or helm.binary"
    )
    assert k.helm_advice(k.HelmBinary("/x/helm", "v4.1.4")) == (
        "--enable-helm ran Helm v4.1.4 (/x/helm), and this kustomize passes Helm 3 flags: "
        "set HOOKLINT_HELM3 or helm.binary to a Helm 3 binary"
    )
    assert k.helm_advice(k.HelmBinary("/x/helm3", "v3.17.3")) == ""


def test_helm_is_looked_at_only_with_enable_helm(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    script = tmp_path / "helm"
    script.write_text(f"#!/bin/sh\necho x >> {calls}\necho v3.1.0\n", encoding="utf-8")
    script.chmod(0o755)
    assert KustomizeRunOf((str(script),), ()).helm is None
    assert not calls.exists()
    assert KustomizeRunOf((str(script),), ("--enable-helm",)).helm == k.HelmBinary(str(script), "v3.1.0")
    assert KustomizeRunOf((str(script),), ("--enable-helm",)).helm is not None
    assert calls.read_text().count("x") == 1  # cached by the binary's mtime and size


def KustomizeRunOf(helm: tuple[str, ...], options: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from hooklint.sources.kustomize_source import KustomizeRun

    return KustomizeRun.of(None, options, helm)


# -- where the options come from --------------------------------------------------------------------
def _config(tmp_path: Path, data: dict[str, object]) -> Config:
    return config_from_data(data, tmp_path / ".hooklint.yaml")


def test_command_line_then_config_then_argocd_cm(tmp_path: Path) -> None:
    (tmp_path / "argocd-cm.yaml").write_text(ARGOCD_CM, encoding="utf-8")
    plain = [load_file(InputFile(tmp_path / "argocd-cm.yaml", "argocd-cm.yaml"), 1 << 20)]
    with_config = _config(
        tmp_path, {"kustomize": {"build-options": "--load-restrictor  LoadRestrictionsNone"}}
    )
    cli = LintOptions(paths=(".",), kustomize_build_options="--enable-alpha-plugins")
    run = kustomize_run(cli, with_config, plain)
    assert (run.options, run.options_from) == (("--enable-alpha-plugins",), "--kustomize-build-options")
    run = kustomize_run(LintOptions(paths=(".",)), with_config, plain)
    assert run.options == ("--load-restrictor", "LoadRestrictionsNone")
    assert run.options_from == f"{tmp_path / '.hooklint.yaml'}: kustomize.build-options"
    run = kustomize_run(LintOptions(paths=(".",)), Config(), plain)
    assert run.options == ("--enable-helm", "--load-restrictor", "LoadRestrictionsNone")
    assert run.options_from == "argocd-cm.yaml: kustomize.buildOptions"
    assert kustomize_run(LintOptions(paths=(".",)), Config(), []).options == ()


def test_kube_and_api_versions_go_with_enable_helm_as_argo_cd_passes_them(tmp_path: Path) -> None:
    helm = HelmOptions(kube_version="1.30", api_versions=("a/v1", "b/v1"))
    run = kustomize_run(
        LintOptions(paths=(".",), kustomize_build_options="--enable-helm", helm=helm), Config(), []
    )
    assert run.options == (
        "--enable-helm", "--helm-kube-version", "1.30", "--helm-api-versions", "a/v1", "--helm-api-versions", "b/v1",
    )  # fmt: skip
    run = kustomize_run(LintOptions(paths=(".",), helm=helm), Config(), [])
    assert run.options == ()
    assert k.helm_enabled(["--enable-helm=true"]) and not k.helm_enabled(["--enable-helm=false"])


def test_config_binary_is_relative_to_the_config(tmp_path: Path) -> None:
    config = _config(tmp_path, {"kustomize": {"binary": "bin/kustomize", "timeout": 5}})
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "bin" / "kustomize"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    run = kustomize_run(LintOptions(paths=(".",)), config, [])
    assert run.tool == k.KustomizeTool((str(fake), "build"))
    assert run.timeout == 5.0


def test_unknown_kustomize_config_key_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".hooklint.yaml").write_text("kustomize:\n  build-option: --enable-helm\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("{}\n", encoding="utf-8")
    code = main(["check", "--config", str(tmp_path / ".hooklint.yaml"), str(tmp_path / "a.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown key 'kustomize.build-option'" in err


SPY = """\
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: env\\ndata:\\n  args: "%s"\\n' "$*"
"""


def test_refused_options_are_named_in_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"app/kustomization.yaml": "resources: []\n", "spy": "#!/bin/sh\n" + SPY})
    (tmp_path / "spy").chmod(0o755)
    options = "--kustomize-build-options=--enable-exec --load-restrictor LoadRestrictionsNone --enable-star"
    code = main(["check", "--isolated", "--no-cache", "--kustomize", str(tmp_path / "spy"), options, "app"])
    err = capsys.readouterr().err
    assert code == 0
    assert (
        "app: note: kustomize build options not passed (they let a kustomization run programs): "
        "--enable-exec --enable-star (from --kustomize-build-options)"
    ) in err


# -- real builds ------------------------------------------------------------------------------------
def _check(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[tuple[str, str, int, int]], str]:
    assert TOOL is not None
    code = main(["check", "--isolated", "--no-cache", "--kustomize", TOOL.argv[0], "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, [(f["code"], f["path"], f["line"], f["column"]) for f in json.loads(out)], err


@needs_kustomize
@needs_helm3
def test_helm_charts_render_with_enable_helm_and_a_helm_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_HELM3", str(HELM3))
    write(tmp_path, CHART_APP)
    code, found, _ = _check(["--kustomize-build-options=--enable-helm", "app"], capsys)
    assert code == 1
    # the chart is content of the kustomization, not an app of its own: reported once, at helmCharts
    assert found == [("HL201", "app/kustomization.yaml", 4, 5), ("HL202", "app/kustomization.yaml", 4, 5)]
    code, found, _ = _check(["app"], capsys)
    assert found == [("HL000", "app/kustomization.yaml", 3, 1)]  # at helmCharts:


@needs_kustomize
@needs_helm3
def test_argocd_cm_among_the_linted_files_gives_the_build_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_HELM3", str(HELM3))
    write(tmp_path, {**CHART_APP, "argocd/argocd-cm.yaml": ARGOCD_CM})
    _, found, _ = _check(["."], capsys)
    assert found == [("HL201", "app/kustomization.yaml", 4, 5), ("HL202", "app/kustomization.yaml", 4, 5)]


@needs_kustomize
@needs_helm4
def test_with_only_helm_4_the_hl000_says_so(tmp_path: Path) -> None:
    write(tmp_path, CHART_APP)
    helm4 = k.helm_binary(str(HELM4))
    assert helm4 is not None and helm4.major == 4
    result = k.build(tmp_path / "app", tmp_path, TOOL, ["--enable-helm"], helm=helm4)
    assert isinstance(result, k.BuildError), result
    assert result.file == "app/kustomization.yaml"
    assert result.message.endswith(
        f"; --enable-helm ran Helm {helm4.version} ({HELM4}), and this kustomize passes Helm 3 flags: "
        "set HOOKLINT_HELM3 or helm.binary to a Helm 3 binary"
    ), result.message
    assert "env=" not in result.message


@needs_kustomize
def test_without_any_helm_the_hl000_says_so(tmp_path: Path) -> None:
    write(tmp_path, CHART_APP)
    result = k.build(tmp_path / "app", tmp_path, TOOL, ["--enable-helm"], helm=None)
    assert isinstance(result, k.BuildError), result
    assert result.message.endswith(
        "; no helm binary for --enable-helm: install Helm 3, or set HOOKLINT_HELM3 or helm.binary"
    ), result.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {
                "kind": "ConfigMap",
                "metadata": {"name": "argocd-cm"},
                "data": {"kustomize.buildOptions": "--x"},
            },
            "--x",
        ),
        (
            {"kind": "ConfigMap", "metadata": {"name": "other"}, "data": {"kustomize.buildOptions": "--x"}},
            None,
        ),
        (
            {"configs": {"cm": {"kustomize.buildOptions": "--enable-helm"}}},
            "--enable-helm",
        ),  # argo-cd chart values
        (
            {
                "kind": "ConfigMap",
                "metadata": {"name": "argocd-cm"},
                "data": {"kustomize.buildOptions.v5": "--y"},
            },
            None,
        ),
        (
            {"kind": "ConfigMap", "metadata": {"name": "argocd-cm"}, "data": {"kustomize.buildOptions": 3}},
            None,
        ),
    ],
)
def test_argocd_cm_build_options_forms(value: dict[str, object], expected: str | None) -> None:
    from hooklint.argocd.settings import kustomize_build_options

    assert kustomize_build_options(value) == expected
