"""Built-in checks, listed explicitly (no import magic)."""

from __future__ import annotations

from hooklint.check import Check
from hooklint.checks.annotation_types import AnnotationNotString
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
from hooklint.checks.job_hooks import HookJobWithoutBackoffLimit
from hooklint.checks.misplaced_annotations import MisplacedArgocdAnnotation
from hooklint.checks.parse_error import ParseError
from hooklint.checks.sync_options import UnknownSyncOption
from hooklint.checks.sync_waves import InvalidSyncWave
from hooklint.checks.wave_gating import WaveGatedOnUnhealthyProneResource

BUILTIN_CHECKS: tuple[Check, ...] = (
    ParseError(),
    AnnotationNotString(),
    InvalidSyncWave(),
    UnknownHookType(),
    UnknownDeletePolicy(),
    UnknownSyncOption(),
    MisplacedArgocdAnnotation(),
    NamedHookWithoutBeforeHookCreation(),
    GenerateNameOnNonHook(),
    GenerateNameHookWithoutCleanup(),
    SkipCombinedWithHookTypes(),
    DeletePolicyOnNonHook(),
    UnsupportedHelmHook(),
    MixedHelmAndArgocdHooks(),
    HookNameTooLong(),
    WorkloadAsHook(),
    HookJobWithoutBackoffLimit(),
    WaveGatedOnUnhealthyProneResource(),
)
