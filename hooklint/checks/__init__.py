"""Built-in checks, listed explicitly (no import magic): each by its key, module and class.

A check's module is imported only when a run first needs the check (``BuiltinCheck.load``,
called by ``Registry.check_for``), so a run served from the lint cache imports none of
them.  What the registry must know without importing (the key, and whether findings may
depend on other documents) is written here; ``tests/test_builtin_checks.py`` loads every
entry and compares it with its class.
"""

from __future__ import annotations

from hooklint.check import Check
from hooklint.values import dataclass


@dataclass(frozen=True)
class BuiltinCheck:
    """One built-in check, not yet imported."""

    key: str
    module: str  # under hooklint.checks
    name: str  # its Check subclass
    sees_other_documents: bool  # check.sees_other_documents of an instance

    @property
    def origin(self) -> str:
        """The class's dotted path (what the lint cache's rule fingerprint records)."""
        return f"hooklint.checks.{self.module}.{self.name}"

    def load(self) -> Check:
        from importlib import import_module

        check: Check = getattr(import_module(f"hooklint.checks.{self.module}"), self.name)()
        return check


BUILTIN_CHECKS: tuple[BuiltinCheck, ...] = (
    BuiltinCheck("parse-error", "parse_error", "ParseError", False),
    BuiltinCheck("annotation-not-string", "annotation_types", "AnnotationNotString", False),
    BuiltinCheck("invalid-sync-wave", "sync_waves", "InvalidSyncWave", False),
    BuiltinCheck("unknown-hook-type", "hook_values", "UnknownHookType", False),
    BuiltinCheck("unknown-delete-policy", "hook_values", "UnknownDeletePolicy", False),
    BuiltinCheck("unknown-sync-option", "sync_options", "UnknownSyncOption", False),
    BuiltinCheck("misplaced-argocd-annotation", "misplaced_annotations", "MisplacedArgocdAnnotation", False),
    BuiltinCheck("unknown-argocd-annotation-key", "annotation_keys", "UnknownArgocdAnnotationKey", False),
    BuiltinCheck("wave-outside-annotations", "wave_placement", "WaveOutsideAnnotations", False),
    BuiltinCheck("unknown-suppression", "suppressions", "UnknownSuppression", True),
    BuiltinCheck("wave-out-of-range", "wave_range", "WaveOutOfRange", True),
    BuiltinCheck(
        "hook-annotation-in-common-annotations", "kustomizations", "HookAnnotationInCommonAnnotations", False
    ),
    BuiltinCheck(
        "named-hook-without-before-hook-creation",
        "hook_lifecycle",
        "NamedHookWithoutBeforeHookCreation",
        False,
    ),
    BuiltinCheck("generate-name-on-non-hook", "hook_names", "GenerateNameOnNonHook", False),
    BuiltinCheck("generate-name-hook-without-cleanup", "hook_names", "GenerateNameHookWithoutCleanup", False),
    BuiltinCheck("skip-combined-with-hook-types", "hook_values", "SkipCombinedWithHookTypes", False),
    BuiltinCheck("delete-policy-on-non-hook", "hook_lifecycle", "DeletePolicyOnNonHook", False),
    BuiltinCheck("unsupported-helm-hook", "hook_values", "UnsupportedHelmHook", False),
    BuiltinCheck("mixed-helm-and-argocd-hooks", "hook_values", "MixedHelmAndArgocdHooks", False),
    BuiltinCheck("hook-name-too-long", "hook_names", "HookNameTooLong", False),
    BuiltinCheck("workload-as-hook", "hook_lifecycle", "WorkloadAsHook", False),
    BuiltinCheck("generate-name-in-pod-template", "generate_names", "GenerateNameInPodTemplate", False),
    BuiltinCheck("name-and-generate-name", "generate_names", "NameAndGenerateName", False),
    BuiltinCheck("hook-job-without-backoff-limit", "job_hooks", "HookJobWithoutBackoffLimit", True),
    BuiltinCheck("job-without-deadline", "job_hooks", "JobWithoutDeadline", True),
    BuiltinCheck("job-restart-policy", "jobs", "JobRestartPolicy", False),
    BuiltinCheck("pod-hook-restart-policy", "pod_hooks", "PodHookRestartPolicy", False),
    BuiltinCheck("suspended-hook-job", "job_hooks", "SuspendedHookJob", False),
    BuiltinCheck("job-ttl-under-argocd", "jobs", "JobTtlUnderArgocd", False),
    BuiltinCheck(
        "wave-gated-on-unhealthy-prone-resource", "wave_gating", "WaveGatedOnUnhealthyProneResource", True
    ),
    BuiltinCheck("wave-dependency-inversion", "wave_dependencies", "WaveDependencyInversion", True),
    BuiltinCheck("pvc-gated-before-consumer", "wave_dependencies", "PvcGatedBeforeConsumer", True),
    BuiltinCheck("app-of-apps-wave-without-health", "app_of_apps", "AppOfAppsWaveWithoutHealth", True),
    BuiltinCheck("hook-resource-used-by-app", "hook_dependencies", "HookResourceUsedByApp", True),
    BuiltinCheck(
        "wave-gated-on-resource-without-health", "health_gating", "WaveGatedOnResourceWithoutHealth", True
    ),
    BuiltinCheck("wave-on-ungated-hook", "hook_waves", "WaveOnUngatedHook", False),
    BuiltinCheck("duplicate-resource", "duplicates", "DuplicateResource", True),
    BuiltinCheck("nondeterministic-template", "nondeterministic_template", "NondeterministicTemplate", False),
    BuiltinCheck(
        "create-namespace-with-namespace-manifest",
        "applications",
        "CreateNamespaceWithNamespaceManifest",
        True,
    ),
    BuiltinCheck(
        "app-sync-option-conflicts-with-hooks", "applications", "AppSyncOptionConflictsWithHooks", True
    ),
    BuiltinCheck("application-source-not-found", "applications", "ApplicationSourceNotFound", True),
)
