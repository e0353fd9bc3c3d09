"""HL102 generate-name-on-non-hook, HL103 generate-name-hook-without-cleanup, HL108 hook-name-too-long."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.checks.hook_names import suffix_length
from tests.conftest import lint_text


def obj(kind: str, meta: str, annotations: dict[str, str] | None = None, spec: str = "") -> str:
    api = {"Job": "batch/v1", "CronJob": "batch/v1", "Deployment": "apps/v1"}.get(kind, "v1")
    lines = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  {meta}"]
    if annotations:
        lines.append("  annotations:")
        lines += [f'    {k}: "{v}"' for k, v in annotations.items()]
    return "\n".join(lines) + "\n" + spec


JOB_SPEC = """spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: example/main:1.0
"""
HOOK = "argocd.argoproj.io/hook"
POLICY = "argocd.argoproj.io/hook-delete-policy"


def findings(text: str, code: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, (code,)).findings]


# -- HL102 ----------------------------------------------------------------------------------


def test_generate_name_on_plain_resource() -> None:
    [(line, column, msg)] = findings(obj("ConfigMap", "generateName: settings-"), "HL102")
    assert (line, column) == (4, 17)
    assert "ConfigMap/settings-* uses metadata.generateName but is not a hook" in msg
    assert "the whole sync fails" in msg


@pytest.mark.parametrize(
    "annotations",
    [
        {HOOK: "PreSync"},
        {"helm.sh/hook": "post-install"},
        {HOOK: "Skip"},
        {HOOK: "PostDelete"},
        {HOOK: "Bogus"},
    ],
)
def test_generate_name_on_hooks_skip_and_dropped(annotations: dict[str, str]) -> None:
    assert findings(obj("ConfigMap", "generateName: settings-", annotations), "HL102") == []


def test_name_wins_over_generate_name() -> None:
    assert findings(obj("ConfigMap", "name: a\n  generateName: settings-"), "HL102") == []


def test_crd_install_is_not_a_hook() -> None:
    text = obj("ConfigMap", "generateName: settings-", {"helm.sh/hook": "crd-install"})
    assert len(findings(text, "HL102")) == 1


# -- HL103 ----------------------------------------------------------------------------------


def test_generate_name_hook_without_policy_points_at_the_hook_annotation() -> None:
    [(line, column, msg)] = findings(
        obj("Job", "generateName: migrate-", {HOOK: "PreSync"}, JOB_SPEC), "HL103"
    )
    assert (line, column) == (6, 30)
    assert "none set, so the default BeforeHookCreation" in msg
    assert "argocd.argoproj.io/hook-delete-policy" in msg


def test_helm_hook_gets_the_helm_fix() -> None:
    [(_, _, msg)] = findings(
        obj("Job", "generateName: m-", {"helm.sh/hook": "pre-install"}, JOB_SPEC), "HL103"
    )
    assert "add hook-succeeded (and hook-failed) to helm.sh/hook-delete-policy" in msg


@pytest.mark.parametrize(
    ("policies", "flagged"),
    [
        ({POLICY: "BeforeHookCreation"}, True),
        ({POLICY: "HookSuceeded"}, True),  # a typo: the default applies
        ({POLICY: ""}, True),
        ({POLICY: "HookSucceeded"}, False),
        ({POLICY: " HookFailed "}, False),
        ({"helm.sh/hook-delete-policy": "hook-succeeded"}, False),  # the union counts
    ],
)
def test_effective_policies(policies: dict[str, str], flagged: bool) -> None:
    text = obj("Pod", "generateName: smoke-", {HOOK: "PostSync", **policies})
    assert bool(findings(text, "HL103")) is flagged


def test_job_with_ttl_is_cleaned_up_by_kubernetes() -> None:
    spec = JOB_SPEC.replace("  backoffLimit: 1\n", "  backoffLimit: 1\n  ttlSecondsAfterFinished: 600\n")
    assert findings(obj("Job", "generateName: m-", {HOOK: "PreSync"}, spec), "HL103") == []


@pytest.mark.parametrize("annotations", [{HOOK: "PreDelete"}, {HOOK: "Skip"}, {HOOK: "Presync"}, {}])
def test_not_a_sync_hook(annotations: dict[str, str]) -> None:
    assert findings(obj("Pod", "generateName: smoke-", annotations), "HL103") == []


# -- HL108 ----------------------------------------------------------------------------------


def test_suffix_lengths() -> None:
    assert [suffix_length(p) for p in ("PreSync", "Sync", "PostSync", "SyncFail")] == [26, 23, 27, 27]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.sampled_from(["PreSync", "Sync", "PostSync", "SyncFail"]))
def test_job_generate_name_limit_per_phase(length: int, phase: str) -> None:
    text = obj("Job", f"generateName: {'a' * length}", {HOOK: phase, POLICY: "HookSucceeded"}, JOB_SPEC)
    found = findings(text, "HL108")
    assert bool(found) is (length + suffix_length(phase) > 63)
    if found:
        assert found[0][:2] == (4, 17)
        assert f"keep generateName to {63 - suffix_length(phase)} characters" in found[0][2]


def test_multi_phase_hook_uses_the_longest_suffix() -> None:
    text = obj(
        "Job", f"generateName: {'a' * 37}", {HOOK: "PreSync,PostSync", POLICY: "HookSucceeded"}, JOB_SPEC
    )
    assert len(findings(text, "HL108")) == 1  # 37 + 26 fits for PreSync, 37 + 27 does not


def test_pod_hook_generate_name_has_the_subdomain_limit() -> None:
    assert findings(obj("Pod", f"generateName: {'a' * 60}", {HOOK: "PreSync"}), "HL108") == []
    assert len(findings(obj("Pod", f"generateName: {'a' * 227}", {HOOK: "PostSync"}), "HL108")) == 1


@pytest.mark.parametrize(
    ("kind", "limit"), [("Job", 63), ("CronJob", 52), ("Service", 63), ("Namespace", 63), ("ConfigMap", 253)]
)
def test_name_limits(kind: str, limit: int) -> None:
    assert findings(obj(kind, f"name: {'a' * limit}"), "HL108") == []
    [(line, column, msg)] = findings(obj(kind, f"name: {'a' * (limit + 1)}"), "HL108")
    assert (line, column) == (4, 9)
    assert f"is {limit + 1} characters; the API server rejects more than {limit}" in msg


def test_job_with_manual_selector_has_no_label_limit() -> None:
    spec = "spec:\n  manualSelector: true\n"
    assert findings(obj("Job", f"name: {'a' * 70}", spec=spec), "HL108") == []


def test_never_applied_hook_is_not_reported() -> None:
    text = obj("Job", f"generateName: {'a' * 50}", {HOOK: "Bogus"}, JOB_SPEC)
    assert findings(text, "HL108") == []
    text = obj("Job", f"name: {'a' * 70}", {"helm.sh/hook": "test"}, JOB_SPEC)
    assert findings(text, "HL108") == []
