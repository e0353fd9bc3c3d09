"""A deterministic set of small documents covering the YAML edges real manifests use.

Every case is a (name, bytes) pair; the set is the same on every run (no
randomness), so a difference always points at the same input.
"""

from __future__ import annotations

from itertools import product

# Every YAML 1.1 scalar form go-yaml v2 types, and strings that look like them.
SCALARS = (
    # ints
    "0", "1", "-1", "+1", "42", "007", "08", "0o17", "0O17", "0x1F", "0X1f", "-0x10", "0b101",
    "-0b101", "0B11", "1_000", "-_1", "+_1", "1__0", "_1", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "1" * 30, "0x" + "f" * 17,
    # floats
    "1.5", "-1.5", "+.5", ".5", "-.5", "1.", "1.10", "1e3", "1E3", "1e+3", "1e-3", "-1e3",
    "1.5e3", ".1_0", "1_000.5", "1_0e3", "1e400", "-1e400", "1e-400", "._1", ".1_", "0.0",
    "-0.0", "6.02e23", "3.14159265358979323846",
    # special floats, booleans, nulls
    ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "inf", "nan", "NaN",
    "true", "True", "TRUE", "false", "yes", "Yes", "no", "NO", "on", "On", "off", "OFF", "y",
    "Y", "n", "N", "tRUE", "~", "null", "Null", "NULL", "nULL",
    # timestamps and strings that look typed
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "12:30", "1:2:3",
    "190:20:30", "0.1.2", "v1", "1Gi", "500m", "0x", "0b", "0o", "+", "-", ".", "-.",
    # strings with colons, URLs and image tags
    "postgres:16", "nginx:1.25.3", "ghcr.io/org/app:v1.2.3@sha256:abc", "http://a:8080/x",
    "https://example.com/repo.git", "--listen=:8080", "postgres://db:5432/app", "a:b", "a::b",
    ":a", "a:", "a#b", "a #b", "[x]", "{x}", "%x", "@x", "`x", "!x", "&x", "*x", "a,b",
    "key=value", "'single'", '"double"', "it's", "é€", "😀", "\\x", "a\\/b",
)

QUOTED = (
    '"\\/"', '"a\\/b"', '"\\x41"', '"\\u00e9"', '"\\U0001F600"', '"\\t"', '"\\e"', '"\\N"',
    '"\\_"', '"\\L"', '"\\P"', '"\\ "', '"\\0"', "\"\\'\"", '"\\q"', "'it''s'", '"a\nb"',
    '"a\n\n b"', "'a\n  b'", '"5"', "'5'", '""', "''",
)

TAGS = (
    "!!str 5", "!!str true", "!!int 5", "!!int 1.5", "!!int true", "!!int 0x10", "!!int '7'",
    "!!float 1", "!!float 1.5", "!!float x", "!!float .inf", "!!bool yes", "!!bool 1",
    "!!null ~", "!!null x", "!!timestamp 2001-12-14", "!!timestamp x", "! 5", "! true",
    "!custom 5", "!!binary aGVsbG8=", "!!binary '!!'", "!!str", "!!python/name:os.system x",
    "!<tag:yaml.org,2002:str> 5", "!<tag:yaml.org,2002:int> 5", "!!map {a: 1}", "!!seq [1]",
)

KEYS = (
    "a", "y", "Y", "yes", "n", "no", "on", "off", "true", "false", "1", "-1", "0x10", "0o17",
    "010", "1.10", "1.5", "1e3", "1e6", "1e-5", "0.1", "1_000", ".inf", "-.inf", ".nan", "~",
    "null", "''", '""', "'~'", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "123456789.123", "3.4e39", "!!str 5", "!!int 5", "!!float 2", "<<", "'<<'", "a b", "a:b",
    "? complex", "2001-12-14",
)

