"""The server's pygls-free parts: ranges, the "ignore" edit, hover texts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooklint.model import Finding, Position, Severity
from hooklint.registry import load_registry
from hooklint.server.analysis import Analyzer
from hooklint.server.hover import ANNOTATION_DOCS, annotation_hover, annotation_key_at
from hooklint.server.ignore import TextEdit, ignore_edit
from hooklint.server.spans import Span, finding_span, split_lines, token_length
from tests.conftest import BAD_HOOK, lint_texts

REGISTRY = load_registry(plugins=False)
BAD_EXAMPLES = [
    (spec.code, n, e.text) for spec in REGISTRY.specs for n, e in enumerate(spec.examples) if e.verdict == "bad"
]


def apply(text: str, edit: TextEdit) -> str:
    """Apply one edit (code-point columns) to the text, as an editor would."""
    starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)]
    start = starts[edit.start_line] + edit.start_column
    end = starts[edit.end_line] + edit.end_column
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.parametrize(("code", "number", "text"), BAD_EXAMPLES, ids=[f"{c}-{n}" for c, n, _ in BAD_EXAMPLES])
def test_ignore_edit_suppresses_exactly_that_finding(code: str, number: int, text: str) -> None:
    """On every rule doc's bad examples: after the edit, the finding's code is gone from its line
    and every other finding is still there (same code and message)."""
    before = lint_texts({"test.yaml": text}, templates_as_charts=True).findings
    assert before
    lines = split_lines(text)
    for finding in before:
        edit = ignore_edit(lines, finding.line - 1, finding.code)
        assert edit is not None
        after = lint_texts({"test.yaml": apply(text, edit)}, templates_as_charts=True).findings
        gone = [f for f in before if f.code == finding.code and f.line == finding.line]
        assert Counter((f.code, f.message) for f in after) == Counter(
            (f.code, f.message) for f in before if f not in gone
        ), (finding.code, finding.line)


def test_ignore_edit_inserts_a_comment_line_at_the_flagged_indentation() -> None:
    lines = ["spec:", "  containers:", "    - name: x", "      image: y"]
    assert ignore_edit(lines, 2, "HL203") == TextEdit(2, 0, 2, 0, "    # hooklint: ignore[HL203]\n")
    assert ignore_edit(lines, 3, "HL203", "\r\n") == TextEdit(3, 0, 3, 0, "      # hooklint: ignore[HL203]\r\n")


def test_ignore_edit_extends_an_existing_list_or_does_nothing() -> None:
    inline = ["a: 1  # hooklint: ignore[HL101]"]
    assert ignore_edit(inline, 0, "HL201") == TextEdit(0, 25, 0, 30, "HL101,HL201")
    above = ["  # hooklint: ignore[HL101, HL202]", "  name: x"]
    assert ignore_edit(above, 1, "HL201") == TextEdit(0, 21, 0, 33, "HL101, HL202, HL201")
    assert ignore_edit(above, 1, "HL202") is None
    assert ignore_edit(["  # hooklint: ignore", "  name: x"], 1, "HL201") is None
    assert ignore_edit(["name: x"], 3, "HL201") is None
    # a comment above that is not alone on its line covers only its own line
    assert ignore_edit(["a: 1  # hooklint: ignore[HL101]", "b: 2"], 1, "HL101") == TextEdit(
        1, 0, 1, 0, "# hooklint: ignore[HL101]\n"
    )


def finding(line: int, column: int, end: Position | None = None) -> Finding:
    return Finding("HL101", "x", Severity.WARNING, "m", "f.yaml", Position(line, column), end=end)


def test_span_uses_the_end_when_known_else_the_token() -> None:
    lines = split_lines(BAD_HOOK)
    assert finding_span(finding(7, 44), lines) == Span(6, 43, 6, 53)  # HookFailed
    assert finding_span(finding(7, 5), lines) == Span(6, 4, 6, 41)  # the annotation key
    assert finding_span(finding(7, 5, Position(7, 54)), lines) == Span(6, 4, 6, 53)
    assert finding_span(finding(99, 1), lines) == Span(98, 0, 98, 1)  # never empty


@pytest.mark.parametrize(
    ("line", "column", "length"),
    [
        ('    argocd.argoproj.io/sync-wave: "1.5"  # c', 34, 5),
        ("    argocd.argoproj.io/sync-wave: '1''5'", 34, 6),
        ("    hook: PreSync  # why", 10, 7),
        ("  script: |-", 10, 2),
        ("  args: [a, b]", 8, 1),
        ("  args: [a, b]", 9, 1),
        ("  url: http://x:80/y", 7, 13),
        ('  "quoted key": 1', 2, 12),
        ("  name:", 2, 4),
        ("", 0, 1),
    ],
)
def test_token_length(line: str, column: int, length: int) -> None:
    assert token_length(line, column) == length


@given(st.text(max_size=40), st.integers(min_value=0, max_value=45))
def test_token_length_is_never_empty_and_stays_on_the_line(line: str, column: int) -> None:
    length = token_length(line, column)
    assert length >= 1
    assert column + length <= max(len(line), column + 1)


def test_annotation_keys_are_found_under_the_cursor_only() -> None:
    line = "    argocd.argoproj.io/hook: PreSync"
    assert annotation_key_at(line, 4) == ("argocd.argoproj.io/hook", 4, 27)
    assert annotation_key_at(line, 27) == ("argocd.argoproj.io/hook", 4, 27)
    assert annotation_key_at(line, 30) is None  # on the value
    flow = '  annotations: {"argocd.argoproj.io/sync-wave": "1", helm.sh/hook: x}'
    assert annotation_key_at(flow, 20) == ("argocd.argoproj.io/sync-wave", 16, 46)
    assert annotation_key_at(flow, 55) == ("helm.sh/hook", 53, 65)


def test_annotation_hover_texts() -> None:
    specs = {spec.name: spec for spec in REGISTRY.specs}
    assert len(ANNOTATION_DOCS) == 9
    for key in ANNOTATION_DOCS:
        text = annotation_hover(key, specs)
        assert text is not None and text.startswith(f"**`{key}`**") and "**Values:**" in text
    wave = annotation_hover("argocd.argoproj.io/sync-wave", specs) or ""
    assert "strconv.Atoi" in wave and "gitops-engine pkg/sync/syncwaves/waves.go" in wave
    assert "HL101 named-hook-without-before-hook-creation" in (
        annotation_hover("ignore-check.hooklint.io/named-hook-without-before-hook-creation", specs) or ""
    )
    assert "No hooklint rule is named `nope`" in (annotation_hover("ignore-check.hooklint.io/nope", specs) or "")
    assert annotation_hover("app.kubernetes.io/name", specs) is None


def test_analyzer_caches_parsed_files_and_overlays_buffers(tmp_path: Path) -> None:
    """A file is parsed once per content; an open buffer replaces the disk text of its file."""
    (tmp_path / "app").mkdir()
    job = tmp_path / "app" / "job.yaml"
    job.write_text(BAD_HOOK)
    (tmp_path / "app" / "other.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    analyzer = Analyzer(tmp_path, REGISTRY)
    first = analyzer.run([job], {})
    assert [f.code for f in first.findings[str(job)]] == ["HL101"]
    assert first.findings[str(tmp_path / "app" / "other.yaml")] == []
    cached = dict(analyzer._cache)
    fixed = BAD_HOOK.replace("HookFailed", "BeforeHookCreation")
    second = analyzer.run([job], {str(job): fixed})
    assert second.findings[str(job)] == []
    other = (str(tmp_path / "app" / "other.yaml"), True)
    assert analyzer._cache[other] is cached[other]  # the untouched file was not parsed again
    assert analyzer.run([job], {}).findings[str(job)][0].code == "HL101"
    (tmp_path / ".hooklint.yaml").write_text("select: [HL9]\n")
    assert analyzer.run([job], {}).error is not None


def test_a_result_for_an_outdated_buffer_is_dropped(tmp_path: Path) -> None:
    """The buffer changes while its analysis runs: that result is never published; the next is."""
    import asyncio
    import threading

    pytest.importorskip("pygls", reason="the server extra (pygls) is not installed")
    from lsprotocol import types
    from pygls.uris import from_fs_path
    from pygls.workspace import Workspace

    from hooklint.server.lsp import build_server

    server = build_server(REGISTRY)
    workspace = Workspace(from_fs_path(str(tmp_path)))
    server.protocol._workspace = workspace
    published: list[types.PublishDiagnosticsParams] = []
    server.text_document_publish_diagnostics = published.append  # type: ignore[method-assign]
    started, gate = threading.Event(), threading.Event()
    runs: list[dict[str, str]] = []

    class Gated(Analyzer):
        def run(self, changed: list[Path], buffers: Any, **kwargs: Any) -> Any:
            runs.append(dict(buffers))
            started.set()
            gate.wait(10)
            return super().run(changed, buffers, **kwargs)

    server.analyzers[tmp_path] = Gated(tmp_path, REGISTRY)
    path = tmp_path / "job.yaml"
    uri = from_fs_path(str(path)) or ""
    fixed = BAD_HOOK.replace("HookFailed", "BeforeHookCreation")

    async def scenario() -> None:
        workspace.put_text_document(types.TextDocumentItem(uri, "yaml", 1, BAD_HOOK))
        server.yaml_uris[uri] = None
        server.schedule([uri], 0)
        assert await asyncio.to_thread(started.wait, 10)
        workspace.update_text_document(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            types.TextDocumentContentChangeWholeDocument(fixed),
        )
        server.schedule([uri], 0)
        gate.set()
        for _ in range(1000):
            if published:
                break
            await asyncio.sleep(0.01)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    server.worker.shutdown()
    assert [r[str(path)] for r in runs] == [BAD_HOOK, fixed]
    assert [(p.version, list(p.diagnostics)) for p in published] == [(2, [])]


@pytest.mark.parametrize(
    ("old", "new", "edit"),
    [
        ("a: 1\nb: 2\n", "a: 1\nb: 3\n", TextEdit(1, 3, 1, 4, "3")),
        ("a: 1\nb: 2\n", "a: 1\n  c: 0\nb: 2\n", TextEdit(1, 0, 1, 0, "  c: 0\n")),
        ("a: 1\r\nb: 2\r\n", "a: 1\r\nx: 0\r\nb: 2\r\n", TextEdit(1, 0, 1, 0, "x: 0\r\n")),
        ("a: 1\r\n", "a: 1\n", TextEdit(0, 4, 1, 0, "\n")),
        ("k: \U0001f600x", "k: \U0001f600y", TextEdit(0, 4, 0, 5, "y")),
        ("same", "same", None),
    ],
)
def test_minimal_edit(old: str, new: str, edit: TextEdit | None) -> None:
    from hooklint.server.fixes import minimal_edit

    assert minimal_edit(old, new) == edit
    if edit is not None:
        assert apply(old, edit) == new


@given(st.text(alphabet="ab\r\n", max_size=12), st.text(alphabet="ab\r\n", max_size=12))
def test_minimal_edit_always_gives_the_new_text(old: str, new: str) -> None:
    from hooklint.server.fixes import minimal_edit

    edit = minimal_edit(old, new)
    assert (edit is None) == (old == new)
    if edit is not None:
        assert apply(old, edit) == new


def test_engine_fixes_adapter_prefers_the_safe_fix_and_marks_unsafe_ones() -> None:
    """The adapter over --fix's fix_file: which kinds it allows, and the edit it derives."""
    from dataclasses import dataclass as frozen

    from hooklint.server.fixes import EngineFixes

    @frozen(frozen=True)
    class Result:
        data: bytes
        fixed: tuple[Finding, ...]

    hl101 = finding(7, 44)
    calls: list[frozenset[str]] = []

    def fix_file(data: bytes, display: str, findings: list[Finding], params: object, allowed: frozenset[str]) -> Result | None:
        calls.append(allowed)
        assert display == "f.yaml" and findings == [hl101] and params == {"HL101": {"x": 1}}
        if "unsafe" not in allowed:
            return None
        return Result(data.replace(b"HookFailed", b"BeforeHookCreation"), (hl101,))

    (proposal,) = EngineFixes(fix_file).fixes(hl101, BAD_HOOK, {"HL101": {"x": 1}})
    assert calls == [frozenset({"safe"}), frozenset({"safe", "unsafe"})]
    assert proposal.title == "Fix HL101 (x)" and proposal.safe is False
    assert proposal.edits == (TextEdit(6, 43, 6, 53, "BeforeHookCreation"),)
    assert EngineFixes(lambda *args: None).fixes(hl101, BAD_HOOK, {}) == ()


