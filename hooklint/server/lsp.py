"""The language server: pygls wiring over :mod:`hooklint.server.analysis`.

Edits are debounced; each analysis runs on one worker thread (the event loop
keeps reading the editor's messages), one at a time, over a snapshot of the open
buffers; so one render at a time too.  Opening or saving a file renders the Helm
charts and Kustomize folders of its app again; a keystroke never does (the
analysis reuses their last render).  A result is dropped when a file it covers
changed while it ran: the change has scheduled a fresh run.  Diagnostics are
published for every file the run saw whole: open documents with the version
they were computed for, other files (a chart's values.yaml, a folder's
siblings) when theirs changed, cleared once clean.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Sequence

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from hooklint import __version__
from hooklint.config import ConfigError
from hooklint.model import Finding, Severity
from hooklint.registry import Registry, SelectorError, load_registry
from hooklint.server.analysis import Analysis, Analyzer
from hooklint.server.fixes import FixProvider, fix_provider
from hooklint.server.hover import RULE_DOC_URI, annotation_hover, annotation_key_at, rule_hover
from hooklint.server.ignore import TextEdit, ignore_edit
from hooklint.server.spans import Span, finding_span, split_lines, token_length
from hooklint.sources.files import YAML_SUFFIXES
from hooklint.values import dataclass

DEFAULT_DEBOUNCE = 0.15  # seconds after the last keystroke
FIX_ALL = "source.fixAll.hooklint"  # every safe fix at once, for editors' fix-on-save
YAML_LANGUAGES = ("yaml", "helm", "yaml.helm-values")
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Published:
    """A finding as published: its span (code points) and the diagnostic sent."""

    finding: Finding
    span: Span
    diagnostic: types.Diagnostic


@dataclass(frozen=True)
class _Snapshot:
    texts: dict[str, str]  # absolute path -> buffer text
    versions: dict[str, int | None]  # uri -> version


class HooklintServer(LanguageServer):
    def __init__(self, registry: Registry | None = None, fixes: FixProvider | None = None) -> None:
        incremental = types.TextDocumentSyncKind.Incremental
        super().__init__("hooklint", __version__, text_document_sync_kind=incremental)
        self.registry = registry or load_registry()
        self.specs = {spec.name: spec for spec in self.registry.specs}
        self.fixes = fixes or fix_provider()
        self.debounce = DEFAULT_DEBOUNCE
        self.analyzers: dict[Path, Analyzer] = {}
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="hooklint-analysis")
        self.published: dict[str, list[Published]] = {}
        self.published_version: dict[str, int | None] = {}
        self.dirty: dict[str, None] = {}  # uris to analyse, in order
        self.render_due: set[str] = set()  # opened or saved: their apps' folders render again
        self.refresh_due = False  # files changed on disk: walk the workspace again
        self.elsewhere: dict[str, tuple[Finding, ...]] = {}  # published for files not open
        self.yaml_uris: dict[str, None] = {}  # open documents hooklint lints
        self._timer: asyncio.TimerHandle | None = None
        self._running = False
        self._shown_error: str | None = None

    # -- scheduling -----------------------------------------------------------------
    def schedule(self, uris: Sequence[str], delay: float, *, render: bool = False) -> None:
        """Analyse ``uris`` (with their applications) ``delay`` seconds from now; ``render``:
        render the Helm charts and Kustomize folders of their apps again (open, save)."""
        for uri in uris:
            self.dirty[uri] = None
            if render:
                self.render_due.add(uri)
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._running or not self.dirty:
            return  # the running analysis starts the next one when it ends
        batch = list(self.dirty)
        self.dirty.clear()
        render = [Path(_path(uri)) for uri in batch if uri in self.render_due and _path(uri)]
        self.render_due.difference_update(batch)
        refresh, self.refresh_due = self.refresh_due, False
        snapshot = _Snapshot(
            {
                _path(uri): self.workspace.get_text_document(uri).source
                for uri in self.yaml_uris
                if _path(uri)
            },
            {uri: self.workspace.get_text_document(uri).version for uri in self.yaml_uris},
        )
        self._running = True
        asyncio.get_running_loop().create_task(self._analyse(batch, snapshot, render, refresh))

    async def _analyse(
        self, batch: list[str], snapshot: _Snapshot, render: Sequence[Path] = (), refresh: bool = False
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            groups: dict[Path, list[Path]] = {}
            for uri in batch:
                path = _path(uri)
                if path:
                    groups.setdefault(self.root_of(Path(path)), []).append(Path(path))
            results: list[tuple[Analyzer, Analysis]] = []
            for root, paths in groups.items():
                analyzer = self.analyzer(root)
                run = partial(analyzer.run, paths, snapshot.texts, render=render, refresh=refresh)
                result = await loop.run_in_executor(self.worker, run)
                results.append((analyzer, result))
            if any(self._stale(result, snapshot) for _, result in results):
                for uri in batch:
                    self.dirty[uri] = None  # changed meanwhile: the next run covers it
            else:
                for analyzer, result in results:
                    self._publish(analyzer, result, batch, snapshot)
        except Exception as exc:  # a bug must not kill the server: say it, keep serving
            logging.getLogger(__name__).exception("analysis failed")
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"hooklint: internal error: {exc}")
            )
        finally:
            self._running = False
            if self.dirty and self._timer is None:
                self._timer = loop.call_later(0, self._start)

    def _stale(self, result: Analysis, snapshot: _Snapshot) -> bool:
        for uri in self.dirty:
            if _path(uri) in result.findings:
                return True
        for uri, version in snapshot.versions.items():
            if uri not in self.yaml_uris or _path(uri) not in result.findings:
                continue
            if self.workspace.get_text_document(uri).version != version:
                return True
        return False

    def root_of(self, path: Path) -> Path:
        """The workspace folder holding ``path`` (the innermost), else the file's folder."""
        best: Path | None = None
        roots = [f.uri for f in self.workspace.folders.values()]
        if self.workspace.root_uri:
            roots.append(self.workspace.root_uri)
        for uri in roots:
            fs = to_fs_path(uri)
            if not fs:
                continue
            root = Path(fs)
            if path.is_relative_to(root) and (best is None or len(root.parts) > len(best.parts)):
                best = root
        return best or path.parent

    def analyzer(self, root: Path) -> Analyzer:
        if root not in self.analyzers:
            self.analyzers[root] = Analyzer(root, self.registry)
        return self.analyzers[root]

    # -- publishing -----------------------------------------------------------------
    def _publish(self, analyzer: Analyzer, result: Analysis, batch: list[str], snapshot: _Snapshot) -> None:
        if result.error is not None:
            if result.error != self._shown_error:
                self._shown_error = result.error
                self.window_show_message(
                    types.ShowMessageParams(types.MessageType.Error, f"hooklint: {result.error}")
                )
            for uri in batch:
                self._send(uri, [], snapshot.versions.get(uri))
            return
        self._shown_error = None
        for notice in result.notices:
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Info, f"hooklint: {notice.path}: {notice.message}")
            )
        covered: set[str] = set()
        open_uris = {_path(uri): uri for uri in self.yaml_uris}  # the editor's own spelling
        for path, findings in result.findings.items():
            open_uri = open_uris.get(path)
            if open_uri is None:  # a file of the app that is not open: published when it changed
                self._send_elsewhere(analyzer, path, findings, snapshot)
                continue
            covered.add(open_uri)
            lines = split_lines(snapshot.texts.get(path, ""))
            items = [self._published(analyzer, f, lines, snapshot) for f in findings]
            self._send(open_uri, items, snapshot.versions.get(open_uri))
        for uri in batch:
            if uri not in covered and uri in self.yaml_uris:  # excluded, or not YAML at all
                self._send(uri, [], snapshot.versions.get(uri))

    def _send_elsewhere(
        self, analyzer: Analyzer, path: str, findings: list[Finding], snapshot: _Snapshot
    ) -> None:
        uri = from_fs_path(path) or path
        found = tuple(findings)
        if self.elsewhere.get(uri, ()) == found:
            return
        if found:
            self.elsewhere[uri] = found
        else:
            self.elsewhere.pop(uri, None)
        lines = _lines_of(path, snapshot)
        diagnostics = [self._published(analyzer, f, lines, snapshot).diagnostic for f in found]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics))

    def _send(self, uri: str, items: list[Published], version: int | None) -> None:
        self.published[uri] = items
        self.published_version[uri] = version
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, [item.diagnostic for item in items], version)
        )

    def _published(
        self, analyzer: Analyzer, finding: Finding, lines: list[str], snapshot: _Snapshot
    ) -> Published:
        span = finding_span(finding, lines)
        related = []
        for other in finding.related:
            path = os.path.normpath(analyzer.root / other.path)
            other_lines = _lines_of(path, snapshot)
            line, column = other.position.line - 1, other.position.column - 1
            text = other_lines[line] if 0 <= line < len(other_lines) else ""
            other_span = Span(line, column, line, column + token_length(text, column))
            related.append(
                types.DiagnosticRelatedInformation(
                    types.Location(from_fs_path(path) or path, self._range(other_lines, other_span)),
                    other.message,
                )
            )
        diagnostic = types.Diagnostic(
            range=self._range(lines, span),
            message=finding.message,
            severity=_SEVERITY[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=RULE_DOC_URI.format(name=finding.name)),
            source="hooklint",
            related_information=related or None,
            data={"name": finding.name},
        )
        return Published(finding, span, diagnostic)

    def _range(self, lines: list[str], span: Span) -> types.Range:
        codec = self.workspace.position_codec
        return types.Range(
            codec.position_to_client_units(lines, types.Position(span.start_line, span.start_column)),
            codec.position_to_client_units(lines, types.Position(span.end_line, span.end_column)),
        )

    def _edit(self, lines: list[str], edit: TextEdit) -> types.TextEdit:
        span = Span(edit.start_line, edit.start_column, edit.end_line, edit.end_column)
        return types.TextEdit(self._range(lines, span), edit.new_text)

    # -- requests -------------------------------------------------------------------
    def findings_in(self, uri: str, lines: list[str], client_range: types.Range) -> list[Published]:
        """The published findings overlapping a range, if they are for the buffer's current text."""
        if self.published_version.get(uri) != self.workspace.get_text_document(uri).version:
            return []  # edited since: the next publication answers
        codec = self.workspace.position_codec
        start = codec.position_from_client_units(lines, client_range.start)
        end = codec.position_from_client_units(lines, client_range.end)
        return [
            item
            for item in self.published.get(uri, [])
            if (item.span.start_line, item.span.start_column) <= (end.line, end.character)
            and (start.line, start.character) <= (item.span.end_line, item.span.end_column)
        ]

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        if uri not in self.yaml_uris:
            return []
        only = params.context.only
        document = self.workspace.get_text_document(uri)
        text = document.source
        lines = split_lines(text)
        if only and any(FIX_ALL.startswith(k) for k in only):  # asked for explicitly (on save)
            return self._fix_all(uri, text, lines)
        if only and not any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only):
            return []
        newline = "\r\n" if "\r\n" in text else "\n"
        actions: list[types.CodeAction] = []
        ignores: list[types.CodeAction] = []
        items = self.findings_in(uri, lines, params.range)
        rule_params = self._params(uri) if items else {}
        for item in items:
            finding = item.finding
            for fix in self.fixes.fixes(finding, text, rule_params):
                actions.append(
                    types.CodeAction(
                        title=fix.title + ("" if fix.safe else " (unsafe)"),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[item.diagnostic],
                        is_preferred=fix.safe,
                        edit=types.WorkspaceEdit(changes={uri: [self._edit(lines, e) for e in fix.edits]}),
                    )
                )
            edit = ignore_edit(lines, item.span.start_line, finding.code, newline)
            if edit is not None:
                ignores.append(
                    types.CodeAction(
                        title=f"Ignore {finding.code} ({finding.name}) on this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[item.diagnostic],
                        edit=types.WorkspaceEdit(changes={uri: [self._edit(lines, edit)]}),
                    )
                )
        return actions + ignores

    def _fix_all(self, uri: str, text: str, lines: list[str]) -> list[types.CodeAction]:
        items = self.published.get(uri, [])
        if self.published_version.get(uri) != self.workspace.get_text_document(uri).version or not items:
            return []
        fix = self.fixes.fix_all([item.finding for item in items], text, self._params(uri))
        if fix is None:
            return []
        return [
            types.CodeAction(
                title=fix.title,
                kind=FIX_ALL,
                diagnostics=[item.diagnostic for item in items],
                edit=types.WorkspaceEdit(changes={uri: [self._edit(lines, e) for e in fix.edits]}),
            )
        ]

    def _params(self, uri: str) -> dict[str, dict[str, Any]]:
        """The configured params of every active rule, by code, for the file's workspace."""
        try:
            path = Path(_path(uri))
            settings = self.analyzer(self.root_of(path)).settings(path.parent)
        except (ConfigError, SelectorError, OSError):  # an invalid config: nothing published to fix
            return {}
        return {rule.spec.code: rule.params for rule in settings.rules}

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        if uri not in self.yaml_uris:
            return None
        lines = split_lines(self.workspace.get_text_document(uri).source)
        here = types.Range(params.position, params.position)
        items = self.findings_in(uri, lines, here)
        if items:
            texts = []
            for item in items:
                spec = self.specs.get(item.finding.name)
                if spec is not None:
                    texts.append(rule_hover(spec, item.finding.message, item.finding.severity.value))
            if texts:
                return types.Hover(
                    types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(texts)),
                    self._range(lines, items[0].span),
                )
        position = self.workspace.position_codec.position_from_client_units(lines, params.position)
        if position.line >= len(lines):
            return None
        found = annotation_key_at(lines[position.line], position.character)
        if found is None:
            return None
        key, start, end = found
        markdown = annotation_hover(key, self.specs)
        if markdown is None:
            return None
        span = Span(position.line, start, position.line, end)
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, markdown), self._range(lines, span))


