"""Issue 15's new rules: HL007, HL008, HL110, HL111, HL308, HL309, with their near misses."""

from __future__ import annotations

import pytest

from hooklint.argocd.version import ArgoVersion
from hooklint.config import Config, RuleConfig
from tests.conftest import codes_lines, lint_text, lint_texts


def cm(annotations: str = "", labels: str = "", extra: str = "") -> str:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
    if labels:
        text += f"  labels:\n    {labels}\n"
    if annotations:
        text += f"  annotations:\n    {annotations}\n"
    return text + extra


# -- HL007 unknown-argocd-annotation-key ---------------------------------------------


@pytest.mark.parametrize(
    ("key", "guess"),
    [
        ("argocd.argoproj.io/hooks", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/sync-waves", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/syncwave", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/hook-delete-polcy", "argocd.argoproj.io/hook-delete-policy"),
        ("argocd.argoproj.io/sync-option", "argocd.argoproj.io/sync-options"),
        ("argocd.argoproj.io/Sync-Wave", "argocd.argoproj.io/sync-wave"),
        ("helm.sh/hooks", "helm.sh/hook"),
        ("helm.sh/hook-weigth", "helm.sh/hook-weight"),
    ],
)
def test_hl007_misspelt_keys_name_the_closest_known_key(key: str, guess: str) -> None:
    [finding] = lint_text(cm(f'{key}: "x"'), select=("HL007",)).findings
    assert (finding.line, finding.column) == (6, 5)
    assert finding.message == (
        f'annotation "{key}" on ConfigMap/c is not a key Argo CD knows, so it does nothing; '
        f'did you mean "{guess}"?'
    )


def test_hl007_a_label_and_a_key_close_to_nothing() -> None:
    [finding] = lint_text(cm(labels='argocd.argoproj.io/team: "a"'), select=("HL007",)).findings
    assert (finding.line, finding.message) == (
        6,
        'label "argocd.argoproj.io/team" on ConfigMap/c is not a key Argo CD knows, so it does nothing',
    )


@pytest.mark.parametrize(
    "key",
    [
        "argocd.argoproj.io/hook",
        "argocd.argoproj.io/sync-wave",
        "argocd.argoproj.io/compare-options",
        "argocd.argoproj.io/tracking-id",
        "argocd.argoproj.io/instance",
        "argocd.argoproj.io/secret-type",
        "argocd.argoproj.io/managed-by",
        "helm.sh/hook-delete-policy",
        "helm.sh/hook-output-log-policy",
        "helm.sh/chart",
        "link.argocd.argoproj.io/docs",
        "notifications.argoproj.io/subscribe.on-sync-succeeded.slack",
    ],
)
def test_hl007_real_keys_and_other_prefixes_are_fine(key: str) -> None:
    assert lint_text(cm(f'{key}: "x"', labels=f'{key}: "x"'), select=("HL007",)).findings == []


def test_hl007_a_typo_next_to_the_real_key_changes_nothing() -> None:
    text = cm('argocd.argoproj.io/hook: PreDelete', labels="argocd.argoproj.io/hook-type: PreDelete")
    assert lint_text(text, select=("HL007",)).findings == []


def test_hl007_key_newer_than_the_configured_argo_cd() -> None:
    text = cm('argocd.argoproj.io/ignore-healthcheck: "true"')
    assert lint_text(text, select=("HL007",)).findings == []
    old = Config(argocd_version=ArgoVersion.parse("2.10"))
    [finding] = lint_text(text, select=("HL007",), config=old).findings
    assert finding.message == (
        'annotation "argocd.argoproj.io/ignore-healthcheck" on ConfigMap/c is not known to Argo CD '
        "2.10 (it came in 2.14), so it does nothing there"
    )
    assert lint_text(text, select=("HL007",), config=Config(argocd_version=ArgoVersion.parse("2.14"))).findings == []


# -- HL008 wave-outside-annotations -----------------------------------------------------

JOB_TAIL = "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: m\n          image: m\n"


@pytest.mark.parametrize(
    ("field", "path"),
    [("syncWave", "spec.syncWave"), ("sync-wave", "spec.sync-wave"), ("sync_wave", "spec.sync_wave"),
     ("hookDeletePolicy", "spec.hookDeletePolicy"),
     ("argocd.argoproj.io/sync-wave", 'spec["argocd.argoproj.io/sync-wave"]')],
)  # fmt: skip
def test_hl008_spec_fields(field: str, path: str) -> None:
    text = f'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  {field}: "1"\n{JOB_TAIL}'
    [finding] = lint_text(text, select=("HL008",)).findings
    assert (finding.line, finding.column) == (6, 3)
    assert finding.message.startswith(f"{path} on Job/j is a spec field, which Argo CD never reads; it reads only ")


def test_hl008_metadata_fields_and_non_workload_templates() -> None:
    text = (
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n  hook: PreSync\n"
        "  argocd.argoproj.io/sync-wave: '1'\nspec:\n  template:\n    metadata:\n      annotations:\n"
        "        argocd.argoproj.io/sync-wave: '2'\n        helm.sh/hook: pre-install\n"
        "        reloader.stakater.com/match: 'true'\n"
        "        argocd.argoproj.io/compare-options: IgnoreExtraneous\n"
        "        argocd.argoproj.io/sync-options: Prune=false\n"
    )
    report = lint_text(text, select=("HL008",))
    assert [(f.line, f.column) for f in report.findings] == [(5, 3), (6, 3), (11, 9), (12, 9)]
    assert report.findings[0].message == (
        "metadata.hook on SealedSecret/s is a metadata field, which Argo CD never reads; it reads only "
        'metadata.annotations["argocd.argoproj.io/hook"], so this has no effect'
    )
    assert report.findings[2].message.startswith(
        '"argocd.argoproj.io/sync-wave" on SealedSecret/s is in spec.template.metadata.annotations, '
        "a template Argo CD never reads"
    )


def test_hl008_leaves_workload_templates_to_hl006_and_real_fields_alone() -> None:
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: a\n  generateName: j-\n"
        "spec:\n  backoffLimit: 1\n  template:\n    metadata:\n      annotations:\n"
        "        argocd.argoproj.io/sync-wave: '2'\n    spec:\n      restartPolicy: Never\n"
    )
    assert lint_text(text, select=("HL008",)).findings == []
    assert codes_lines(lint_text(text, select=("HL006",))) == [("HL006", 12)]
    rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: w\nspec:\n  hooks: {}\n  entrypoint: main\n"
    assert lint_text(rollout, select=("HL008",)).findings == []


