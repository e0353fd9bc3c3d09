"""The real charts in ../shared/charts: rendered with helm 4 and 3, and without rendering.

Every expected finding was checked by reading ``helm template``'s output and the
template line it points at (see the Helm section of the README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooklint.cli.app import main
from tests.helm_tools import HELMS

CHARTS = Path(__file__).resolve().parent.parent.parent / "shared" / "charts"
HOOK = "templates/pre-post-sync.yaml"
HOOK_CHART = [("HL103", HOOK, n) for n in (8, 60, 83, 108, 130)] + [
    ("HL202", HOOK, n) for n in (10, 63, 86, 110, 132)
]
WEBHOOK = "templates/admission-webhooks/job-patch/job-"
RENDERED = {
    "CCH0124__K8s-with-quarkus/application-simple/helmchartlab/quarkus-dns": [],
    "argoproj__argo-helm/charts/argo-workflows": [("HL202", "templates/crds-install-job.yaml", 61)],
    "argoproj__argocd-example-apps/apps": [],
    "argoproj__argocd-example-apps/helm-guestbook": [],
    "cert-manager__cert-manager/deploy/charts/cert-manager": [
        ("HL202", "templates/startupapicheck-job.yaml", 17)
    ],
    "kenshin579__argocd-charts-sample/chart/echo-server": [],
    "kenshin579__argocd-charts-sample/chart/hello-world-server": [],
    "kenshin579__argocd-charts-sample/chart/hello-world-server-hook": HOOK_CHART,
    "kubernetes__ingress-nginx/charts/ingress-nginx": [
        ("HL201", WEBHOOK + "createSecret.yaml", 19),
        ("HL201", WEBHOOK + "patchWebhook.yaml", 19),
        ("HL202", WEBHOOK + "createSecret.yaml", 19),
        ("HL202", WEBHOOK + "patchWebhook.yaml", 19),
        ("HL301", "templates/controller-service.yaml", 3),  # a LoadBalancer Service by default
    ],
    "vmware-tanzu__helm-charts/charts/velero": [("HL202", "templates/upgrade-crds/upgrade-crds.yaml", 21)],
}
# without rendering, templates behind `if .Values...` are linted too, and values-driven parts are not
STATIC = {
    **RENDERED,
    "cert-manager__cert-manager/deploy/charts/cert-manager": [],  # the hook is only in values.yaml
    "kubernetes__ingress-nginx/charts/ingress-nginx": [
        ("HL201", WEBHOOK + "createSecret.yaml", 19),
        ("HL201", WEBHOOK + "patchWebhook.yaml", 19),
        # cert-manager Issuer/Certificate gate nothing by default: they have Argo CD health checks
        ("HL301", "templates/controller-daemonset.yaml", 3),
    ],
    "vmware-tanzu__helm-charts/charts/velero": [
        ("HL101", "templates/label-namespace/labelnamespace.yaml", 10),
        ("HL202", "templates/cleanup-crds.yaml", 21),
        ("HL202", "templates/label-namespace/labelnamespace.yaml", 16),
        ("HL202", "templates/upgrade-crds/upgrade-crds.yaml", 21),
        ("HL301", "templates/node-agent-daemonset.yaml", 5),
    ],
}

pytestmark = pytest.mark.skipif(not CHARTS.is_dir(), reason=f"{CHARTS} (the shared charts) is not here")


def lint(chart: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, int]]:
    code = main(["check", str(CHARTS / chart), "--isolated", "--select", "ALL", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    found = json.loads(out)
    assert code == (1 if found else 0)
    return sorted((f["code"], f["path"].split(chart + "/", 1)[1], f["line"]) for f in found)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("helm", HELMS)
@pytest.mark.parametrize("chart", sorted(RENDERED))
def test_rendered_chart(chart: str, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(chart, ["--helm", helm], capsys) == sorted(RENDERED[chart])


@pytest.mark.parametrize("chart", sorted(STATIC))
def test_chart_without_rendering(chart: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(chart, ["--no-render"], capsys) == sorted(STATIC[chart])
