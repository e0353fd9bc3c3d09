"""No exception escapes the engine, whatever the input: fuzzed text, mutated real manifests,
wrong shapes, and the whole shared corpus.

Example counts are bounded so the suite stays fast; the hang guards of
test_hostile_inputs.py cover the slow paths.
"""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.cli.app import main
from hooklint.cli.commands import OutputOptions
from hooklint.config import Config
from hooklint.engine import LintOptions, Report, active_rules, analyse
from hooklint.output import render
from hooklint.registry import load_registry
from hooklint.sources.files import load_bytes
from tests.conftest import CORPUS as _CORPUS
from tests.conftest import REPO

# ``../shared/corpus`` from a checkout; a git worktree under ``wt/`` sits one level deeper.
CORPUS = next(
    (p for p in (_CORPUS, REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
    _CORPUS,
)
REGISTRY = load_registry(plugins=False)
ALL_RULES = active_rules(REGISTRY, Config(), LintOptions(paths=(), select=("ALL",)))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lint_bytes(*files: bytes) -> Report:
    """Load, run every rule, and render: the whole path a CLI run takes after reading files."""
    loaded = [load_bytes(data, f"app/f{n}.yaml") for n, data in enumerate(files)]
    report = analyse(ALL_RULES, REGISTRY, Config(), loaded)
    sources = {f"app/f{n}.yaml": data.decode("utf-8", "replace") for n, data in enumerate(files)}
    options = OutputOptions(color=True, quiet=False, statistics=False, sources=sources)
    for fmt in ("text", "full", "json", "gitlab", "junit"):
        out = io.StringIO()
        render(fmt, report, out, options)
        if fmt == "junit":
            ET.fromstring(out.getvalue().split("\n", 1)[1])  # well-formed XML, whatever the input
    for finding in report.findings:
        assert finding.line >= 1 and finding.column >= 1
    return report


FRAGMENTS = [
    "apiVersion: batch/v1\n", "apiVersion: v1\n", "kind: Job\n", "kind: Namespace\n", "kind: List\n",
    "items:\n", "metadata:\n", "  name: x\n", "  namespace: ns\n", "  generateName: g-\n",
    "  annotations:\n", "    argocd.argoproj.io/hook: PreSync,PostSync\n",
    "    argocd.argoproj.io/hook-delete-policy: HookFailed\n", "    argocd.argoproj.io/sync-wave: '1'\n",
    "    argocd.argoproj.io/sync-wave: 5\n", "    helm.sh/hook: pre-install\n",
    "    helm.sh/hook-weight: x\n", "spec:\n", "  template:\n", "    spec:\n", "      containers:\n",
    "      - name: c\n", "  backoffLimit: 1\n",
    "---\n", "...\n", "- ", "[", "]", "{", "}", ", ", ": ", "? ", "&a ", "*a", "*b", "<<: ", "<<: *a\n",
    "!!python/object/apply:os.system ", "!!python/name:os.system ", "!Ref ", "!!binary ", "!!int ",
    "!!str ", "!<tag:x,2000:y> ", "! ", "'", '"', "''", "\\", "#", " # hooklint: ignore[HL002]",
    "# hooklint: ignore-file\n", "\t", "\r\n", "\r", "\n", "  ", "\ufeff", "\u2028", "\x85", "|\n", ">-\n",
    "|+2\n", "{{ .Values.x }}", "'{{path}}'", "%YAML 1.1\n", "%TAG !e! tag:e.com,2000:\n", "\x00", "\x1b",
    "\x7f", "é", "😀", "0x1F", "0o17", "1_000", "1e3", "-.inf", ".nan", "~", "null", "yes", "on", "=",
    "ignore-check.hooklint.io/all: ''\n",
]  # fmt: skip
yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map("".join)


@FUZZ
@given(yamlish)
def test_yamlish_text(text: str) -> None:
    lint_bytes(text.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    lint_bytes(data)


CORPUS_FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if CORPUS.is_dir()
    else []
)
BYTE_FRAGMENTS = [f.encode("utf-8") for f in FRAGMENTS] + [b"\xff", b"\xe9", b"\xef\xbb\xbf", b"\xc3"]
mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate", "duplicate-line", "indent"]),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(BYTE_FRAGMENTS),
    st.integers(min_value=1, max_value=60),
)


def mutate(data: bytes, kind: str, where: float, fragment: bytes, length: int) -> bytes:
    at = int(where * len(data))
    if kind == "insert":
        return data[:at] + fragment + data[at:]
    if kind == "delete":
        return data[:at] + data[at + length :]
    if kind == "replace":
        return data[:at] + fragment + data[at + len(fragment) :]
    if kind == "truncate":
        return data[:at]
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end + 1
    if kind == "duplicate-line":
        return data[:end] + data[start:end] + data[end:]
    return data[:start] + b" " * (length % 5) + data[start:]  # indent


@pytest.mark.skipif(not CORPUS_FILES, reason="the shared corpus is not here")
@FUZZ
@given(st.sampled_from(CORPUS_FILES or [Path()]), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_corpus_manifests(path: Path, mutations: list[tuple[str, float, bytes, int]]) -> None:
    data = path.read_bytes()
    for step in mutations:
        data = mutate(data, *step)
    lint_bytes(data, path.read_bytes())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
KINDS = [
    ("batch/v1", "Job"), ("v1", "Pod"), ("apps/v1", "StatefulSet"), ("apps/v1", "Deployment"),
    ("v1", "Service"), ("networking.k8s.io/v1", "Ingress"), ("apiregistration.k8s.io/v1", "APIService"),
    ("argoproj.io/v1alpha1", "Rollout"), ("argoproj.io/v1alpha1", "Workflow"), ("v1", "Namespace"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ("batch/v1", "CronJob"), ("v1", "List"),
]  # fmt: skip
PATHS: list[tuple[str, ...]] = [
    ("kind",), ("apiVersion",), ("metadata",), ("metadata", "name"), ("metadata", "generateName"),
    ("metadata", "namespace"), ("metadata", "annotations"),
    ("metadata", "annotations", "argocd.argoproj.io/hook"),
    ("metadata", "annotations", "argocd.argoproj.io/hook-delete-policy"),
    ("metadata", "annotations", "argocd.argoproj.io/sync-wave"),
    ("metadata", "annotations", "helm.sh/hook"), ("metadata", "annotations", "helm.sh/hook-weight"),
    ("metadata", "annotations", "ignore-check.hooklint.io/all"), ("spec",), ("spec", "backoffLimit"),
    ("spec", "template"), ("spec", "template", "metadata", "annotations"), ("spec", "template", "spec"),
    ("spec", "template", "spec", "containers"), ("spec", "template", "spec", "restartPolicy"),
    ("spec", "containers"), ("spec", "type"), ("spec", "paused"), ("spec", "service"), ("spec", "group"),
    ("spec", "names"), ("spec", "names", "kind"), ("items",),
]  # fmt: skip


def hook_job(api: str, kind: str) -> dict[str, Any]:
    return {
        "apiVersion": api,
        "kind": kind,
        "metadata": {
            "name": "m",
            "annotations": {
                "argocd.argoproj.io/hook": "PreSync,PostSync",
                "argocd.argoproj.io/hook-delete-policy": "HookFailed",
                "argocd.argoproj.io/sync-wave": "1",
            },
        },
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c"}]}}},
    }


def put(root: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node: Any = root
    for step in path[:-1]:
        if not isinstance(node, dict):
            return
        node = node.setdefault(step, {})
    if isinstance(node, dict):
        node[path[-1]] = value


@FUZZ
@given(st.sampled_from(KINDS), st.lists(st.tuples(st.sampled_from(PATHS), json_values), max_size=4))
def test_wrong_shapes_anywhere_a_rule_looks(kind: tuple[str, str], edits: list[tuple[Any, Any]]) -> None:
    doc = hook_job(*kind)
    for path, value in edits:
        put(doc, path, value)
    other = hook_job("apps/v1", "StatefulSet")
    other["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] = "-1"
    items = {"apiVersion": "v1", "kind": "List", "items": [doc, other]}
    text = "\n---\n".join(json.dumps(d) for d in (doc, other, items))
    lint_bytes(text.encode("utf-8"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_whole_corpus_without_internal_error(capsys: pytest.CaptureFixture[str]) -> None:
    def fingerprint() -> dict[Path, tuple[str, int]]:
        return {
            p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in CORPUS.rglob("*")
            if p.is_file() and not p.is_symlink()
        }

    before = fingerprint()
    code = main(["check", "--isolated", "--select", "ALL", str(CORPUS)])
    captured = capsys.readouterr()
    assert fingerprint() == before  # read, never written
    assert code in (0, 1)
    assert "internal error" not in captured.err
    assert "Traceback" not in captured.err
    # the corpus is valid YAML (templates are skipped with a note); its Kustomize folders whose
    # bases were not copied into the corpus, or that are remote, do not build: findings too
    broken = [line for line in captured.out.splitlines() if "HL000" in line]
    assert broken and all(
        "kustomization.yaml:" in line and ("kustomize build failed: " in line or "is not downloaded" in line)
        for line in broken
    ), broken
