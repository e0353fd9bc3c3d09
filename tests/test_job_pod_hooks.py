"""HL202-HL206: Job and Pod hooks, with their edge cases (exact codes, lines, columns)."""

from __future__ import annotations

import pytest

from hooklint.argocd.annotations import hook_info
from hooklint.argocd.version import ArgoVersion
from hooklint.config import Config
from hooklint.engine import Report
from hooklint.registry import load_registry
from hooklint.sources.files import load_bytes
from tests.conftest import codes_lines, lint_text

OWN_RULES = ("HL202", "HL203", "HL204", "HL205", "HL206")


def job(
    annotations: str = "",
    spec: str = "  activeDeadlineSeconds: 600\n",
    restart: str = "Never",
    api: str = "batch/v1",
    extra_meta: str = "",
) -> str:
    """A Job; ``annotations`` are YAML lines at 4-space indent, ``spec`` at 2."""
    ann = f"  annotations:\n{annotations}" if annotations else ""
    policy = f"      restartPolicy: {restart}\n" if restart else ""
    return (
        f"apiVersion: {api}\nkind: Job\nmetadata:\n  name: migrate\n{extra_meta}{ann}"
        f"spec:\n{spec}  template:\n    spec:\n{policy}"
        "      containers:\n        - name: m\n          image: example/m:1\n"
    )


def pod(annotations: str, restart: str | None, api: str = "v1") -> str:
    policy = f"  restartPolicy: {restart}\n" if restart is not None else ""
    return (
        f"apiVersion: {api}\nkind: Pod\nmetadata:\n  name: smoke\n  annotations:\n{annotations}"
        f"spec:\n{policy}  containers:\n    - name: s\n      image: example/s:1\n"
    )


def hook(value: str) -> str:
    return f'    argocd.argoproj.io/hook: "{value}"\n'


def at(version: str) -> Config:
    return Config(argocd_version=ArgoVersion.parse(version))


def only(report: Report, code: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in report.findings if f.code == code]


# -- HL202 job-without-deadline -------------------------------------------------------


def test_hl202_hook_job_without_deadline_points_at_spec() -> None:
    report = lint_text(job(hook("PreSync"), spec="  backoffLimit: 1\n"), select=("HL202",))
    assert only(report, "HL202") == [("HL202", 7, 1)]
    message = report.findings[0].message
    assert message.startswith("hook Job/migrate (PreSync) sets no spec.activeDeadlineSeconds")
    assert "the sync waits forever" in message


def test_hl202_deadline_set_is_clean() -> None:
    assert codes_lines(lint_text(job(hook("PreSync")), select=("HL202",))) == []


def test_hl202_null_deadline_counts_as_missing() -> None:
    text = job(hook("PostSync"), spec="  activeDeadlineSeconds:\n")
    assert only(lint_text(text, select=("HL202",)), "HL202") == [("HL202", 8, 25)]


@pytest.mark.parametrize(
    "annotations",
    [
        hook("Skip"),  # never applied
        hook("Presync"),  # no valid type: dropped
        hook(""),  # empty value: dropped
        '    helm.sh/hook: "test"\n',  # unsupported Helm hook: dropped
    ],
)
def test_hl202_silent_on_resources_argo_cd_never_applies(annotations: str) -> None:
    assert codes_lines(lint_text(job(annotations, spec=""), select=("HL202",))) == []


def test_hl202_plain_job_in_single_wave_is_not_waited_on() -> None:
    assert codes_lines(lint_text(job(spec=""), select=("HL202",))) == []


def test_hl202_gated_plain_job_names_what_waits() -> None:
    later = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n" + (
        '    argocd.argoproj.io/sync-wave: "3"\n'
    )
    report = lint_text(job(spec="") + later, select=("HL202",))
    assert only(report, "HL202") == [("HL202", 5, 1)]
    assert "Job/migrate in wave 0" in report.findings[0].message
    assert "before starting wave 3" in report.findings[0].message


def test_hl202_plain_job_in_final_wave_is_not_waited_on() -> None:
    earlier = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n" + (
        '    argocd.argoproj.io/sync-wave: "-1"\n'
    )
    assert codes_lines(lint_text(job(spec="") + earlier, select=("HL202",))) == []


def test_hl202_helm_hook_job_is_a_presync_hook() -> None:
    report = lint_text(job('    helm.sh/hook: "pre-install, pre-upgrade"\n', spec=""), select=("HL202",))
    assert [f.message.split(" sets")[0] for f in report.findings] == ["hook Job/migrate (PreSync)"]


def test_hl202_delete_hook_blocks_app_deletion_and_depends_on_version() -> None:
    text = job(hook("PostDelete"), spec="")
    report = lint_text(text, select=("HL202",))
    assert only(report, "HL202") == [("HL202", 7, 1)]
    assert "the Application's deletion (after its resources are deleted) waits forever" in (
        report.findings[0].message
    )
    # PostDelete exists only from 2.10: before that the Job is dropped
    assert codes_lines(lint_text(text, select=("HL202",), config=at("2.9"))) == []


