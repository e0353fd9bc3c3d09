"""The plan as a Mermaid flowchart: one box per step, arrows in sync order."""

from __future__ import annotations

from typing import Sequence, TextIO

from hooklint.planview.build import PlanEntry, SetPlan
from hooklint.planview.text import entry_notes

_MAIN = ("PreSync", "Sync", "PostSync")


def _label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _node(entry: PlanEntry) -> str:
    notes = [n for n in entry_notes(entry) if n != "waited on"]
    lines = [_label(entry.ref), *(_label(n) for n in notes)]
    if entry.blocker is not None:
        lines.append(_label(f"can block ({entry.blocker.rule})"))
    if entry.note:
        lines.append(_label(entry.note))
    return "<br/>".join(lines)


def render(plans: Sequence[SetPlan], stream: TextIO) -> None:
    out = ["flowchart TD"]
    nested = len(plans) > 1
    for number, plan in enumerate(plans):
        prefix = f"p{number}_" if nested else ""
        indent = "  "
        if nested:
            out.append(f'  subgraph {prefix}set["{_label(plan.folder or ".")}"]')
            out.append("    direction TB")
            indent = "    "
        previous: tuple[str, bool] | None = None
        blocked: list[str] = []
        never: list[str] = []
        for p_index, phase in enumerate(plan.phases):
            for s_index, step in enumerate(phase.steps):
                sid = f"{prefix}s{p_index}_{s_index}"
                title = phase.name if step.wave is None else f"{phase.name} · wave {step.wave}"
                if step.wave is None or phase.name not in _MAIN:
                    title += f" ({phase.note.split(';')[0]})"
                out.append(f'{indent}subgraph {sid}["{_label(title)}"]')
                for e_index, entry in enumerate(step.entries):
                    nid = f"{sid}_{e_index}"
                    out.append(f'{indent}  {nid}["{_node(entry)}"]')
                    if entry.blocker is not None:
                        blocked.append(nid)
                out.append(f"{indent}end")
                if phase.name in _MAIN:
                    if previous is not None:
                        arrow = "==>|waits for health|" if previous[1] else "-->|no wait|"
                        out.append(f"{indent}{previous[0]} {arrow} {sid}")
                    previous = (sid, step.waited)
        for suffix, title, entries in (
            ("never", "Never applied", plan.never_applied),
            ("replaced", "Replaced by a later copy", plan.replaced),
        ):
            if entries:
                sid = f"{prefix}{suffix}"
                out.append(f'{indent}subgraph {sid}["{title}"]')
                for e_index, entry in enumerate(entries):
                    nid = f"{sid}_{e_index}"
                    out.append(f'{indent}  {nid}["{_node(entry)}"]')
                    never.append(nid)
                out.append(f"{indent}end")
        if nested:
            out.append("  end")
        if blocked:
            out.append(f"  class {','.join(blocked)} canBlock")
        if never:
            out.append(f"  class {','.join(never)} neverApplied")
    out.append("  classDef canBlock fill:#fde2e1,stroke:#c0392b")
    out.append("  classDef neverApplied fill:#eeeeee,stroke:#999999,stroke-dasharray:4 2")
    stream.write("\n".join(out) + "\n")
