"""Formatters: each module has ``render(report, stream, options)`` and sees only findings."""

from __future__ import annotations

import importlib

from hooklint.engine import Report

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Protocol, TextIO

#: format name -> module (imported only when used, so plain runs stay fast).
FORMATS: dict[str, str] = {
    "text": "hooklint.output.text",
    "full": "hooklint.output.full",
    "json": "hooklint.output.findings_json",
    "github": "hooklint.output.github",
    "sarif": "hooklint.output.sarif",
    "gitlab": "hooklint.output.gitlab",
    "junit": "hooklint.output.junit",
}


if TYPE_CHECKING:  # a protocol only the type checker needs

    class RenderOptions(Protocol):
        @property
        def color(self) -> bool: ...
        @property
        def quiet(self) -> bool: ...
        @property
        def statistics(self) -> bool: ...


def render(name: str, report: Report, stream: TextIO, options: RenderOptions) -> None:
    module = importlib.import_module(FORMATS[name])
    module.render(report, stream, options)
