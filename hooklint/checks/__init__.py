"""Built-in checks, listed explicitly (no import magic)."""

from __future__ import annotations

from hooklint.check import Check
from hooklint.checks.annotation_types import AnnotationNotString
from hooklint.checks.app_of_apps import AppOfAppsWaveWithoutHealth
from hooklint.checks.duplicates import DuplicateResource
from hooklint.checks.hook_lifecycle import NamedHookWithoutBeforeHookCreation
from hooklint.checks.hook_waves import WaveOnUngatedHook
from hooklint.checks.job_hooks import HookJobWithoutBackoffLimit, JobWithoutDeadline, SuspendedHookJob
from hooklint.checks.jobs import JobRestartPolicy, JobTtlUnderArgocd
from hooklint.checks.parse_error import ParseError
from hooklint.checks.pod_hooks import PodHookRestartPolicy
from hooklint.checks.sync_waves import InvalidSyncWave
from hooklint.checks.wave_dependencies import PvcGatedBeforeConsumer, WaveDependencyInversion
from hooklint.checks.wave_gating import WaveGatedOnUnhealthyProneResource

BUILTIN_CHECKS: tuple[Check, ...] = (
    ParseError(),
    AnnotationNotString(),
    InvalidSyncWave(),
    NamedHookWithoutBeforeHookCreation(),
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
    WaveOnUngatedHook(),
    DuplicateResource(),
)
