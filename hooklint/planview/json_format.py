"""The plan as JSON, for scripts: sets -> phases -> waves -> resources, in Argo CD's order."""

from __future__ import annotations

import json
from typing import Any, Sequence, TextIO

from hooklint.planview.build import PlanEntry, SetPlan

SCHEMA_VERSION = 1


def entry_data(entry: PlanEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "apiVersion": entry.api_version,
        "name": entry.name,
        "namespace": entry.namespace or None,
        "path": entry.path,
        "line": entry.line,
        "hook": entry.hook,
        "waited": entry.waited,
        "pulledForwardFrom": entry.pulled_forward_from,
        "pulledForwardFromPhase": entry.pulled_forward_phase,
        "deletePolicy": list(entry.delete_policy) if entry.delete_policy is not None else None,
        "deletePolicyDefault": entry.delete_policy_default if entry.hook else None,
        "canBlock": ({"rule": entry.blocker.rule, "reason": entry.blocker.reason} if entry.blocker else None),
        "warnings": list(entry.warnings),
        **({"reason": entry.note} if entry.note else {}),
    }


def plan_data(plans: Sequence[SetPlan]) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "sets": [
            {
                "folder": plan.folder,
                "multiStep": plan.multi_step,
                "phases": [
                    {
                        "phase": phase.name,
                        "note": phase.note,
                        "waveOrderNotDetermined": phase.wave_order or None,
                        "waves": [
                            {
                                "wave": step.wave,
                                "waited": step.waited,
                                "resources": [entry_data(e) for e in step.entries],
                                "orderNotDetermined": [
                                    {"first": first, "last": last, "reason": reason}
                                    for first, last, reason in step.unordered
                                ],
                            }
                            for step in phase.steps
                        ],
                    }
                    for phase in plan.phases
                ],
                "neverApplied": [entry_data(e) for e in plan.never_applied],
                "replaced": [entry_data(e) for e in plan.replaced],
            }
            for plan in plans
        ],
    }


def render(plans: Sequence[SetPlan], stream: TextIO) -> None:
    json.dump(plan_data(plans), stream, indent=2)
    stream.write("\n")