FLOW = (
    "containers: [{name: pg, image: postgres:16}]",
    "source: {repoURL: https://example.com/repo.git, path: infra}",
    "args: [--listen=:8080, --db=postgres://db:5432/app]",
    "a: [b:, c]", "a: [b: c]", "a: [b:c]", "a: {b:c}", "a: {b: c:d}", "a: [a?b]", "a: [?b]",
    "a: {? b}", "a: [x: y]", "a: {x: [1, 2], y: {z: 3}}", "a: [ , ]", "a: [1,]", "a: {a: 1,}",
    "a: [a, [b, [c]]]", "a: {\"b\":1}", "a: {'b':1}", "a: [\"x\":1]", "a: {b: 'c:d'}",
    "a: [http://x]", "a: {u: http://x, v: ftp://y:21}", "a: [a #b]", "a: [a#b]", "a: [1, 2",
    "a: {b: 1", "a: ]", "a: [b, c]d", "ports: [{containerPort: 8080, protocol: TCP}]",
    "a: [-1, -.5, +1, 0x10, ~, null, yes]", "a: {1: a, 0x10: b, y: c}", "a: [b: c, d: e]",
    "a: [{b: c}: d]", "a: [::]", "a: [:a]", "a: [a:]", "a: {a:}", "a: {:a}", "a: [a: ]",
)

BLOCK_SCALAR_HEADS = ("|", "|-", "|+", ">", ">-", ">+", "|2", "|-2", ">2+", "|1")
BLOCK_SCALAR_BODIES = ("5", "a\n  b", "a\n\n  b", "  x\n  y", "a\n\n", "a\n  \n", "")

ANCHORS = (
    "a: &x 1\nb: *x",
    "a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3",
    "a: &x {p: 1}\nb: &y {p: 2, r: 3}\nc:\n  <<: [*x, *y]",
    "a: &x {p: 1}\nb:\n  q: 0\n  <<: *x\n  p: 9",
    "a: &x [1, 2]\nb:\n  <<: *x",
    "a: &x 5\nb:\n  <<: *x",
    "b: *nope",
    "a: &x 1\na2: &x 2\nb: *x",
    "a: &x\n  - 1\nb: [*x, *x]",
    "&r {a: 1}",
    "a: &x {b: 1}\nc: {<<: *x, d: 2}",
    "<<: {a: 1}\nb: 2",
)

SEPARATED = (
    "a: 1\n---\nb: 2\n", "a: 1\n---#c\nb: 2\n", "a: 1\n--- # c\nb: 2\n", "a: 1\n--- x\nb: 2\n",
    "a: 1\n----\nb: 2\n", "a: 1\n--- |\n  x\n", "a: 1\n---\t\nb: 2\n", "---\na: 1\n",
    "---\n---\na: 1\n---\n", "a: 1\n...\nb: 2\n", "a: 1\n...\n---\nb: 2\n", "a: 1\n---\n...\n",
    "a: 1\n---\n...", "...\n", "# c\n---\na: 1\n", "a: 1\n--- \n", "a: 1\n---", " ---\na: 1\n",
    "a: |\n  x\n---\nb: 2\n", "a: \"x\n---\ny\"\n", "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n", "%TAG !e! tag:e.com,2000:\n---\na: !e!x 1\n",
    "a: 1\n%YAML 1.1\n---\nb: 2\n", "--- {a: 1}\n", "--- !!map\na: 1\n", "a: 1\n--- >\n  x\n",
    "---a\n", "a: 1\n---\n---\n---\nb: 2\n", "a: 1\n\n---\n\nb: 2\n\n",
)

