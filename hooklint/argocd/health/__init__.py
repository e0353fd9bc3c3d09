"""Which kinds Argo CD has a health check for.

Built-in checks come from ``builtin_checks.tsv`` (made by ``generate.py`` from
argo-cd's ``resource_customizations/`` Lua checks and gitops-engine's Go checks,
each with the first Argo CD release that had it).  A directory name with ``_``
is a wildcard (AE ``util/lua/lua.go`` ``getWildcardBuiltInHealthOverrideLua``):
``_`` matches any run of characters but ``/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.values import dataclass

TABLE = Path(__file__).resolve().parent / "builtin_checks.tsv"
#: Argo CD 1.8 removed the built-in check of argoproj.io/Application (argo-cd#3781).
APPLICATION = "argoproj.io/Application"


@dataclass(frozen=True)
class BuiltinCheck:
    group: str
    kind: str
    source: str  # "lua" or "go"
    since: ArgoVersion | None  # None: only on argo-cd's main branch


@lru_cache(maxsize=1)
def builtin_checks() -> tuple[dict[str, BuiltinCheck], tuple[tuple[re.Pattern[str], BuiltinCheck], ...]]:
    """(exact ``group/Kind`` -> check, wildcard patterns), read once."""
    exact: dict[str, BuiltinCheck] = {}
    wildcards: list[tuple[re.Pattern[str], BuiltinCheck]] = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        group, kind, source, since = line.split("\t")
        version = ArgoVersion.parse(since) if since else None
        check = BuiltinCheck(group, kind, source, version)
        key = f"{group}/{kind}"
        if "_" in key:
            wildcards.append((re.compile("[^/]*".join(map(re.escape, key.split("_")))), check))
        else:
            exact[key] = check
    return exact, tuple(sorted(wildcards, key=lambda w: w[0].pattern))


def builtin_check(group: str, kind: str) -> BuiltinCheck | None:
    """Argo CD's built-in health check for the kind (at argo-cd HEAD), if any."""
    exact, wildcards = builtin_checks()
    key = f"{group}/{kind}"
    found = exact.get(key)
    if found is not None:
        return found
    return next((check for pattern, check in wildcards if pattern.fullmatch(key)), None)


def has_builtin_check(group: str, kind: str, version: ArgoVersion = LATEST) -> bool:
    """Whether Argo CD ``version`` has a built-in health check for the kind."""
    check = builtin_check(group, kind)
    if check is None:
        return False
    if version == LATEST:
        return True
    return check.since is not None and check.since <= version


def pattern_matches(pattern: str, group: str, kind: str) -> bool:
    """A user's ``group/Kind`` health check, where ``*`` matches any run of characters but ``/``."""
    if "*" not in pattern:
        return pattern == f"{group}/{kind}"
    regex = "[^/]*".join(map(re.escape, pattern.split("*")))
    return re.fullmatch(regex, f"{group}/{kind}") is not None
