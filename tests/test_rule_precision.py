"""Issue 15 precision fixes: HL301 defaults and advice, HL304 restored health, HL002
plugin placeholders, short HL201/HL202 messages."""

from __future__ import annotations

import pytest

from hooklint.config import Config, RuleConfig
from tests.conftest import codes_lines, lint_text, lint_texts

POSTSYNC_JOB = """\
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: smoke-
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers: [{name: t, image: busybox}]
"""

CERTIFICATE = """\
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "0"
spec:
  secretName: web-tls
"""

INGRESS_LAST_WAVE = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "3"
spec:
  rules: [{host: web.example.com}]
"""


@pytest.mark.parametrize(
    ("api", "kind"),
    [
        ("cert-manager.io/v1", "Certificate"),
        ("cert-manager.io/v1", "Issuer"),
        ("cert-manager.io/v1", "ClusterIssuer"),
        ("external-secrets.io/v1beta1", "ExternalSecret"),
        ("bitnami.com/v1alpha1", "SealedSecret"),
    ],
)
def test_hl301_no_longer_flags_crs_with_failing_health_checks(api: str, kind: str) -> None:
    text = CERTIFICATE.replace("cert-manager.io/v1", api).replace("Certificate", kind) + POSTSYNC_JOB
    assert lint_text(text, select=("HL301",)).findings == []


def test_hl301_kinds_param_adds_to_the_built_in_kinds() -> None:
    config = Config(
        rules={"wave-gated-on-unhealthy-prone-resource": RuleConfig(params={"kinds": ["cert-manager.io/Certificate"]})}
    )
    report = lint_text(CERTIFICATE + POSTSYNC_JOB, select=("HL301",), config=config)
    assert codes_lines(report) == [("HL301", 6)]
    both = lint_texts({"a.yaml": CERTIFICATE + "---\n" + INGRESS_LAST_WAVE + POSTSYNC_JOB}, ("HL301",), config)
    assert codes_lines(both) == [("HL301", 6), ("HL301", 15)]  # the Ingress is still built in


def test_hl301_last_wave_before_postsync_names_the_hook_not_the_last_wave() -> None:
    [finding] = lint_text(INGRESS_LAST_WAVE + POSTSYNC_JOB, select=("HL301",)).findings
    assert finding.message.startswith(
        "Ingress/web in wave 3 can stay Progressing forever, and Argo CD waits for it before running "
        "the PostSync hooks: "
    )
    assert finding.message.endswith(
        "; PostSync hook Job/smoke-* waits for it; make sure it turns Healthy, or do not gate on it"
    )
    assert "last wave" not in finding.message
    assert [(r.position.line, r.message) for r in finding.related] == [(15, "Job/smoke-* waits for Ingress/web")]


def test_hl301_an_earlier_wave_with_postsync_hooks_says_no_wave_helps() -> None:
    text = INGRESS_LAST_WAVE.replace('"3"', '"1"') + "---\n" + CERTIFICATE.replace('"0"', '"2"') + POSTSYNC_JOB
    [finding] = lint_text(text, select=("HL301",)).findings
    assert finding.message.endswith(
        "; Certificate/web and the PostSync hooks wait for it (in any wave, since PostSync waits for "
        "every Sync-phase resource); make sure it turns Healthy"
    )


def test_hl301_a_later_sync_wave_without_hooks_still_suggests_the_last_wave() -> None:
    later = INGRESS_LAST_WAVE.replace('"3"', '"1"') + "---\n" + CERTIFICATE.replace('"0"', '"2"')
    [finding] = lint_text(later, select=("HL301",)).findings
    assert finding.message.endswith("; move it to the last wave, or make sure it turns Healthy")


LONG_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: database-schema-migration
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: example/m
"""


def test_hl201_hl202_first_sentence_is_short_what_and_where() -> None:
    report = lint_text(LONG_JOB, select=("HL201", "HL202"))
    firsts = {f.code: f.message.split(". ")[0] for f in report.findings}
    assert firsts == {
        "HL201": "hook Job/database-schema-migration (PreSync) sets no spec.backoffLimit",
        "HL202": "hook Job/database-schema-migration (PreSync) sets no spec.activeDeadlineSeconds",
    }
    assert all(len(first) <= 100 for first in firsts.values())
    gated = LONG_JOB.replace("argocd.argoproj.io/hook: PreSync", 'argocd.argoproj.io/sync-wave: "1"')
    gated = gated.replace("    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n", "")
    gated += '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {argocd.argoproj.io/sync-wave: "2"}\n'
    report = lint_text(gated, select=("HL201", "HL202"))
    firsts = {f.code: f.message.split(". ")[0] for f in report.findings}
    assert firsts["HL201"] == "Job/database-schema-migration in wave 1 (waited on) sets no spec.backoffLimit"
    assert len(firsts["HL202"]) <= 100