# -- HL110 / HL111 ------------------------------------------------------------------------

HOOK_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
{meta}  annotations:
    argocd.argoproj.io/hook: {hook}
spec:
  template:
    metadata:
      generateName: migrate-
    spec:
      restartPolicy: Never
"""


def test_hl110_generate_name_in_a_hook_jobs_pod_template() -> None:
    [finding] = lint_text(HOOK_JOB.format(meta="  name: migrate\n", hook="PreSync"), select=("HL110",)).findings
    assert (finding.line, finding.column) == (10, 7)
    assert finding.message == (
        'generateName "migrate-" on hook Job/migrate is in the pod template, where it names pods, not '
        'the Job: the hook keeps its fixed name "migrate"; move it to the Job\'s metadata.generateName '
        "(and drop metadata.name)"
    )


@pytest.mark.parametrize(
    ("meta", "hook"),
    [("  generateName: migrate-\n", "PreSync"), ("  name: migrate\n", "Skip"), ("  name: migrate\n", "Bogus")],
)
def test_hl110_near_misses(meta: str, hook: str) -> None:
    # the Job has its own generateName; Skip is not a hook; an unknown type is never applied (HL003)
    assert lint_text(HOOK_JOB.format(meta=meta, hook=hook), select=("HL110",)).findings == []


def test_hl111_name_and_generate_name_but_not_on_exported_objects() -> None:
    both = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  generateName: p-\n"
    [finding] = lint_text(both, select=("HL111",)).findings
    assert (finding.line, finding.column) == (5, 3)
    assert finding.message == (
        'Pod/p sets both metadata.name and metadata.generateName "p-": the name wins and generateName '
        "is ignored, so no new object is made per sync; keep only one"
    )
    hook = HOOK_JOB.format(meta="  name: migrate\n  generateName: migrate-\n", hook="PostSync")
    assert lint_text(hook, select=("HL111",)).findings[0].message.startswith("hook Job/migrate sets both")
    for exported in ("  uid: 1234\n", '  resourceVersion: "99"\n'):
        assert lint_text(both + exported, select=("HL111",)).findings == []
    assert lint_text(both.replace("  name: p\n", ""), select=("HL111",)).findings == []


# -- HL308 hook-resource-used-by-app ------------------------------------------------------

SA_HOOK = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shared
  annotations:
    argocd.argoproj.io/hook: {hook}
{policy}"""
SECRET_HOOK = "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  annotations:\n    helm.sh/hook: pre-install\n"
DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      serviceAccountName: shared
      imagePullSecrets: [{name: creds}]
      containers:
        - name: api
          image: api
          envFrom: [{secretRef: {name: creds}}]