def test_engine_fix_all_asks_for_safe_fixes_of_every_finding() -> None:
    from dataclasses import dataclass as frozen

    from hooklint.server.fixes import EngineFixes

    @frozen(frozen=True)
    class Result:
        data: bytes
        fixed: tuple[Finding, ...]

    first, second = finding(7, 44), finding(9, 3)
    seen: list[tuple[list[Finding], frozenset[str]]] = []

    def fix_file(data: bytes, display: str, findings: list[Finding], params: object, allowed: frozenset[str]) -> Result:
        seen.append((findings, allowed))
        return Result(data.replace(b"HookFailed", b"BeforeHookCreation"), (first,))

    proposal = EngineFixes(fix_file).fix_all([first, second], BAD_HOOK, {})
    assert seen == [([first, second], frozenset({"safe"}))]
    assert proposal is not None and proposal.safe
    assert proposal.title == "Fix all safely fixable hooklint findings (1 finding)"
    assert proposal.edits == (TextEdit(6, 43, 6, 53, "BeforeHookCreation"),)
    assert EngineFixes(fix_file).fix_all([], BAD_HOOK, {}) is None


def test_analyzer_uses_the_nearest_config_of_each_file(tmp_path: Path) -> None:
    """As ruff and ``check``'s config per file: the nearest .hooklint.yaml above the file wins."""
    (tmp_path / ".hooklint.yaml").write_text("ignore: [HL201]\n")
    for app in ("a", "b"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "job.yaml").write_text(BAD_HOOK.replace("  backoffLimit: 1\n", ""))
    (tmp_path / "b" / ".hooklint.yaml").write_text("ignore: [HL101]\n")
    analyzer = Analyzer(tmp_path, REGISTRY)
    a, b = tmp_path / "a" / "job.yaml", tmp_path / "b" / "job.yaml"
    result = analyzer.run([a, b], {})
    assert [f.code for f in result.findings[str(a)]] == ["HL101"]
    assert [f.code for f in result.findings[str(b)]] == ["HL201"]
    (tmp_path / "b" / ".hooklint.yaml").write_text("ignore: [HL101, HL201]\n")
    assert analyzer.run([b], {}).findings[str(b)] == []  # re-read when it changes


def test_the_server_extra_is_declared() -> None:
    """``pip install 'hooklint[server]'`` brings pygls 2 and its lsprotocol, and nothing else needs them."""
    from importlib.metadata import metadata

    info = metadata("hooklint")
    assert "server" in (info.get_all("Provides-Extra") or [])
    requires = [r.replace('"', "'") for r in info.get_all("Requires-Dist") or []]
    server = sorted(r for r in requires if "extra == 'server'" in r)
    assert server == ["lsprotocol<2026,>=2025.0.0; extra == 'server'", "pygls<3,>=2.0; extra == 'server'"]
    plain = [r for r in requires if "extra ==" not in r]
    assert not any(r.startswith(("pygls", "lsprotocol")) for r in plain)