WHOLE = (
    "a:\tb\n", "a: b\t\n", "a:\n\tb: c\n", "a:\n  b: c\n\t\n", "\ta: 1\n", "a: [1,\t2]\n",
    "a: 1\na: 2\n", "a: {b: 1, b: 2}\n", "a: 1\n'a': 2\n", "1: a\n'1': b\n", "y: a\ntrue: b\n",
    "a: 1\n  b: 2\n", "- a\nb: 1\n", "a: b: c\n", "a: 'x\n", "a: \"x\n", "? [a, b]\n: c\n",
    "? {a: 1}\n: b\n", "a: !!binary |\n  aGVs\n  bG8=\n", "a: 'multi\n  line'\n",
    "a: plain\n  multi\n  line\n", "a: >\n  folded\n  text\n\n  para\n", "a: x # c\n#c\n",
    "a: \u2028b\n", "a: \"x\u2028y\"\n", "a: \x85\n", "a: b\r\nc: d\r\n", "a: |\r\n  x\r\n  y\r\n",
    "a: b\rc: d\r", "{\"a\": 1}\n", "{\"a\": 1}\n{\"b\": 2}\n", "  {\"a\": \"\\/\"}\n",
    "{a: 1}\n---\nb: 2\n", "[1, 2]\n", "just text\n", "42\n", "null\n", "~\n", "", "\n", "# c\n",
    "a: [" + "[" * 50 + "]" * 50 + "]\n", "a: " + "x" * 2000 + "\n", "a: 1 #c\n#c\n",
    "a:\n- 1\n- 2\n", "a:\n  - 1\n  -\n  - 3\n", "- - 1\n  - 2\n- 3\n", "a: -\n", "a: - b\n",
    "- ? a\n  : b\n", "a: !!str\nb: 1\n", "a: &x\nb: *x\n", "a: &x !!int 5\nb: *x\n",
)


def cases() -> list[tuple[str, bytes]]:
    """The generated inputs: at least 2,000, each a small file of one or more documents."""
    out: list[tuple[str, bytes]] = []

    def add(name: str, text: str) -> None:
        out.append((f"{len(out):05d}-{name}", text.encode("utf-8")))

    for n, value in enumerate(SCALARS + QUOTED + TAGS):
        add(f"block-value-{n}", f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {value}\n")
        add(f"annotation-{n}", f"metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: {value}\n")
        if "\n" not in value:
            add(f"flow-seq-{n}", f"a: [{value}, z]\n")
            add(f"flow-map-{n}", f"a: {{k: {value}, z: 1}}\n")
            add(f"seq-item-{n}", f"- {value}\n- z\n")
            add(f"root-{n}", f"{value}\n")
            add(f"eof-{n}", f"k: {value}")
    for n, key in enumerate(KEYS):
        add(f"block-key-{n}", f"{key}: v\nother: 1\n")
        add(f"flow-key-{n}", f"m: {{{key}: v}}\n")
        add(f"nested-key-{n}", f"metadata:\n  labels:\n    {key}: v\n")
    for n, line in enumerate(FLOW):
        add(f"flow-{n}", line + "\n")
        add(f"flow-eof-{n}", line)
        add(f"flow-nested-{n}", "spec:\n  " + line + "\n")
        add(f"flow-crlf-{n}", "x: 1\r\n" + line + "\r\n")
    for (h, head), (b, body) in product(enumerate(BLOCK_SCALAR_HEADS), enumerate(BLOCK_SCALAR_BODIES)):
        lines = "\n".join("  " + part if part.strip() else part for part in body.split("\n"))
        text = f"k: {head}\n{lines}"
        add(f"block-scalar-eof-{h}-{b}", text)
        add(f"block-scalar-nl-{h}-{b}", text + "\n")
        add(f"block-scalar-then-{h}-{b}", text + "\nnext: 1\n")
        add(f"block-scalar-sep-{h}-{b}", text + "\n---\nnext: 1\n")
        add(f"block-scalar-crlf-{h}-{b}", text.replace("\n", "\r\n"))
        add(f"wave-block-{h}-{b}", f"metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: {head}\n"
            + "\n".join("      " + part if part.strip() else part for part in body.split("\n")))
    for n, text in enumerate(ANCHORS):
        add(f"anchors-{n}", text + "\n")
        add(f"anchors-doc-{n}", "apiVersion: v1\nkind: ConfigMap\n" + text + "\n")
    for n, text in enumerate(SEPARATED + WHOLE):
        add(f"stream-{n}", text)
        add(f"stream-crlf-{n}", text.replace("\n", "\r\n"))
        add(f"stream-bom-{n}", "\ufeff" + text)
        add(f"stream-trailing-{n}", text + "---\nz: 1\n")
    return out
