"""``hooklint plan``: the sync Argo CD will run, built from SyncPlan, and its renderers.

``build`` turns a manifest set into a :class:`SetPlan`; each renderer module has
``render(plans, stream)`` and sees only SetPlans.
"""

from __future__ import annotations

import importlib
from typing import Sequence, TextIO

from hooklint.planview.build import SetPlan, build

__all__ = ["PLAN_FORMATS", "SetPlan", "build", "render"]

#: format name -> module (imported only when used).
PLAN_FORMATS: dict[str, str] = {
    "text": "hooklint.planview.text",
    "mermaid": "hooklint.planview.mermaid",
    "json": "hooklint.planview.json_format",
}


def render(name: str, plans: Sequence[SetPlan], stream: TextIO) -> None:
    module = importlib.import_module(PLAN_FORMATS[name])
    module.render(plans, stream)
