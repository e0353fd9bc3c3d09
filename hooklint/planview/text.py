"""The plan as an indented tree for the terminal."""

from __future__ import annotations

from typing import Sequence, TextIO

from hooklint.output.printable import printable
from hooklint.planview.build import PlanEntry, PlanStep, SetPlan


def entry_notes(entry: PlanEntry) -> list[str]:
    """The marks shown after a resource: hook, waited, pulled forward, delete policy."""
    notes: list[str] = []
    if entry.hook:
        notes.append("hook")
    if entry.waited:
        notes.append("waited on")
    if entry.pulled_forward_from is not None:
        phase = f"{entry.pulled_forward_phase} " if entry.pulled_forward_phase else ""
        notes.append(f"pulled forward from {phase}wave {entry.pulled_forward_from}")
    if entry.delete_policy is not None:
        policy = ",".join(entry.delete_policy)
        notes.append(f"delete: {policy}{' (default)' if entry.delete_policy_default else ''}")
    return notes


def step_heading(step: PlanStep, last: bool) -> str:
    if step.wave is None:
        return "all at once"
    if step.phase == "SyncFail":
        return f"wave {step.wave}  (started together with the other SyncFail hooks)"
    if step.waited:
        return f"wave {step.wave}  (Argo CD waits for it before going on)"
    if last:
        return f"wave {step.wave}  (last step: the sync ends once it is applied)"
    return f"wave {step.wave}  (not waited on)"


def render(plans: Sequence[SetPlan], stream: TextIO) -> None:
    for number, plan in enumerate(plans):
        if number:
            stream.write("\n")
        stream.write(f"{printable(plan.folder or '.')}\n")
        if not plan.phases and not plan.never_applied:
            stream.write("  (nothing to sync)\n")
        main = [s for p in plan.phases if p.name in ("PreSync", "Sync", "PostSync") for s in p.steps]
        for phase in plan.phases:
            stream.write(f"  {phase.name}  ({phase.note})\n")
            if phase.wave_order:
                stream.write(f"    ! wave order not determined: {phase.wave_order}\n")
            for step in phase.steps:
                last = bool(main) and step is main[-1]
                stream.write(f"    {step_heading(step, last)}\n")
                runs = {first: (end, reason) for first, end, reason in step.unordered}
                for index, entry in enumerate(step.entries):
                    if index in runs:
                        end, reason = runs[index]
                        stream.write(f"      ~ the next {end - index + 1} in no fixed order: {reason}\n")
                    _write_entry(stream, entry)
        extra = (("Never applied", plan.never_applied), ("Replaced by a later copy", plan.replaced))
        for title, entries in extra:
            if entries:
                stream.write(f"  {title}\n")
                for entry in entries:
                    _write_entry(stream, entry)


def _write_entry(stream: TextIO, entry: PlanEntry) -> None:
    where = f"{entry.path}:{entry.line}"
    ns = f" -n {entry.namespace}" if entry.namespace else ""
    notes = entry_notes(entry)
    mark = f"  [{', '.join(notes)}]" if notes else ""
    stream.write(f"      {entry.ref}{ns}{mark}  {where}\n")
    if entry.blocker is not None:
        stream.write(f"        ! can block ({entry.blocker.rule}): {entry.blocker.reason}\n")
    if entry.note:
        stream.write(f"        ! {entry.note}\n")
    for warning in entry.warnings:
        stream.write(f"        ! {warning}\n")
