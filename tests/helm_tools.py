"""Helpers for the Helm tests: the helm binaries to run, charts in tmp, the CLI in-process."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from hooklint.cli.app import main

TOOLS_BIN = Path(os.environ.get("HOOKLINT_TOOLS") or Path.home() / ".cache" / "hooklint-tools") / "bin"
NO_HELM = "helm not found: run .ci/install-k8s-tools and put its folder on PATH (or set HOOKLINT_HELM3)"


def helm_binaries() -> list[Any]:
    """pytest params: helm 4 (``helm`` on PATH, or the CI tools folder) and helm 3 (HOOKLINT_HELM3)."""
    found: list[Any] = []
    helm = shutil.which("helm") or (str(TOOLS_BIN / "helm") if (TOOLS_BIN / "helm").is_file() else None)
    helm3 = os.environ.get("HOOKLINT_HELM3") or (
        str(TOOLS_BIN / "helm3") if (TOOLS_BIN / "helm3").is_file() else None
    )
    for name, path in (("helm", helm), ("helm3", helm3)):
        if path and os.access(path, os.X_OK):
            found.append(pytest.param(path, id=name))
        else:
            found.append(pytest.param(None, id=name, marks=pytest.mark.skip(reason=f"{name}: {NO_HELM}")))
    return found


HELMS = helm_binaries()


def write_chart(
    root: Path, templates: dict[str, str], values: str = "", name: str = "demo", **extra: str
) -> Path:
    """A chart folder: Chart.yaml, values.yaml, templates/<name> for each entry, other files."""
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    (root / "values.yaml").write_text(values)
    for relative, text in templates.items():
        path = root / "templates" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for relative, text in extra.items():
        path = root / relative.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def check(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--isolated", *args])
    out, err = capsys.readouterr()
    return code, out, err


def findings(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, int, int]]:
    """(code, path, line, column) of every finding, via --format json."""
    code, out, err = check([*args, "--format", "json"], capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err
    return [(f["code"], f["path"], f["line"], f["column"]) for f in json.loads(out)]


def report(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, Any]], str]:
    code, out, err = check([*args, "--format", "json"], capsys)
    assert code in (0, 1), err
    return json.loads(out), err
