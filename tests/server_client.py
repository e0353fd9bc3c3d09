"""A real LSP client (pygls') driving ``python -m hooklint server`` over stdio, for the tests
and the latency benchmark.  Every wait has a timeout: a silent server fails the test."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

TIMEOUT = 20.0


class Client:
    def __init__(self) -> None:
        self.lsp = LanguageClient("hooklint-tests", "1")
        self.diagnostics: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.messages: list[types.ShowMessageParams] = []
        self.logs: list[str] = []  # window/logMessage texts (the notes of the runs)
        self.changed = asyncio.Condition()
        self.versions: dict[str, int] = {}

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            async with self.changed:
                self.diagnostics.setdefault(params.uri, []).append(params)
                self.changed.notify_all()

        @self.lsp.feature(types.WINDOW_SHOW_MESSAGE)
        async def on_message(params: types.ShowMessageParams) -> None:
            async with self.changed:
                self.messages.append(params)
                self.changed.notify_all()

        @self.lsp.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

    async def start(
        self, root: Path, *, debounce_ms: int = 50, encodings: list[str] | None = None
    ) -> types.InitializeResult:
        await self.lsp.start_io(sys.executable, "-m", "hooklint", "server", cwd=str(root))
        general = types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings] if encodings else None
        )
        result = await asyncio.wait_for(
            self.lsp.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(general=general),
                    root_uri=from_fs_path(str(root)),
                    workspace_folders=[types.WorkspaceFolder(from_fs_path(str(root)) or "", "ws")],
                    initialization_options={"debounceMs": debounce_ms},
                )
            ),
            TIMEOUT,
        )
        self.lsp.initialized(types.InitializedParams())
        return result

    async def stop(self) -> None:
        await asyncio.wait_for(self.lsp.shutdown_async(None), TIMEOUT)
        self.lsp.exit(None)
        await asyncio.wait_for(self.lsp.stop(), TIMEOUT)

    def open(self, path: Path, text: str | None = None) -> str:
        uri = from_fs_path(str(path)) or ""
        self.versions[uri] = 1
        self.lsp.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri, "yaml", 1, path.read_text() if text is None else text)
            )
        )
        return uri

    def replace(self, uri: str, text: str) -> int:
        """Replace the whole buffer (an unsaved edit); returns the new version."""
        self.versions[uri] += 1
        self.lsp.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )
        return self.versions[uri]

    def edit(self, uri: str, edits: list[types.TextEdit]) -> int:
        """Apply text edits as incremental changes (last first, as editors do)."""
        self.versions[uri] += 1
        changes: list[Any] = [
            types.TextDocumentContentChangePartial(e.range, e.new_text)
            for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
        ]
        self.lsp.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), changes
            )
        )
        return self.versions[uri]

    async def published(self, uri: str, version: int | None = None, count: int = 1) -> list[types.Diagnostic]:
        """The diagnostics published for ``uri`` (for ``version``, once ``count`` arrived)."""

        def ready() -> bool:
            got = [p for p in self.diagnostics.get(uri, []) if version is None or p.version == version]
            return len(got) >= count

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(ready), TIMEOUT)
        got = [p for p in self.diagnostics.get(uri, []) if version is None or p.version == version]
        return list(got[-1].diagnostics)

    def save(self, uri: str, path: Path, text: str) -> int:
        """Write ``text`` as the editor saves it: the buffer's change, the file, then didSave."""
        version = self.replace(uri, text)
        path.write_text(text)
        self.lsp.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri))
        )
        return version

    async def until(
        self, uri: str, test: Callable[[types.PublishDiagnosticsParams], bool]
    ) -> list[types.Diagnostic]:
        """The diagnostics of ``uri`` once the latest publication for it passes ``test``."""

        def ready() -> bool:
            got = self.diagnostics.get(uri)
            return bool(got) and test(got[-1])

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(ready), TIMEOUT)
        return list(self.diagnostics[uri][-1].diagnostics)

    async def message(self) -> types.ShowMessageParams:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: bool(self.messages)), TIMEOUT)
        return self.messages[-1]


async def open_in_server(
    root: Path, path: Path, *, debounce_ms: int = 50, encodings: list[str] | None = None
) -> tuple[Client, str]:
    """A client started on ``root`` (as :meth:`Client.start`) with ``path`` open, and its URI."""
    client = Client()
    await client.start(root, debounce_ms=debounce_ms, encodings=encodings)
    return client, client.open(path)


def run(coroutine: Any) -> Any:
    """Run one scenario, never longer than a minute."""
    return asyncio.run(asyncio.wait_for(coroutine, 60))