"""


def test_hl308_reports_the_hook_with_every_dependent() -> None:
    text = SA_HOOK.format(hook="PreSync", policy="") + SECRET_HOOK + DEPLOYMENT
    report = lint_text(text, select=("HL308",))
    assert codes_lines(report) == [("HL308", 6), ("HL308", 13)]
    sa, secret = report.findings
    assert sa.message == (
        "hook ServiceAccount/shared (PreSync) is used by Deployment/api, which is not a hook: its delete "
        "policy deletes and re-creates it at every sync, so it breaks or flaps; make it a normal resource "
        "in an earlier wave"
    )
    assert [(r.position.line, r.message) for r in sa.related] == [(22, "Deployment/api uses it (serviceAccountName)")]
    assert [(r.position.line, r.message) for r in secret.related] == [
        (23, "Deployment/api uses it (imagePullSecrets)"),
        (27, "Deployment/api uses it (envFrom)"),
    ]


def test_hl308_names_several_dependents() -> None:
    second = DEPLOYMENT.replace("name: api", "name: worker")
    [finding] = lint_text(SA_HOOK.format(hook="PreSync", policy="") + DEPLOYMENT + second, select=("HL308",)).findings
    assert finding.message.startswith(
        "hook ServiceAccount/shared (PreSync) is used by Deployment/api, Deployment/worker, which are not "
        "hooks: its delete policy deletes and re-creates it at every sync, so they break or flap;"
    )
    assert len(finding.related) == 2


def test_hl308_hook_succeeded_and_hookfailed_only() -> None:
    succeeded = SA_HOOK.format(hook="PreSync", policy="    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n")
    [finding] = lint_text(succeeded + DEPLOYMENT, select=("HL308",)).findings
    assert "deletes it as soon as the hooks of its phase succeed" in finding.message
    kept = SA_HOOK.format(hook="PreSync", policy="    argocd.argoproj.io/hook-delete-policy: HookFailed\n")
    assert lint_text(kept + DEPLOYMENT, select=("HL308",)).findings == []


def test_hl308_hooks_used_only_by_hooks_and_optional_references() -> None:
    job_hook = DEPLOYMENT.replace("kind: Deployment", "kind: Job").replace("apps/v1", "batch/v1")
    job_hook = job_hook.replace("  name: api\n", "  name: api\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n")
    text = SA_HOOK.format(hook="PreSync", policy="") + SECRET_HOOK + job_hook
    assert lint_text(text, select=("HL308",)).findings == []
    skip = SA_HOOK.format(hook="Skip", policy="") + DEPLOYMENT
    assert lint_text(skip, select=("HL308",)).findings == []  # Skip is not a hook
    optional = DEPLOYMENT.replace("{secretRef: {name: creds}}", "{secretRef: {name: creds, optional: true}}")
    optional = optional.replace("      imagePullSecrets: [{name: creds}]\n", "")
    assert lint_text(SECRET_HOOK + optional, select=("HL308",)).findings == []


def test_hl308_only_a_dependent_in_a_linted_file_or_the_hook_in_one() -> None:
    files = {"deploy/sa.yaml": SA_HOOK.format(hook="PreSync", policy="")}
    report = lint_texts(files, select=("HL308",), context={"deploy/api.yaml": DEPLOYMENT})
    assert [(f.path, f.line) for f in report.findings] == [("deploy/sa.yaml", 6)]
    report = lint_texts({"deploy/api.yaml": DEPLOYMENT}, ("HL308",), context=files)
    assert [(f.path, f.line) for f in report.findings] == [("deploy/sa.yaml", 6)]


# -- HL309 wave-gated-on-resource-without-health ----------------------------------------

def cr(api: str, kind: str, wave: str | None = "0", name: str = "x") -> str:
    ann = f'  annotations:\n    argocd.argoproj.io/sync-wave: "{wave}"\n' if wave is not None else ""
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n{ann}"


LATER = cr("v1", "ConfigMap", "5", "later")


def test_hl309_custom_resource_without_health_in_a_non_final_wave() -> None:
    [finding] = lint_text(cr("db.example.com/v1", "Database") + LATER, select=("HL309",)).findings
    assert (finding.line, finding.column) == (7, 35)
    assert finding.message == (
        "Database/x in wave 0 is a db.example.com/Database, which Argo CD has no health check for, nor "
        "has anything else in that step: it counts as Healthy once applied, so starting wave 5 waits for "
        "nothing; add a health check to argocd-cm (and to this rule's health-checks), or do not rely on "
        "the wave"
    )
    assert [(r.position.line, r.message) for r in finding.related] == [(14, "ConfigMap/later starts without waiting")]


@pytest.mark.parametrize(
    ("api", "kind"),
    [
        ("cert-manager.io/v1", "Certificate"),
        ("pkg.crossplane.io/v1", "Provider"),
        ("s3.aws.upbound.io/v1beta1", "Bucket"),  # the _.upbound.io/_ wildcard
        ("argoproj.io/v1alpha1", "Rollout"),
        ("argoproj.io/v1alpha1", "Application"),  # HL304's
        ("apps/v1", "Deployment"),
        ("rbac.authorization.k8s.io/v1", "Role"),  # built-in, no health: nobody waits on RBAC
    ],
)
def test_hl309_kinds_with_health_checks_or_built_in(api: str, kind: str) -> None:
    assert lint_text(cr(api, kind) + LATER, select=("HL309",)).findings == []


def test_hl309_a_step_that_still_waits_for_something_else() -> None:
    # OLM's usual order: the OperatorGroup has no health check, the Subscription in its wave has one
    same_wave = cr("operators.coreos.com/v1", "OperatorGroup") + cr("operators.coreos.com/v1alpha1", "Subscription")
    assert lint_text(same_wave + LATER, select=("HL309",)).findings == []
    with_sa = cr("db.example.com/v1", "Database") + cr("v1", "ServiceAccount", "0", "sa")  # no health either
    assert codes_lines(lint_text(with_sa + LATER, select=("HL309",))) == [("HL309", 7)]


def test_hl309_no_wave_last_wave_and_configured_checks() -> None:
    assert lint_text(cr("db.example.com/v1", "Database", None) + LATER, select=("HL309",)).findings == []
    assert lint_text(cr("db.example.com/v1", "Database", "5"), select=("HL309",)).findings == []
    param = Config(rules={"wave-gated-on-resource-without-health": RuleConfig(params={"health-checks": ["*.example.com/*"]})})
    assert lint_text(cr("db.example.com/v1", "Database") + LATER, select=("HL309",), config=param).findings == []
    argocd_cm = "---\ndata:\n  resource.customizations.health.db.example.com_Database: return {status='Healthy'}\n"
    files = {"deploy/db.yaml": cr("db.example.com/v1", "Database") + LATER, "argocd/patch.yaml": argocd_cm}
    assert lint_texts(files, select=("HL309",)).findings == []


def test_hl309_a_built_in_check_newer_than_the_configured_argo_cd() -> None:
    text = cr("cert-manager.io/v1", "Certificate") + LATER
    old = Config(argocd_version=ArgoVersion.parse("1.0"))
    [finding] = lint_text(text, select=("HL309",), config=old).findings
    assert "which Argo CD has no health check for (Argo CD has one from 1." in finding.message


def test_hl309_health_checks_param_is_validated(tmp_path: object) -> None:
    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, active_rules
    from hooklint.registry import load_registry

    bad = Config(rules={"wave-gated-on-resource-without-health": RuleConfig(params={"health-checks": ["Database"]})})
    with pytest.raises(ConfigError, match=r"params\.health-checks: 'Database' is not group/Kind"):
        active_rules(load_registry(plugins=False), bad, LintOptions(paths=()))
