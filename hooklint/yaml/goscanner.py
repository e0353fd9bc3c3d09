"""The slow, exact path: ruamel.yaml's pure-Python parser with go-yaml v2's scanning rules.

libyaml 0.1.7 (bundled by ruamel.yaml.clib, hooklint's fast parser) refuses a
``:`` inside a plain scalar in a flow collection (``[image: postgres:16]``,
``{url: https://x}``) and accepts the ``\\/`` escape; go-yaml v2, the parser of
kubectl, sigs.k8s.io/yaml and Argo CD, does the opposite.  A document the fast
parser refuses, or that holds ``\\/``, is read again here.  Two scanner rules
are go-yaml's (scannerc.go ``yaml_parser_scan_plain_scalar`` and
``yaml_parser_scan_flow_scalar``):

- a plain scalar ends at ``:`` followed by a blank or the end, and, inside a
  flow collection, at any of ``,?[]{}``; a ``:`` followed by anything else is
  part of the scalar (``http://a:8``, ``b:`` in ``[b:, c]``);
- a ``:`` that starts a token inside a flow collection is a value indicator
  (``[:a]`` fails, as in go-yaml);
- double-quoted escapes are go-yaml's: ``\\'`` is a quote, ``\\/`` is "found
  unknown escape character".

Imported only when needed: a clean run never loads the pure-Python parser.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from ruamel.yaml import tokens
from ruamel.yaml.main import YAML
from ruamel.yaml.scanner import Scanner, ScannerError

_BLANKZ = "\0 \t\r\n\x85\u2028\u2029"
_FLOW_STOPS = ",?[]{}"
_SURROGATES = re.compile("[\ud800-\udfff]")


class GoScanner(Scanner):
    """ruamel's scanner with go-yaml v2's plain-scalar and escape rules."""

    ESCAPE_REPLACEMENTS = {  # noqa: RUF012 - ruamel's own attribute, read only
        **{k: v for k, v in Scanner.ESCAPE_REPLACEMENTS.items() if k != "/"},
        "'": "'",
    }

    def scan_flow_scalar(self, style: Any) -> Any:
        # go-yaml (scannerc.go, the escape switch): a \u or \U code of a surrogate or past
        # U+10FFFF is "found invalid Unicode character escape code"; ruamel builds it
        start_mark = self.reader.get_mark()
        try:
            token = super().scan_flow_scalar(style)
        except ValueError:  # chr() past U+10FFFF
            token = None
        if token is None or (style == '"' and _SURROGATES.search(token.value)):
            raise ScannerError(
                "while parsing a quoted scalar",
                start_mark,
                "found invalid Unicode character escape code",
                self.reader.get_mark(),
            )
        return token

    def check_value(self) -> Any:
        # go-yaml: in a flow collection ':' is always a value indicator ("[:a]" fails)
        return bool(self.flow_level) or self.reader.peek(1) in _BLANKZ

    def scan_plain(self) -> Any:
        srp = self.reader.peek
        srf = self.reader.forward
        chunks: list[str] = []
        start_mark = self.reader.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if srp() == "#":
                break
            while True:
                ch = srp(length)
                if ch in _BLANKZ:
                    break
                if ch == ":" and srp(length + 1) in _BLANKZ:
                    break
                if self.flow_level and ch in _FLOW_STOPS:
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.reader.prefix(length))
            srf(length)
            end_mark = self.reader.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or srp() == "#" or (not self.flow_level and self.reader.column < indent):
                break
        return tokens.ScalarToken("".join(chunks), True, start_mark, end_mark)


def events(text: str) -> Callable[[], Any]:
    """A ``get_event`` over ``text``, like ruamel's CParser's, on the go-yaml scanner."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = GoScanner
    stream: Iterator[Any] = yaml.parse(text)
    return stream.__next__
