"""``--baseline FILE`` / ``--write-baseline FILE``: adopt hooklint without fixing everything.

A baseline lists today's findings by rule, file and object identity (``apiVersion
Kind namespace/name`` and the YAML path), never by line, so edits elsewhere in a file
do not revive them.  Findings in the baseline count as suppressed; only new ones fail.
Paths are stored relative to the baseline file's folder.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from hooklint.engine import Report
from hooklint.model import Finding
from hooklint.values import replace

VERSION = 1
Key = tuple[str, str, str, str]


class BaselineError(Exception):
    """The baseline file cannot be read or written (exit 2)."""


def _relative(path: str, folder: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()


def _key(code: str, path: str, obj: str, yaml_path: Any, message: str) -> Key:
    where = json.dumps(list(yaml_path))
    return (code, path, obj, where if obj else message)


def finding_key(finding: Finding, folder: Path) -> Key:
    return _key(
        finding.code, _relative(finding.path, folder), finding.object_ref, finding.yaml_path, finding.message
    )


def write_baseline(report: Report, path: Path) -> int:
    """Write the report's unsuppressed findings; returns how many."""
    folder = path.parent
    entries = [
        {
            "code": f.code,
            "name": f.name,
            "path": _relative(f.path, folder),
            "object": f.object_ref or None,
            "yaml_path": list(f.yaml_path),
            "message": f.message,
        }
        for f in report.findings
        if f.suppression is None
    ]
    text = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(
            f"baseline {path} is not a hooklint baseline (version {VERSION}); write one with --write-baseline"
        )
    keys: Counter[Key] = Counter()
    for n, entry in enumerate(data["findings"]):
        try:
            keys[
                _key(
                    str(entry["code"]),
                    str(entry["path"]),
                    str(entry.get("object") or ""),
                    list(entry.get("yaml_path") or []),
                    str(entry.get("message", "")),
                )
            ] += 1
        except (KeyError, TypeError, AttributeError):
            raise BaselineError(f"baseline {path}: entry {n} lacks code or path") from None
    return keys


def apply_baseline(report: Report, path: Path, include_suppressed: bool) -> Report:
    """Mark findings the baseline lists as suppressed (each entry absorbs one finding)."""
    keys = read_baseline(path)
    folder = path.parent
    reason = f"in baseline {path.name}"
    kept: list[Finding] = []
    moved = 0
    for finding in report.findings:
        if finding.suppression is None:
            key = finding_key(finding, folder)
            if keys[key] > 0:
                keys[key] -= 1
                moved += 1
                if include_suppressed:
                    kept.append(replace(finding, suppression=reason))
                continue
        kept.append(finding)
    report.findings = kept
    report.suppressed += moved
    return report
