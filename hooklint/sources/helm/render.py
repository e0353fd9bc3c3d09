"""Run ``helm template`` as Argo CD does, on untrusted charts.

The command is Argo CD's (``helmTemplate``, ``reposerver/repository/repository.go``,
and ``Cmd.template``, ``util/helm/cmd.go``)::

    helm template . --name-template <release> [--namespace <ns>] [--kube-version <v>]
        [--set k=v]... [--values <file>]... [--api-versions <v>]... --include-crds

run in the chart folder.  The sandbox:

- an environment built from nothing: ``HOME``, ``XDG_*`` and every ``HELM_*`` folder
  point into a fresh private temporary folder, ``HELM_NO_PLUGINS=1`` and an empty
  plugins folder (no plugin runs), proxies set to a closed local port (nothing is
  fetched: helm is never asked to, but a chart's values URL or a dependency build
  cannot reach out either), no kubeconfig;
- never ``--post-renderer``, ``--dependency-update``, ``--validate`` or a repository;
- killed (with its process group) after ``timeout`` seconds;
- its output read as it comes: past ``max_size`` bytes, helm is killed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from hooklint.values import dataclass

if TYPE_CHECKING:
    import subprocess

from hooklint.sources.helm.settings import ChartSettings

MAX_STDERR = 64 * 1024


@dataclass(frozen=True)
class RenderResult:
    """What one ``helm template`` run gave."""

    status: str  # "ok", "failed", "timeout", "too-large", "not-run"
    output: bytes = b""
    error: str = ""  # helm's stderr (bounded) or why it could not run


def command(binary: str, release: str, settings: ChartSettings) -> list[str]:
    """The argument list, in Argo CD's order."""
    args = [binary, "template", ".", "--name-template", release]
    if settings.namespace:
        args += ["--namespace", settings.namespace]
    if settings.kube_version:
        args += ["--kube-version", settings.kube_version]
    for item in settings.set:
        args += ["--set", set_parameter(item)]
    for item in settings.set_string:
        args += ["--set-string", set_parameter(item)]
    for item in settings.set_file:
        args += ["--set-file", set_parameter(item)]
    for values in settings.values:
        args += ["--values", values]
    for api in settings.api_versions:
        args += ["--api-versions", api]
    if not settings.skip_crds:
        args.append("--include-crds")
    if settings.skip_schema_validation:
        args.append("--skip-schema-validation")
    if settings.skip_tests:
        args.append("--skip-tests")
    return args


def set_parameter(item: str) -> str:
    """``name=value`` as Argo CD passes a ``helm.parameters`` entry (``cleanSetParameters``).

    Argo CD (``util/helm/cmd.go``) escapes every comma of the value that is not already
    escaped, unless the value is a ``{a,b}`` list, so ``--set tags=a,b`` sets the string
    ``a,b`` as it does in an Application, where bare helm would read a second ``--set``.
    The name is passed as it is.
    """
    name, equals, value = item.partition("=")
    if not equals or (value.startswith("{") and value.endswith("}")):
        return item
    out: list[str] = []
    previous = ""
    for char in value:
        out.append("\\," if char == "," and previous != "\\" else char)
        previous = char
    return f"{name}={''.join(out)}"


def sandbox_env(home: str) -> dict[str, str]:
    """The environment helm runs with: nothing from ours but a private home."""
    closed = "http://127.0.0.1:9"
    env = {
        "HOME": home,
        "PATH": "/nonexistent",
        "LANG": "C.UTF-8",
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "HELM_CACHE_HOME": os.path.join(home, "cache"),
        "HELM_CONFIG_HOME": os.path.join(home, "config"),
        "HELM_DATA_HOME": os.path.join(home, "data"),
        "HELM_PLUGINS": os.path.join(home, "plugins"),
        "HELM_NO_PLUGINS": "1",
        "HELM_REGISTRY_CONFIG": os.path.join(home, "registry.json"),
        "HELM_REPOSITORY_CONFIG": os.path.join(home, "repositories.yaml"),
        "HELM_REPOSITORY_CACHE": os.path.join(home, "repository"),
        "KUBECONFIG": os.path.join(home, "kubeconfig"),
        "HTTP_PROXY": closed,
        "HTTPS_PROXY": closed,
        "http_proxy": closed,
        "https_proxy": closed,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    os.makedirs(env["HELM_PLUGINS"], exist_ok=True)
    return env


def run(args: list[str], chart: Path, timeout: float, max_size: int) -> RenderResult:
    """Run helm in ``chart`` with the sandbox; never raises."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hooklint-helm-") as home:
        err_path = os.path.join(home, "stderr")
        try:
            with open(err_path, "wb") as err:
                process = subprocess.Popen(
                    args,
                    cwd=chart,
                    env=sandbox_env(home),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    start_new_session=True,
                )
        except OSError as exc:
            return RenderResult("not-run", error=f"cannot run {args[0]}: {exc.strerror or exc}")
        status, output = _collect(process, timeout, max_size)
        error = _read(err_path, MAX_STDERR).decode("utf-8", "replace")
        if status != "done":
            return RenderResult(status, error=error)
        if process.returncode != 0:
            return RenderResult("failed", error=error)
        return RenderResult("ok", output, error)


def _collect(process: subprocess.Popen[bytes], timeout: float, max_size: int) -> tuple[str, bytes]:
    """Read helm's output until it ends, is too big, or time is up (then kill it)."""
    import selectors
    import subprocess

    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    stream = process.stdout
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(process)
                return "timeout", b""
            if not selector.select(min(left, 1.0)):
                continue
            chunk = os.read(stream.fileno(), 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > max_size:
                _kill(process)
                return "too-large", b""
            chunks.append(chunk)
    try:
        process.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill(process)
        return "timeout", b""
    stream.close()
    return "done", b"".join(chunks)


def _kill(process: subprocess.Popen[bytes]) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _read(path: str, limit: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""