def _path(uri: str) -> str:
    return os.path.normpath(to_fs_path(uri) or "") if uri.startswith("file:") else ""


def _own_uri(uri: str) -> str:
    """The URI the server spells for a path (as files not open are published)."""
    path = _path(uri)
    return (from_fs_path(path) or path) if path else uri


def _same_tree(uri: str, other: str) -> bool:
    """Is the open document ``uri`` in the folder of ``other`` or below it (or above: a chart)?"""
    a, b = os.path.dirname(_path(uri)), os.path.dirname(_path(other))
    return a == b or a.startswith(b + os.sep) or b.startswith(a + os.sep)


def _lines_of(path: str, snapshot: _Snapshot) -> list[str]:
    text = snapshot.texts.get(path)
    if text is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            text = ""
    return split_lines(text)


def _is_yaml(document: types.TextDocumentItem) -> bool:
    return document.language_id in YAML_LANGUAGES or document.uri.endswith(YAML_SUFFIXES)


def build_server(registry: Registry | None = None) -> HooklintServer:
    server = HooklintServer(registry)

    @server.feature(types.INITIALIZE)
    def initialize(ls: HooklintServer, params: types.InitializeParams) -> None:
        options: Any = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounceMs")
            if isinstance(debounce, bool) or not isinstance(debounce, (int, float)):
                return
            if 0 <= debounce <= 10_000:
                ls.debounce = debounce / 1000

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HooklintServer, params: types.DidOpenTextDocumentParams) -> None:
        if _is_yaml(params.text_document):
            uri = params.text_document.uri
            ls.yaml_uris[uri] = None
            ls.elsewhere.pop(_own_uri(uri), None)  # published as an open document from now on
            ls.schedule([uri], 0, render=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HooklintServer, params: types.DidChangeTextDocumentParams) -> None:
        if params.text_document.uri in ls.yaml_uris:
            ls.schedule([params.text_document.uri], ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HooklintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(_path(uri)) in (".hooklint.yaml", ".hooklint.yml"):
            ls.schedule(list(ls.yaml_uris), 0, render=True)  # the config changed: everything may
        elif uri in ls.yaml_uris:
            ls.schedule([uri], 0, render=True)
        elif _path(uri):  # a chart's helper or NOTES.txt: its app renders again
            ls.refresh_due = True
            ls.schedule([u for u in ls.yaml_uris if _same_tree(u, uri)], 0, render=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HooklintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.yaml_uris:
            return
        del ls.yaml_uris[uri]
        ls.dirty.pop(uri, None)
        ls.render_due.discard(uri)
        ls.published.pop(uri, None)
        ls.published_version.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        # its unsaved text no longer counts: its application's other open files change
        folder = os.path.dirname(_path(uri))
        others = [u for u in ls.yaml_uris if os.path.dirname(_path(u)) == folder]
        if others:
            ls.schedule(others, 0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: HooklintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.refresh_due = True  # files appeared, went or changed outside the editor
        if ls.yaml_uris:
            ls.schedule(list(ls.yaml_uris), ls.debounce)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: HooklintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: HooklintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HooklintServer, params: None) -> None:
        if ls._timer is not None:
            ls._timer.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> int:
    """Run the server on stdin/stdout until the editor says ``exit``."""
    logging.basicConfig(level=logging.WARNING, format="hooklint server: %(levelname)s: %(message)s")
    build_server().start_io()
    return 0