@pytest.mark.parametrize(
    "value", ["${ARGOCD_ENV_WAVE}", "$ARGOCD_APP_REVISION", "${WAVE}", "${WAVE:-2}", "1${SUFFIX}"]
)
def test_hl002_skips_plugin_placeholders(value: str) -> None:
    text = f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: "{value}"\n'
    assert lint_text(text, select=("HL002",)).findings == []
    weight = text.replace("argocd.argoproj.io/sync-wave", "helm.sh/hook-weight")
    assert lint_text(weight, select=("HL002",)).findings == []


@pytest.mark.parametrize("value", ["$", "1.5$", "{WAVE}", "$1"])
def test_hl002_near_misses_of_placeholders_are_still_reported(value: str) -> None:
    text = f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: "{value}"\n'
    [finding] = lint_text(text, select=("HL002",)).findings
    assert finding.message.startswith(f'wave "{value}" on ConfigMap/c ') and finding.line == 6
    assert finding.message.endswith("; Argo CD silently reads it as 0")


def app(name: str, wave: str | None) -> str:
    ann = f'  annotations:\n    argocd.argoproj.io/sync-wave: "{wave}"\n' if wave is not None else ""
    return (
        f"---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n"
        f"  namespace: argocd\n{ann}spec:\n  project: default\n"
    )


APPS = app("db", "1") + app("api", "2")

APP_HEALTH_LUA = "hs = {}\\nhs.status = 'Healthy'\\nreturn hs\\n"
RESTORED = {
    "argocd-cm": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n"
        f'  resource.customizations.health.argoproj.io_Application: "{APP_HEALTH_LUA}"\n'
    ),
    "kind-less kustomize patch": f'data:\n  resource.customizations.health.argoproj.io_Application: "{APP_HEALTH_LUA}"\n',
    "block form in a patch": (
        "metadata:\n  name: argocd-cm\ndata:\n  resource.customizations: |\n    argoproj.io/Application:\n"
        "      health.lua: |\n        hs = {}\n        return hs\n"
    ),
    "argo-cd chart values": (
        "configs:\n  cm:\n    resource.customizations: |\n      argoproj.io/Application:\n"
        "        health.lua: |\n          return {}\n"
    ),
    "old chart values": f'server:\n  config:\n    resource.customizations.health.argoproj.io_Application: "{APP_HEALTH_LUA}"\n',
    "wildcard key": f'data:\n  resource.customizations.health.argoproj.io_*: "{APP_HEALTH_LUA}"\n',
}


def test_hl304_fires_without_a_restored_health_check() -> None:
    report = lint_texts({"apps/apps.yaml": APPS}, ("HL304",))
    assert codes_lines(report) == [("HL304", 8)]
    assert report.findings[0].message == (
        "Application/db in wave 1 is not the last step of the sync, but Argo CD has no health check for "
        "Applications (since v1.8), so starting wave 2 does not wait for the child app; restore it in "
        "argocd-cm (resource.customizations.health.argoproj.io_Application) or do not rely on the waves"
    )


@pytest.mark.parametrize("form", sorted(RESTORED))
def test_hl304_silenced_by_a_restored_health_check_anywhere_in_the_run(form: str) -> None:
    files = {"apps/apps.yaml": APPS, "argocd/cm.yaml": RESTORED[form]}
    assert lint_texts(files, ("HL304",)).findings == []
    # in --context only (pre-commit stages just the apps)
    assert lint_texts({"apps/apps.yaml": APPS}, ("HL304",), context={"argocd/cm.yaml": RESTORED[form]}).findings == []


@pytest.mark.parametrize(
    "near_miss",
    [
        "data:\n  resource.customizations.health.argoproj.io_Rollout: x\n",  # another kind
        "data:\n  resource.customizations.ignoreDifferences.argoproj.io_Application: x\n",  # not health
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n"
        "  resource.customizations.health.argoproj.io_Application: x\n",  # not argocd-cm
        "configs:\n  cm:\n    resource.customizations: |\n      argoproj.io/Application:\n"
        "        ignoreDifferences: '{}'\n",  # block without health.lua
    ],
)
def test_hl304_near_misses_of_a_restored_health_check(near_miss: str) -> None:
    files = {"apps/apps.yaml": APPS, "argocd/cm.yaml": near_miss}
    assert codes_lines(lint_texts(files, ("HL304",))) == [("HL304", 8)]


def test_hl304_explicit_wave_zero_that_nothing_relies_on() -> None:
    hook = POSTSYNC_JOB
    assert lint_text(app("db", "0") + app("api", "0") + hook, select=("HL304",)).findings == []
    assert lint_text(app("db", "0") + app("api", None) + hook, select=("HL304",)).findings == []
    # a later wave written on something: the zero is an ordering intent
    assert codes_lines(lint_text(app("db", "0") + app("api", "1"), select=("HL304",))) == [("HL304", 8)]
