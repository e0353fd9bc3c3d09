"""``--add-ignore``: a ``# hooklint: ignore[CODE]`` comment for every current finding.

The comment goes at the end of the finding's line (merged into an ignore comment
already there); where a comment cannot go there (the line continues a string or a
block scalar), alone on the line above, which covers the next line.  Like every fix,
the file must read back with exactly the same values.
"""

from __future__ import annotations

import re
from typing import Sequence

from hooklint.fix.text import Edit, SourceText, apply_edits
from hooklint.fix.verify import editable, readable, values
from hooklint.model import Finding
from hooklint.sources.files import load_bytes

_IGNORE_RE = re.compile(r"#\s*hooklint:\s*ignore(\[([^\]]*)\])?")


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def line_edits(src: SourceText, line: int, codes: Sequence[str]) -> list[Edit]:
    """Ways to add ``codes`` to line ``line`` (1-based), best first; [] when already covered."""
    start = src.line_starts[line - 1]
    end = src.line_end(start)
    text = src.text[start:end]
    existing = _IGNORE_RE.search(text)
    if existing is not None:
        if existing.group(1) is None:
            return []  # `# hooklint: ignore` covers every rule
        have = _codes(existing.group(2))
        more = [c for c in codes if c not in have]
        if not more:
            return []
        at = start + existing.start(2)
        return [Edit(at, start + existing.end(2), ", ".join([*have, *more]))]
    comment = f"# hooklint: ignore[{', '.join(codes)}]"
    out = []
    if text.strip():
        out.append(Edit(end, end, f"  {comment}"))
    indent = text[: len(text) - len(text.lstrip(" "))]
    out.append(Edit(start, start, f"{indent}{comment}{src.line_break(start)}"))
    return out


def add_ignores(data: bytes, display: str, findings: Sequence[Finding]) -> tuple[bytes, int] | None:
    """The file with ignore comments for ``findings`` and how many lines got one, or None
    when nothing could be added (the file is not read cleanly, or every line is covered)."""
    source = editable(load_bytes(data, display, plain_file=True), data)
    if source is None:
        return None
    src, before = source
    by_line: dict[int, list[str]] = {}
    for finding in findings:
        if 1 <= finding.line <= len(src.line_starts):
            codes = by_line.setdefault(finding.line, [])
            if finding.code not in codes:
                codes.append(finding.code)
    options = {line: line_edits(src, line, codes) for line, codes in sorted(by_line.items())}
    options = {line: edits for line, edits in options.items() if edits}

    def attempt(edits: list[Edit]) -> bytes | None:
        new_text = apply_edits(src.text, edits)
        new_data = src.encode(new_text)
        return new_data if readable(new_data, display) and values(new_text, src.bom) == before else None

    firsts = [edits[0] for edits in options.values()]
    together = attempt(firsts) if firsts else None
    if together is not None:
        return together, len(firsts)
    taken: list[Edit] = []
    for edits in options.values():
        for edit in edits:
            if attempt([*taken, edit]) is not None:
                taken.append(edit)
                break
    return (attempt(taken) or data, len(taken)) if taken else None
