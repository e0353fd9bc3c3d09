"""Build and run ``k8sread`` (the Go program beside this file) on many files at once.

Built at test time from Debian's packages in GOPATH mode (``GO111MODULE=off``,
``GOPATH=<cache>:/usr/share/gocode``); ``.ci/install-go`` installs them.  The
binary is cached by the hash of its source, so a second run does not rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SOURCE = HERE / "k8sread" / "main.go"
GOCODE = Path("/usr/share/gocode/src")
PACKAGES = {
    "golang-gopkg-yaml.v2-dev": GOCODE / "gopkg.in" / "yaml.v2",
    "golang-k8s-sigs-yaml-dev": GOCODE / "sigs.k8s.io" / "yaml",
}


def missing() -> str | None:
    """Why the Go reader cannot be built here, or None."""
    if shutil.which("go") is None:
        return "no 'go' on PATH (install golang-go, or run .ci/install-go)"
    absent = [name for name, path in PACKAGES.items() if not path.is_dir()]
    if absent:
        return f"Debian packages missing: {', '.join(absent)} (run .ci/install-go)"
    return None


def build() -> Path:
    """The path of the built reader (built once per source version)."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    root = Path(tempfile.gettempdir()) / f"hooklint-k8sread-{digest}"
    binary = root / "k8sread"
    if binary.exists():
        return binary
    work = Path(tempfile.mkdtemp(prefix="hooklint-k8sread-"))
    package = work / "src" / "hooklint.test" / "k8sread"
    package.mkdir(parents=True)
    shutil.copy(SOURCE, package / "main.go")
    env = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": f"{work}:{GOCODE.parent}",
        "GOCACHE": str(work / "cache"),
        "GOFLAGS": "",
    }
    out = work / "k8sread"
    subprocess.run(
        ["go", "build", "-o", str(out), "hooklint.test/k8sread"],
        cwd=work, env=env, check=True, capture_output=True, timeout=300,
    )
    root.mkdir(parents=True, exist_ok=True)
    os.replace(out, binary)
    shutil.rmtree(work, ignore_errors=True)
    return binary


def read_all(binary: Path, paths: list[Path]) -> list[dict[str, Any]]:
    """One result per path: ``{"docs": [{"json": ...} | {"error": ...}], "error": ...}``."""
    listing = "".join(f"{p}\n" for p in paths)
    run = subprocess.run(
        [str(binary)], input=listing.encode(), capture_output=True, check=True, timeout=600
    )
    results = [json.loads(line) for line in run.stdout.decode().split("\n") if line]
    assert len(results) == len(paths), run.stderr.decode()
    return results
