"""The shipped table of Argo CD's built-in health checks, its lookups, and the parser that made it."""

from __future__ import annotations

import pytest

from hooklint.argocd.health import TABLE, builtin_check, has_builtin_check, pattern_matches
from hooklint.argocd.health.generate import go_checks
from hooklint.argocd.settings import health_customizations
from hooklint.argocd.version import LATEST, ArgoVersion


def test_table_rows_are_well_formed() -> None:
    rows = [line.split("\t") for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(rows) > 240
    for _group, kind, source, since in rows:
        assert kind and source in ("lua", "go")
        assert since == "" or ArgoVersion.parse(since) != LATEST
    assert ["apps", "Deployment", "go", "0.11"] in rows
    assert ["batch", "Job", "go", "0.11"] in rows
    assert ["cert-manager.io", "Certificate", "lua", "1.4"] in rows
    assert not any(r[:2] == ["argoproj.io", "Application"] for r in rows)  # removed in 1.8


@pytest.mark.parametrize(
    ("group", "kind", "found"),
    [
        ("cert-manager.io", "Certificate", True),
        ("", "Service", True),
        ("pkg.crossplane.io", "Provider", True),
        ("s3.aws.crossplane.io", "Bucket", True),
        ("ec2.aws.upbound.io", "Instance", True),  # _.upbound.io/_
        ("upbound.io", "Thing", False),  # the wildcard needs a subdomain
        ("argoproj.io", "Application", False),
        ("db.example.com", "Database", False),
        ("", "ConfigMap", False),
    ],
)
def test_builtin_lookup_with_wildcards(group: str, kind: str, found: bool) -> None:
    assert (builtin_check(group, kind) is not None) is found
    assert has_builtin_check(group, kind) is found


def test_versions_gate_the_lookup() -> None:
    check = builtin_check("argoproj.io", "Rollout")
    assert check is not None and check.since == ArgoVersion(0, 12, 0)
    assert has_builtin_check("argoproj.io", "Rollout", ArgoVersion(0, 12, 0))
    assert not has_builtin_check("argoproj.io", "Rollout", ArgoVersion(0, 11, 5))
    assert has_builtin_check("argoproj.io", "Rollout")  # latest


def test_user_patterns() -> None:
    assert pattern_matches("db.example.com/Database", "db.example.com", "Database")
    assert pattern_matches("*.example.com/*", "db.example.com", "Database")
    assert not pattern_matches("*.example.com/*", "example.com", "Database")
    assert pattern_matches("*/*", "", "ConfigMap")
    assert not pattern_matches("db.example.com/Database", "db.example.com", "Table")


def test_go_switch_parser() -> None:
    source = """
func GetHealthCheckFunc(gvk schema.GroupVersionKind) func() {
	switch gvk.Group {
	case "apps", "extensions":
		switch gvk.Kind {
		case kube.DeploymentKind:
			return getDeploymentHealth
		}
	case "argoproj.io":
		if gvk.Kind == "Workflow" {
			return getArgoWorkflowHealth
		}
	case "":
		switch gvk.Kind {
		case kube.ServiceKind:
			return getServiceHealth
		}
	}
	return nil
}
"""
    assert go_checks(source) == {
        ("apps", "Deployment"), ("extensions", "Deployment"), ("argoproj.io", "Workflow"), ("", "Service"),
    }  # fmt: skip
    assert go_checks("package health\n") == set()


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ({"data": {"resource.customizations.health.argoproj.io_Application": "x"}}, {"argoproj.io/Application"}),
        ({"data": {"resource.customizations.health.ConfigMap": "x"}}, {"/ConfigMap"}),
        ({"data": {"resource.customizations.health.all": "x"}}, {"*/*"}),
        ({"data": {"resource.customizations.actions.argoproj.io_Rollout": "x"}}, set()),
        ({"data": {"resource.customizations": "a.io/B:\n  health.lua: x\nc.io/D:\n  actions: y\n"}}, {"a.io/B"}),
        ({"kind": "ConfigMap", "metadata": {"name": "argocd-cm"},
          "data": {"resource.customizations.health.a.io_B": "x"}}, {"a.io/B"}),
        ({"kind": "ConfigMap", "metadata": {"name": "other"},
          "data": {"resource.customizations.health.a.io_B": "x"}}, set()),
        ({"kind": "Secret", "data": {"resource.customizations.health.a.io_B": "x"}}, set()),
        ({"configs": {"cm": {"resource.customizations.health.a.io_B": "x"}}}, {"a.io/B"}),
        ({"server": {"config": {"resource.customizations.health.a.io_B": "x"}}}, {"a.io/B"}),
        ("not a mapping", set()),
    ],
)  # fmt: skip
def test_health_customizations_in_every_form(value: object, found: set[str]) -> None:
    assert health_customizations(value) == frozenset(found)
