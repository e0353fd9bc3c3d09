"""A cheap look for installed entry points, so plain runs need not import importlib.metadata.

``importlib.metadata`` costs tens of milliseconds to import (email, zipfile,
csv, ...), a large part of the pre-commit budget, and most installations have
no hooklint plugin.  ``may_declare(group)`` reads the ``entry_points.txt`` of
every distribution on ``sys.path`` and says whether any mentions the group.
Whenever it cannot be sure (a zip on ``sys.path``, an unreadable folder, a
custom distribution finder) it answers True, and the caller uses
``importlib.metadata`` as usual: it may give a false alarm, never a miss.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import PathFinder


def may_declare(group: str, search: list[str] | None = None) -> bool:
    """False only when certainly no distribution on ``search`` (default: ``sys.path``)
    declares entry points in ``group``."""
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    needle = f"[{group}]"
    for entry in sys.path if search is None else search:
        folder = entry or "."
        try:
            if not os.path.isdir(folder):
                if os.path.exists(folder):
                    return True  # a zip or egg file: let importlib.metadata look inside
                continue
            names = os.listdir(folder)
        except OSError:
            return True
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            if name.endswith(".egg-info") and not os.path.isdir(os.path.join(folder, name)):
                return True  # a single-file egg-info: unusual, let importlib.metadata judge
            path = os.path.join(folder, name, "entry_points.txt")
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    if needle in handle.read():
                        return True
            except FileNotFoundError:
                continue
            except OSError:
                return True
    return False