def test_hl202_ignores_job_kinds_of_other_groups() -> None:
    text = job(hook("PreSync"), spec="", api="example.com/v1")
    assert codes_lines(lint_text(text, select=("HL202",))) == []


def test_hl202_non_string_annotation_hides_the_hook() -> None:
    # any non-string annotation makes Argo CD see no annotations: a plain, ungated Job
    text = job(hook("PreSync") + "    other: 5\n", spec="")
    assert codes_lines(lint_text(text, select=("HL202",))) == []


def test_skip_gets_no_sync_task_and_is_never_applied() -> None:
    """gitops-engine: IsHook is false for Skip, yet syncPhases gives it no task."""
    skipped = job(hook("Skip") + '    argocd.argoproj.io/sync-wave: "5"\n', spec="")
    text = skipped + "---\n" + job(spec="").replace("migrate", "other")
    # the Skip Job makes no wave 5, so the other Job is in the only wave: not waited on
    assert codes_lines(lint_text(text, select=("HL202",))) == []
    doc = load_bytes(job(hook("Skip")).encode(), "t.yaml").documents[0]
    info = hook_info(doc)
    assert (info.is_hook, info.skip, info.sync_phases, info.never_applied) == (False, True, (), True)
    assert not info.dropped  # "dropped" is reserved for hooks with no known type (HL003, HL106)


def test_skip_with_a_delete_type_is_a_delete_hook() -> None:
    report = lint_text(job(hook("Skip, PostDelete"), spec=""), select=("HL202",))
    assert [f.message.split(" sets")[0] for f in report.findings] == ["hook Job/migrate (PostDelete)"]


# -- HL203 job-restart-policy ---------------------------------------------------------


def test_hl203_missing_restart_policy_points_at_pod_spec_key() -> None:
    report = lint_text(job(restart=""), select=("HL203",))
    assert only(report, "HL203") == [("HL203", 8, 5)]
    assert "sets no spec.template.spec.restartPolicy, so its pods default to Always" in (
        report.findings[0].message
    )


def test_hl203_always_points_at_value() -> None:
    report = lint_text(job(restart="Always"), select=("HL203",))
    assert only(report, "HL203") == [("HL203", 9, 22)]
    assert "Argo CD's apply fails and so does the sync" in report.findings[0].message


@pytest.mark.parametrize("value", ["Never", "OnFailure"])
def test_hl203_valid_policies(value: str) -> None:
    assert codes_lines(lint_text(job(restart=value), select=("HL203",))) == []


def test_hl203_wrong_case_suggests_the_value() -> None:
    report = lint_text(job(restart="never"), select=("HL203",))
    assert only(report, "HL203") == [("HL203", 9, 22)]
    assert 'restartPolicy "never" (did you mean "Never"?)' in report.findings[0].message


def test_hl203_flags_plain_jobs_and_skips_dropped_ones() -> None:
    assert codes_lines(lint_text(job(restart="Always"), select=("HL203",))) == [("HL203", 9)]
    assert codes_lines(lint_text(job(hook("Skip"), restart="Always"), select=("HL203",))) == []


def test_hl203_delete_hook_fails_the_deletion() -> None:
    report = lint_text(job(hook("PreDelete"), restart=""), select=("HL203",))
    assert "Argo CD cannot create the hook and the Application's deletion fails" in (
        report.findings[0].message
    )


def test_hl203_no_pod_template_is_not_judged() -> None:
    text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  backoffLimit: 1\n"
    assert codes_lines(lint_text(text, select=("HL203",))) == []


# -- HL204 pod-hook-restart-policy ----------------------------------------------------


def test_hl204_unset_policy_points_at_spec() -> None:
    report = lint_text(pod(hook("PreSync"), None), select=("HL204",))
    assert only(report, "HL204") == [("HL204", 7, 1)]
    assert "sets no restartPolicy (the default is Always)" in report.findings[0].message
    assert "succeeded as soon as the pod is Ready" in report.findings[0].message


def test_hl204_always_and_on_failure_point_at_value() -> None:
    always = lint_text(pod(hook("Sync"), "Always"), select=("HL204",))
    assert only(always, "HL204") == [("HL204", 8, 18)]
    on_failure = lint_text(pod(hook("PostSync"), "OnFailure"), select=("HL204",))
    assert only(on_failure, "HL204") == [("HL204", 8, 18)]
    assert "the sync waits forever instead of failing" in on_failure.findings[0].message


def test_hl204_never_is_clean_and_invalid_value_is_rejected() -> None:
    assert codes_lines(lint_text(pod(hook("PreSync"), "Never"), select=("HL204",))) == []
    report = lint_text(pod(hook("PreSync"), "never"), select=("HL204",))
    assert "the API server rejects the Pod" in report.findings[0].message


def test_hl204_delete_hook_waits_on_deletion() -> None:
    report = lint_text(pod(hook("PreDelete"), "OnFailure"), select=("HL204",))
    assert "the Application's deletion waits forever" in report.findings[0].message


