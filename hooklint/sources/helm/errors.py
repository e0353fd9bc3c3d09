"""helm's error output -> one message, and the template and line it names."""

from __future__ import annotations

import re

from hooklint.values import dataclass

# template: c/templates/x.yaml:12:20: ...  |  parse error at (c/templates/x.yaml:5): ...
# execution error at (c/templates/x.yaml:3:4): ...  |  YAML parse error on c/templates/x.yaml: ...
_AT_RE = re.compile(
    r"(?:^|template: |error at \(|error on )"
    r"(?P<path>[^\s:()]+/(?:templates|charts)/[^\s:()]+)(?::(?P<line>\d+))?(?::(?P<col>\d+))?"
)
_YAML_LINE_RE = re.compile(r"yaml: line (\d+):")
_MISSING_DEPS = "found in Chart.yaml, but missing in charts/ directory"


@dataclass(frozen=True)
class HelmError:
    message: str
    template: str | None = None  # the path as helm prints it (``<chart>/templates/x.yaml``)
    line: int | None = None  # 1-based, in the template (None when helm gives no line)
    column: int | None = None
    missing_dependencies: bool = False


def first_error_line(stderr: str) -> str:
    """helm's first error, on one line (Helm 4 continues it on indented lines)."""
    raw = [line for line in stderr.splitlines() if line.strip()]
    lines = [line.strip() for line in raw]
    for number, line in enumerate(lines):
        if line.startswith("Error:"):
            parts = [line[len("Error:") :].strip()]
            for more in raw[number + 1 : number + 4]:
                if not more[:1].isspace():
                    break
                parts.append(more.strip())
            return " ".join(parts)
    for line in lines:
        if not line.lower().startswith(("warning", "walk.go", "coalesce.go")):
            return line
    return "helm failed without a message"


def parse_error(stderr: str) -> HelmError:
    line = first_error_line(stderr)
    if len(line) > 500:
        line = line[:500] + "…"
    if _MISSING_DEPS in line:
        return HelmError(line, missing_dependencies=True)
    match = _AT_RE.search(line)
    if match is None:
        return HelmError(line)
    number = match.group("line")
    column = match.group("col")
    if number is None and "YAML parse error" in line:
        # the line is in the template's *output*; close to the template's for most templates
        yaml_line = _YAML_LINE_RE.search(line)
        number = yaml_line.group(1) if yaml_line else None
    return HelmError(
        line,
        match.group("path"),
        int(number) if number else None,
        int(column) if column else None,
    )
