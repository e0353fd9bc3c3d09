"""Built-in checks, listed explicitly (no import magic)."""

from __future__ import annotations

from hooklint.check import Check
from hooklint.checks.annotation_keys import UnknownArgocdAnnotationKey
from hooklint.checks.annotation_types import AnnotationNotString
from hooklint.checks.app_of_apps import AppOfAppsWaveWithoutHealth
from hooklint.checks.applications import (
    ApplicationSourceNotFound,
    AppSyncOptionConflictsWithHooks,
    CreateNamespaceWithNamespaceManifest,
)
from hooklint.checks.duplicates import DuplicateResource
from hooklint.checks.generate_names import GenerateNameInPodTemplate, NameAndGenerateName
from hooklint.checks.health_gating import WaveGatedOnResourceWithoutHealth
from hooklint.checks.hook_dependencies import HookResourceUsedByApp
from hooklint.checks.hook_lifecycle import (
    DeletePolicyOnNonHook,
    NamedHookWithoutBeforeHookCreation,
    WorkloadAsHook,
)
from hooklint.checks.hook_names import (
    GenerateNameHookWithoutCleanup,
    GenerateNameOnNonHook,
    HookNameTooLong,
)
from hooklint.checks.hook_values import (
    MixedHelmAndArgocdHooks,
    SkipCombinedWithHookTypes,
    UnknownDeletePolicy,
    UnknownHookType,
    UnsupportedHelmHook,
)
from hooklint.checks.hook_waves import WaveOnUngatedHook
from hooklint.checks.job_hooks import HookJobWithoutBackoffLimit, JobWithoutDeadline, SuspendedHookJob
from hooklint.checks.jobs import JobRestartPolicy, JobTtlUnderArgocd
from hooklint.checks.kustomizations import HookAnnotationInCommonAnnotations
from hooklint.checks.misplaced_annotations import MisplacedArgocdAnnotation
from hooklint.checks.nondeterministic_template import NondeterministicTemplate
from hooklint.checks.parse_error import ParseError
from hooklint.checks.pod_hooks import PodHookRestartPolicy
from hooklint.checks.suppressions import UnknownSuppression
from hooklint.checks.sync_options import UnknownSyncOption
from hooklint.checks.sync_waves import InvalidSyncWave
from hooklint.checks.wave_dependencies import PvcGatedBeforeConsumer, WaveDependencyInversion
from hooklint.checks.wave_gating import WaveGatedOnUnhealthyProneResource
from hooklint.checks.wave_placement import WaveOutsideAnnotations
from hooklint.checks.wave_range import WaveOutOfRange

BUILTIN_CHECKS: tuple[Check, ...] = (
    ParseError(),
    AnnotationNotString(),
    InvalidSyncWave(),
    UnknownHookType(),
    UnknownDeletePolicy(),
    UnknownSyncOption(),
    MisplacedArgocdAnnotation(),
    UnknownArgocdAnnotationKey(),
    WaveOutsideAnnotations(),
    UnknownSuppression(),
    WaveOutOfRange(),
    HookAnnotationInCommonAnnotations(),
    NamedHookWithoutBeforeHookCreation(),
    GenerateNameOnNonHook(),
    GenerateNameHookWithoutCleanup(),
    SkipCombinedWithHookTypes(),
    DeletePolicyOnNonHook(),
    UnsupportedHelmHook(),
    MixedHelmAndArgocdHooks(),
    HookNameTooLong(),
    WorkloadAsHook(),
    GenerateNameInPodTemplate(),
    NameAndGenerateName(),
    HookJobWithoutBackoffLimit(),
    JobWithoutDeadline(),
    JobRestartPolicy(),
    PodHookRestartPolicy(),
    SuspendedHookJob(),
    JobTtlUnderArgocd(),
    WaveGatedOnUnhealthyProneResource(),
    WaveDependencyInversion(),
    PvcGatedBeforeConsumer(),
    AppOfAppsWaveWithoutHealth(),
    HookResourceUsedByApp(),
    WaveGatedOnResourceWithoutHealth(),
    WaveOnUngatedHook(),
    DuplicateResource(),
    NondeterministicTemplate(),
    CreateNamespaceWithNamespaceManifest(),
    AppSyncOptionConflictsWithHooks(),
    ApplicationSourceNotFound(),
)
