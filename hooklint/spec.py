"""Rule specs: the data half of a rule, read from ``rules/<name>.md``.

A rule file is YAML front matter (the spec) followed by the user-facing doc,
whose ```` ```yaml bad ```` / ```` ```yaml good ```` blocks are the rule's test
fixtures.
"""

from __future__ import annotations

import re
from pathlib import Path

from hooklint.lazyre import lazy
from hooklint.model import Severity
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

CODE_RE = lazy(r"HL\d{3}")
NAME_RE = lazy(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PARAM_TYPES = {"string": str, "integer": int, "boolean": bool, "list": list}
#: Formats a list param's items may be required to have (front matter ``format:``).
GROUP_KIND_RE = lazy(
    r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)?/[A-Za-z][A-Za-z0-9]*"
)
#: The same, with ``*`` wildcards (as Argo CD's resource.customizations keys allow).
GROUP_KIND_PATTERN_RE = lazy(r"[a-z0-9.*-]*/[A-Za-z0-9*]+")
PARAM_FORMATS = {"group-kind": GROUP_KIND_RE, "group-kind-pattern": GROUP_KIND_PATTERN_RE}
PARAM_FORMAT_HINTS = {
    "group-kind": "group/Kind (cert-manager.io/Certificate; /Kind for the core group; no version)",
    "group-kind-pattern": "group/Kind (example.com/Database; * matches any run of characters but /)",
}
#: How often a rule's findings are true (SARIF ``precision``, as GitHub code scanning reads it).
PRECISIONS = ("very-high", "high", "medium", "low")
#: What ``--fix`` can do for a rule: ``safe`` fixes keep behaviour beyond the finding,
#: ``unsafe`` ones change it and need ``--unsafe-fixes``.
FIX_KINDS = ("safe", "unsafe", "none")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
_EXAMPLE_RE = lazy(r"^```yaml (bad|good)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


class SpecError(Exception):
    """A rule file is malformed (a bug in hooklint or a plugin, not in the user's input)."""


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    default: Any
    description: str
    format: str = ""  # a key of PARAM_FORMATS that every item of a list must match


@dataclass(frozen=True)
class Example:
    """A fenced example in a rule doc; ``line`` is where its YAML starts in the .md file."""

    verdict: str  # "bad" or "good"
    text: str
    line: int


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    summary: str
    severity: Severity
    default: bool
    remediation: str
    check: str
    kinds: tuple[str, ...] = ()
    params: dict[str, ParamSpec] = field(default_factory=dict)
    since: str = ""
    tags: tuple[str, ...] = ()
    precision: str = "high"
    fix: str = "none"  # one of FIX_KINDS
    source: Path | None = None
    body_offset: int = 0  # where the doc body starts in the file

    @property
    def body(self) -> str:
        """The rule's documentation (markdown, without front matter)."""
        if self.source is None:
            return ""
        return self.source.read_text(encoding="utf-8")[self.body_offset :].strip() + "\n"

    @property
    def examples(self) -> list[Example]:
        if self.source is None:
            return []
        text = self.source.read_text(encoding="utf-8")
        return [
            Example(m.group(1), m.group(2), text.count("\n", 0, m.start(2)) + 1)
            for m in _EXAMPLE_RE.finditer(text)
        ]

    def param_defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self.params.items()}


def param_value_problem(param: ParamSpec, value: Any) -> str | None:
    """Why ``value`` does not suit ``param`` (its type is checked apart), or None."""
    pattern = PARAM_FORMATS.get(param.format)
    if pattern is None or not isinstance(value, list):
        return None
    for item in value:
        if not isinstance(item, str) or not pattern.fullmatch(item):
            return f"{item!r} is not {PARAM_FORMAT_HINTS[param.format]}"
    return None


def parse_rule_file(path: Path) -> RuleSpec:
    """Read one rule file's front matter into a RuleSpec (the body is read on demand)."""
    from hooklint.yaml.reader import parse_yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise SpecError(f"{path}: a rule file starts with '---' front matter")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise SpecError(f"{path}: front matter is not closed by '---'")
    docs, problems = parse_yaml(text[4:end])
    if problems or not docs or not isinstance(docs[0].value, dict):
        raise SpecError(f"{path}: front matter is not a YAML mapping")
    return spec_from_mapping(docs[0].value, path, end + 5)


def spec_from_mapping(data: dict[str, Any], path: Path | None = None, body_offset: int = 0) -> RuleSpec:
    where = str(path) if path else "rule spec"

    def need(key: str, kind: type) -> Any:
        value = data.get(key)
        if not isinstance(value, kind):
            raise SpecError(f"{where}: '{key}' must be a {kind.__name__}")
        return value

    code, name = need("code", str), need("name", str)
    if not CODE_RE.fullmatch(code):
        raise SpecError(f"{where}: code {code!r} is not HL followed by three digits")
    if not NAME_RE.fullmatch(name):
        raise SpecError(f"{where}: name {name!r} is not kebab-case")
    if path is not None and path.stem != name:
        raise SpecError(f"{where}: the file must be named after the rule ({name}.md)")
    params: dict[str, ParamSpec] = {}
    for pname, p in (data.get("params") or {}).items():
        if not isinstance(p, dict) or p.get("type") not in PARAM_TYPES:
            raise SpecError(f"{where}: param {pname!r} needs a type in {sorted(PARAM_TYPES)}")
        fmt = str(p.get("format") or "")
        if fmt and fmt not in PARAM_FORMATS:
            raise SpecError(f"{where}: param {pname!r} has an unknown format {fmt!r}")
        params[pname] = ParamSpec(pname, p["type"], p.get("default"), str(p.get("description", "")), fmt)
    precision = str(data.get("precision") or "high")
    if precision not in PRECISIONS:
        raise SpecError(f"{where}: precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    fix = str(data.get("fix") or "none")
    if fix not in FIX_KINDS:
        raise SpecError(f"{where}: fix {fix!r} is not one of {', '.join(FIX_KINDS)}")
    try:
        severity = Severity.parse(need("severity", str))
    except ValueError as exc:
        raise SpecError(f"{where}: {exc}") from None
    return RuleSpec(
        code=code,
        name=name,
        summary=need("summary", str),
        severity=severity,
        default=bool(data.get("default", True)),
        remediation=need("remediation", str),
        check=str(data.get("check") or name),
        kinds=tuple(data.get("kinds") or ()),
        params=params,
        since=str(data.get("since") or ""),
        tags=tuple(data.get("tags") or ()),
        precision=precision,
        fix=fix,
        source=path,
        body_offset=body_offset,
    )


def builtin_rules_dir() -> Path:
    """The bundled rule docs: ``hooklint/_rules`` in a wheel, ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "_rules"
    if bundled.is_dir():
        return bundled
    return here.parent / "rules"