@pytest.mark.parametrize("annotations", [hook("Skip"), hook("Postsync"), "    team: a\n"])
def test_hl204_silent_on_non_hooks_and_dropped_pods(annotations: str) -> None:
    assert codes_lines(lint_text(pod(annotations, None), select=("HL204",))) == []


def test_hl204_ignores_pod_kinds_of_other_groups() -> None:
    assert codes_lines(lint_text(pod(hook("PreSync"), None, api="example.com/v1"), select=("HL204",))) == []


def test_hl204_invalid_type_with_valid_helm_hook_falls_back_to_helm() -> None:
    annotations = hook("Presync") + '    helm.sh/hook: "post-install"\n'
    report = lint_text(pod(annotations, None), select=("HL204",))
    assert report.findings[0].message.startswith("hook Pod/smoke (PostSync)")


# -- HL205 suspended-hook-job ---------------------------------------------------------


def test_hl205_suspended_sync_hook_points_at_value() -> None:
    report = lint_text(job(hook("PreSync"), spec="  suspend: true\n"), select=("HL205",))
    assert only(report, "HL205") == [("HL205", 8, 12)]
    assert "the sync waits forever" in report.findings[0].message


@pytest.mark.parametrize("value", ["false", '"true"', "null"])
def test_hl205_only_boolean_true_suspends(value: str) -> None:
    text = job(hook("PreSync"), spec=f"  suspend: {value}\n")
    assert codes_lines(lint_text(text, select=("HL205",))) == []


def test_hl205_plain_and_dropped_jobs_are_not_flagged() -> None:
    assert codes_lines(lint_text(job(spec="  suspend: true\n"), select=("HL205",))) == []
    assert codes_lines(lint_text(job(hook("Skip"), spec="  suspend: true\n"), select=("HL205",))) == []


def test_hl205_kueue_job_is_resumed_by_kueue() -> None:
    text = job(
        hook("PreSync"),
        spec="  suspend: true\n",
        extra_meta="  labels:\n    kueue.x-k8s.io/queue-name: batch\n",
    )
    assert codes_lines(lint_text(text, select=("HL205",))) == []


def test_hl205_suspended_delete_hook_never_runs() -> None:
    report = lint_text(job(hook("PostDelete"), spec="  suspend: true\n"), select=("HL205",))
    assert "goes on without the hook ever running" in report.findings[0].message


# -- HL206 job-ttl-under-argocd -------------------------------------------------------


@pytest.mark.parametrize("version", ["latest", "2.4", "3.0"])
def test_hl206_plain_job_with_ttl_in_every_version(version: str) -> None:
    text = job(spec="  ttlSecondsAfterFinished: 0\n")
    report = lint_text(text, select=("HL206",), config=at(version))
    assert only(report, "HL206") == [("HL206", 6, 28)]
    assert "Job/migrate is not a hook and sets spec.ttlSecondsAfterFinished 0" in report.findings[0].message


@pytest.mark.parametrize(
    ("version", "flagged"),
    [
        ("latest", False),
        ("3.0", False),
        ("v3.0.0-rc1", False),
        ("3.5.1", False),
        ("2.14", True),
        ("v2.14.3", True),
        ("2", True),
    ],
)
def test_hl206_hook_job_with_ttl_only_before_3_0(version: str, flagged: bool) -> None:
    text = job(hook("PostSync"), spec="  ttlSecondsAfterFinished: 300\n")
    report = lint_text(text, select=("HL206",), config=at(version))
    assert only(report, "HL206") == ([("HL206", 8, 28)] if flagged else [])
    if flagged:
        assert f"argocd-version is {ArgoVersion.parse(version)}" in report.findings[0].message


def test_hl206_helm_hook_counts_as_hook() -> None:
    text = job('    helm.sh/hook: "post-install"\n', spec="  ttlSecondsAfterFinished: 300\n")
    assert codes_lines(lint_text(text, select=("HL206",))) == []
    assert codes_lines(lint_text(text, select=("HL206",), config=at("2.8"))) == [("HL206", 8)]


@pytest.mark.parametrize("value", ["Skip", "PostDelete"])
def test_hl206_dropped_and_delete_hooks_are_not_flagged(value: str) -> None:
    text = job(hook(value), spec="  ttlSecondsAfterFinished: 300\n")
    assert codes_lines(lint_text(text, select=("HL206",), config=at("2.14"))) == []


def test_hl206_crd_install_helm_hook_is_a_plain_job() -> None:
    text = job('    helm.sh/hook: "crd-install"\n', spec="  ttlSecondsAfterFinished: 300\n")
    assert codes_lines(lint_text(text, select=("HL206",))) == [("HL206", 8)]


# -- the docs ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", OWN_RULES)
def test_doc_examples_are_valid_yaml(code: str) -> None:
    """A good example that fails to parse would pass vacuously; make sure none does."""
    spec = load_registry(plugins=False).spec(code)
    assert spec is not None
    for example in spec.examples:
        assert codes_lines(lint_text(example.text, select=("HL000",))) == []
