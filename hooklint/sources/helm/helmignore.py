"""``.helmignore``, with Helm's own rules (helm/helm ``pkg/ignore/rules.go``).

Rules are tried in order and the first match decides; ``!pat`` stops at a path it
does *not* match (Helm's own, surprising, negation); a trailing ``/`` matches
folders only; a rule with a ``/`` matches the path from the chart root, one
without matches the base name; ``*`` never crosses ``/`` (Go's ``filepath.Match``);
``**`` is refused by Helm, so such a rule (and every later one) is dropped here.
Helm always ignores dotfiles in ``templates/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from hooklint.values import dataclass


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    negate: bool
    must_dir: bool
    base_only: bool


def _go_match(pattern: str) -> re.Pattern[str] | None:
    """Go's filepath.Match syntax as a regex (None when it does not compile)."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif char == "[":
            close = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("^", "]") else i + 1)
            if close < 0:
                return None
            body = pattern[i + 1 : close]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return None


class HelmIgnore:
    """The rules of one chart's ``.helmignore`` (plus Helm's default)."""

    def __init__(self, text: str = "") -> None:
        self.rules: list[_Rule] = []
        for raw in ["templates/.?*", *text.lstrip("\ufeff").splitlines()]:
            rule = raw.strip()
            if not rule or rule.startswith("#"):
                continue
            if "**" in rule:
                break  # helm fails to load the chart's rules from here on
            negate = rule.startswith("!")
            rule = rule[1:] if negate else rule
            must_dir = rule.endswith("/")
            rule = rule.rstrip("/") if must_dir else rule
            anchored = rule.startswith("/")
            rule = rule[1:] if anchored else rule
            pattern = _go_match(rule)
            if pattern is None:
                break
            self.rules.append(_Rule(pattern, negate, must_dir, not anchored and "/" not in rule))

    @classmethod
    def of_chart(cls, root: Path) -> HelmIgnore:
        try:
            return cls((root / ".helmignore").read_text(encoding="utf-8", errors="replace")[:1_000_000])
        except OSError:
            return cls()

    def ignored(self, relative: str, is_dir: bool) -> bool:
        """Is this path (POSIX, relative to the chart root) left out of the chart?"""
        if relative in ("", ".", "./"):
            return False
        base = relative.rsplit("/", 1)[-1]
        for rule in self.rules:
            subject = base if rule.base_only else relative
            if rule.negate:
                if rule.must_dir and not is_dir:
                    return True
                if not rule.pattern.fullmatch(subject):
                    return True
                continue
            if rule.must_dir and not is_dir:
                continue
            if rule.pattern.fullmatch(subject):
                return True
        return False
