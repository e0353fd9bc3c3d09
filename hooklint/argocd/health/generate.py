"""Regenerate ``builtin_checks.tsv`` from an argo-cd git mirror (not run in CI).

    python -m hooklint.argocd.health.generate /path/to/argo-cd.git [gitops-engine.git]

Reads, at each ``vX.Y.0`` tag and at ``HEAD``:

- ``resource_customizations/<group>/<Kind>/health.lua`` (the built-in Lua checks;
  ``_`` in a directory name is a wildcard, AE ``util/lua/lua.go``
  ``getWildcardBuiltInHealthOverrideLua``);
- the Go checks of ``GetHealthCheckFunc``: ``util/health/health.go`` (argo-cd up to
  1.5), then gitops-engine ``pkg/health/health.go`` (a separate module, pinned in
  argo-cd's ``go.mod``, when the second mirror is given; vendored in argo-cd under
  ``gitops-engine/`` since 3.2).

and writes one row per check present at ``HEAD``: group, kind, source (``lua`` or
``go``), and the first argo-cd release that had it (empty: only on the main branch).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "builtin_checks.tsv"
_TAG_RE = re.compile(r"v(\d+)\.(\d+)\.0")
_GROUP_CASE_RE = re.compile(r'^\tcase ((?:"[^"]*"(?:, )?)+):')
_KIND_RE = re.compile(r'(?:case |gvk\.Kind == )(kube\.(\w+)Kind|"(\w+)")')
_GE_RE = re.compile(r"github\.com/argoproj/gitops-engine (v\d+\.\d+\.\d+)(?:-[0-9.]+-([0-9a-f]{12}))?")


def git(mirror: str, *args: str) -> str:
    result = subprocess.run(
        ["git", "--git-dir", mirror, *args], capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else ""


def release_tags(mirror: str) -> list[tuple[str, str]]:
    """(tag, "X.Y") of every vX.Y.0 release, oldest first."""
    found = []
    for line in git(mirror, "tag").split():
        match = _TAG_RE.fullmatch(line)
        if match:
            found.append(((int(match[1]), int(match[2])), line))
    return [(tag, f"{v[0]}.{v[1]}") for v, tag in sorted(found)]


def lua_checks(mirror: str, rev: str) -> set[tuple[str, str]]:
    names = git(mirror, "ls-tree", "-r", "--name-only", rev, "resource_customizations")
    out = set()
    for path in names.splitlines():
        parts = path.split("/")
        if len(parts) == 4 and parts[3] == "health.lua":
            out.add((parts[1], parts[2]))
    return out


def go_checks(source: str) -> set[tuple[str, str]]:
    """(group, kind) pairs of a GetHealthCheckFunc switch (by group, then by kind)."""
    start = source.find("switch gvk.Group {")  # in GetHealthCheckFunc, or GetResourceHealth (1.x)
    if start < 0:
        return set()
    body = source[start : source.find("\n\t}\n", start)]
    out: set[tuple[str, str]] = set()
    groups: list[str] = []
    for line in body.splitlines():
        group_case = _GROUP_CASE_RE.match(line)
        if group_case:
            groups = re.findall(r'"([^"]*)"', group_case[1])
            continue
        for match in _KIND_RE.finditer(line):
            kind = match[2] or match[3]
            out.update((group, kind) for group in groups)
    return out


def go_checks_at(mirror: str, engine: str | None, rev: str) -> set[tuple[str, str]]:
    for path in ("gitops-engine/pkg/health/health.go", "util/health/health.go"):
        found = go_checks(git(mirror, "show", f"{rev}:{path}"))
        if found:
            return found
    if engine:
        pinned = _GE_RE.search(git(mirror, "show", f"{rev}:go.mod"))
        if pinned:
            rev = pinned[2] or pinned[1]  # a pseudo-version names a commit
            return go_checks(git(engine, "show", f"{rev}:pkg/health/health.go"))
    return set()


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    mirror, engine = argv[0], (argv[1] if len(argv) > 1 else None)
    since: dict[tuple[str, str, str], str] = {}
    for tag, version in release_tags(mirror):
        for group, kind in lua_checks(mirror, tag):
            since.setdefault((group, kind, "lua"), version)
        for group, kind in go_checks_at(mirror, engine, tag):
            since.setdefault((group, kind, "go"), version)
    head = {(g, k, "lua") for g, k in lua_checks(mirror, "HEAD")}
    head |= {(g, k, "go") for g, k in go_checks_at(mirror, engine, "HEAD")}
    commit = git(mirror, "rev-parse", "HEAD").strip()
    lines = [
        f"# Argo CD built-in health checks at argo-cd {commit[:12]}; made by generate.py",
        "# group\tkind\tsource\tsince",
    ]
    for group, kind, source in sorted(head):
        lines.append(f"{group}\t{kind}\t{source}\t{since.get((group, kind, source), '')}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(head)} checks", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
