"""Helm follow-ups: --set values escaped as Argo CD escapes helm.parameters, --show-files
naming a chart's files as helm, values-driven keys reported in the values file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.sources.helm.render import command, set_parameter
from hooklint.sources.helm.settings import ChartSettings
from tests.helm_tools import HELMS, check, report, write_chart


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


# -- --set as Argo CD passes helm.parameters (cleanSetParameters, util/helm/cmd.go) ---------


@pytest.mark.parametrize(
    ("given", "passed"),
    [
        ("tags=a,b", "tags=a\\,b"),
        ("tags=a\\,b", "tags=a\\,b"),  # already escaped: kept
        ("tags={a,b}", "tags={a,b}"),  # a helm list: kept
        ("a.b=1", "a.b=1"),
        ("k,x=1,2,3", "k,x=1\\,2\\,3"),  # only the value is escaped
        ("url=x=y,z", "url=x=y\\,z"),  # the name ends at the first "="
        ("novalue", "novalue"),
    ],
)
def test_set_values_have_their_commas_escaped_as_argocd_does(given: str, passed: str) -> None:
    assert set_parameter(given) == passed


def test_the_command_escapes_every_set() -> None:
    args = command("helm", "r", ChartSettings(set=("a=1,2", "b={x,y}")))
    assert args[args.index("--set") : args.index("--set") + 4] == ["--set", "a=1\\,2", "--set", "b={x,y}"]


WAVE_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: {{ .Values.wave | quote }}
"""


@pytest.mark.parametrize("helm", HELMS)
def test_a_set_value_with_a_comma_renders_as_in_argocd(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"cm.yaml": WAVE_CM}, values="wave: 0\n")
    found, err = report(["demo", "--helm", helm, "--set", "wave=1,2", "--select", "HL002"], capsys)
    assert "Traceback" not in err
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in found] == [
        ("HL002", "demo/templates/cm.yaml", 6, 35)
    ]
    assert '"1,2"' in found[0]["message"]  # one value, as Argo CD sets it; bare helm fails here


# -- --show-files --------------------------------------------------------------------------


def test_show_files_names_chart_files_helm_and_plain_files_manifest(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(
        here / "charts" / "shop",
        {"job.yaml": "kind: Job\n", "_helpers.tpl": '{{- define "x" }}{{- end }}\n', "NOTES.txt": "hi\n"},
        name="web",
    )
    (here / "charts" / "shop" / "crds").mkdir()
    (here / "charts" / "shop" / "crds" / "crd.yaml").write_text("kind: CustomResourceDefinition\n")
    (here / "plain").mkdir()
    (here / "plain" / "cm.yaml").write_text("kind: ConfigMap\n")
    code, out, err = check(["--show-files", "."], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "plain/cm.yaml\tmanifest\tconfig: (none: defaults)",
        "charts/shop/templates/job.yaml\thelm (web)\tconfig: (none: defaults)",
        "charts/shop/crds/crd.yaml\thelm (web)\tconfig: (none: defaults)",
    ]
    # a named template (pre-commit): only it is linted, as part of its chart
    code, out, _ = check(["--show-files", "charts/shop/templates/job.yaml", "plain/cm.yaml"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "plain/cm.yaml\tmanifest\tconfig: (none: defaults)",
        "charts/shop/templates/job.yaml\thelm (web)\tconfig: (none: defaults)",
    ]
