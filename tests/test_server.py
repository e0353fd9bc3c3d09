"""``hooklint server`` driven by a real LSP client (pygls') over stdio.

Each scenario starts the server as a subprocess, as an editor does; every wait
has a timeout (tests/server_client.py), so a silent server fails instead of hanging.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the server extra (pygls) is not installed")

from lsprotocol import types

from tests.conftest import REPO
from tests.server_client import Client, open_in_server, run

SHOP = REPO / "examples" / "shop"


def check_json(root: Path, *paths: str) -> list[dict[str, Any]]:
    """``hooklint check PATHS --format json`` run from ``root``, as CI would."""
    result = subprocess.run(
        [sys.executable, "-m", "hooklint", "check", *paths, "--format", "json", "--exit-zero"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def expected(findings: list[dict[str, Any]], path: str) -> list[tuple[Any, ...]]:
    """What the server must publish for ``path``: code, severity, message, 0-based start, rule doc."""
    severities = {"error": 1, "warning": 2, "info": 3}
    return [
        (
            f["code"],
            severities[f["severity"]],
            f["message"],
            f["line"] - 1,
            f["column"] - 1,
            f"https://github.com/hooklint/hooklint/blob/main/rules/{f['name']}.md",
            [(r["path"], r["line"] - 1, r["column"] - 1, r["message"]) for r in f["related"]],
        )
        for f in findings
        if f["path"] == path
    ]


def got(diagnostics: list[types.Diagnostic], root: Path) -> list[tuple[Any, ...]]:
    out = []
    for d in diagnostics:
        assert d.source == "hooklint"
        assert d.code_description is not None
        related = [
            (
                Path(r.location.uri.removeprefix("file://")).relative_to(root).as_posix(),
                r.location.range.start.line,
                r.location.range.start.character,
                r.message,
            )
            for r in d.related_information or ()
        ]
        out.append(
            (
                d.code,
                d.severity,
                d.message,
                d.range.start.line,
                d.range.start.character,
                d.code_description.href,
                related,
            )
        )
    return out


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A workspace holding a copy of the example app (six files, one folder: one application)."""
    shutil.copytree(SHOP, tmp_path / "shop")
    return tmp_path


def test_diagnostics_equal_check_json_then_follow_unsaved_edits_across_files(shop: Path) -> None:
    """Every open file gets exactly check's findings; an unsaved edit of one file updates another's."""
    names = sorted(p.name for p in (shop / "shop").iterdir())

    async def scenario() -> None:
        client = Client()
        result = await client.start(shop)
        assert result.capabilities.hover_provider
        uris = {name: client.open(shop / "shop" / name) for name in names}
        findings = check_json(shop, "shop")
        assert {f["code"] for f in findings} == {"HL001", "HL002", "HL101", "HL201", "HL202", "HL301"}
        for name, uri in uris.items():
            diagnostics = await client.published(uri)
            assert got(diagnostics, shop) == expected(findings, f"shop/{name}"), name
            mine = [f for f in findings if f["path"] == f"shop/{name}"]
            for diagnostic, finding in zip(diagnostics, mine, strict=True):
                if finding["end_line"] is not None:  # the engine knows the end: the range ends there
                    end = types.Position(finding["end_line"] - 1, finding["end_column"] - 1)
                    assert diagnostic.range.end == end, (name, finding["code"])
                else:  # else it covers the key or value at the start, on that line
                    assert diagnostic.range.end.line == diagnostic.range.start.line
                    assert diagnostic.range.end.character > diagnostic.range.start.character

        # An unsaved edit: the smoke test is no longer a PostSync hook, so nothing waits for the
        # Ingress's wave any more and HL301 leaves the (untouched) ingress file.
        smoke = (shop / "shop" / "50-smoke-test.yaml").read_text()
        edited = smoke.replace("    argocd.argoproj.io/hook: PostSync\n", "").replace(
            "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded\n",
            '    argocd.argoproj.io/sync-wave: "1"\n',
        )
        assert edited != smoke
        version = client.replace(uris["50-smoke-test.yaml"], edited)
        before = len(client.diagnostics[uris["40-ingress.yaml"]])
        smoke_diagnostics = await client.published(uris["50-smoke-test.yaml"], version)
        ingress = await client.published(uris["40-ingress.yaml"], count=before + 1)
        await client.stop()

        (shop / "shop" / "50-smoke-test.yaml").write_text(edited)  # check sees it on disk
        after = check_json(shop, "shop")
        assert got(ingress, shop) == expected(after, "shop/40-ingress.yaml")
        assert "HL301" not in {d.code for d in ingress}
        assert got(smoke_diagnostics, shop) == expected(after, "shop/50-smoke-test.yaml")
        assert after != findings

    run(scenario())


def test_range_covers_the_flagged_value_and_ignore_action_suppresses_it(shop: Path) -> None:
    """HL101 at 9:44 (1-based) underlines `HookFailed`; the quick fix inserts the comment above it,
    and the re-published diagnostics lack exactly that finding."""
    path = shop / "shop" / "20-db-migrate.yaml"
    text = path.read_text()

    async def scenario() -> None:
        client, uri = await open_in_server(shop, path)
        diagnostics = await client.published(uri, 1)
        hl101 = next(d for d in diagnostics if d.code == "HL101")
        assert hl101.range == types.Range(types.Position(8, 43), types.Position(8, 53))
        assert text.splitlines()[8][43:53] == "HookFailed"
        assert hl101.severity == types.DiagnosticSeverity.Warning

        actions = await client.lsp.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                hl101.range,
                types.CodeActionContext(diagnostics=[hl101]),
            )
        )
        assert actions is not None
        titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
        # last, after the fix engine's "Fix HL101 (...)" where that is built in
        assert titles[-1] == "Ignore HL101 (named-hook-without-before-hook-creation) on this line"
        assert titles[:-1] in ([], ["Fix HL101 (named-hook-without-before-hook-creation)"])
        action = actions[-1]
        assert isinstance(action, types.CodeAction) and action.kind == types.CodeActionKind.QuickFix
        assert action.edit is not None and action.edit.changes is not None
        edits = list(action.edit.changes[uri])
        assert edits == [
            types.TextEdit(
                types.Range(types.Position(8, 0), types.Position(8, 0)), "    # hooklint: ignore[HL101]\n"
            )
        ]
        version = client.edit(uri, edits)
        after = await client.published(uri, version)
        await client.stop()
        lines = text.splitlines()
        lines.insert(8, "    # hooklint: ignore[HL101]")
        assert [d.code for d in after] == ["HL201", "HL202"]
        path.write_text("\n".join(lines) + "\n")
        assert got(after, shop) == expected(check_json(shop, "shop"), "shop/20-db-migrate.yaml")

    run(scenario())


def test_hover_on_a_finding_and_on_annotation_keys(shop: Path) -> None:
    path = shop / "shop" / "20-db-migrate.yaml"

    async def scenario() -> None:
        client, uri = await open_in_server(shop, path)
        await client.published(uri, 1)

        async def hover(line: int, character: int) -> types.Hover | None:
            return await client.lsp.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
            )

        on_finding = await hover(8, 46)  # inside `HookFailed`
        on_key = await hover(7, 10)  # argocd.argoproj.io/hook
        on_policy_key = await hover(8, 10)  # argocd.argoproj.io/hook-delete-policy
        plain = await hover(3, 3)  # `name`
        await client.stop()

        assert on_finding is not None and isinstance(on_finding.contents, types.MarkupContent)
        text = on_finding.contents.value
        assert text.startswith("**HL101** `named-hook-without-before-hook-creation` (warning)")
        assert "A hook with a fixed name whose delete policy lacks BeforeHookCreation." in text
        assert "**Fix:** Add BeforeHookCreation to the hook's delete policy" in text
        assert on_finding.range == types.Range(types.Position(8, 43), types.Position(8, 53))

        assert on_key is not None and isinstance(on_key.contents, types.MarkupContent)
        assert on_key.contents.value.startswith("**`argocd.argoproj.io/hook`**")
        assert "`PreSync`, `Sync`, `PostSync`, `SyncFail`, `Skip`" in on_key.contents.value
        assert on_key.range == types.Range(types.Position(7, 4), types.Position(7, 27))
        assert on_policy_key is not None and isinstance(on_policy_key.contents, types.MarkupContent)
        assert "`BeforeHookCreation`" in on_policy_key.contents.value
        assert plain is None

    run(scenario())


def test_debounce_publishes_only_the_last_of_rapid_changes(shop: Path) -> None:
    """Ten edits sent at once: one analysis, for the last version; earlier versions never appear."""
    path = shop / "shop" / "40-ingress.yaml"
    text = path.read_text()

    async def scenario() -> list[int | None]:
        client, uri = await open_in_server(shop, path, debounce_ms=300)
        await client.published(uri, 1)
        version = 1
        for wave in range(10):
            version = client.replace(uri, text.replace('sync-wave: "2"', f'sync-wave: "{wave}.5"'))
        last = await client.published(uri, version)
        await client.stop()
        assert [d.code for d in last] == ["HL002", "HL301"]
        assert '"9.5"' in last[0].message
        return [p.version for p in client.diagnostics[uri]]

    assert run(scenario()) == [1, 11]


def test_workspace_config_is_used_and_an_invalid_one_is_reported(shop: Path) -> None:
    (shop / ".hooklint.yaml").write_text("ignore: [HL201]\nexclude: [shop/30-api.yaml]\n")
    path = shop / "shop" / "20-db-migrate.yaml"

    async def scenario() -> None:
        client, uri = await open_in_server(shop, path)
        excluded = client.open(shop / "shop" / "30-api.yaml")
        codes = [d.code for d in await client.published(uri, 1)]
        assert await client.published(excluded, 1) == []
        assert codes == ["HL101", "HL202"]
        assert got(await client.published(uri, 1), shop) == expected(
            check_json(shop, "shop"), "shop/20-db-migrate.yaml"
        )
        (shop / ".hooklint.yaml").write_text("ignore: [HL201]\nbogus: 1\n")
        config_uri = client.open(shop / ".hooklint.yaml")
        client.lsp.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config_uri)))
        message = await client.message()
        cleared = await client.published(uri, 1, count=2)
        await client.stop()
        assert message.type == types.MessageType.Error
        assert "unknown key 'bogus'" in message.message
        assert cleared == []

    run(scenario())


def test_parse_error_and_close(tmp_path: Path) -> None:
    """A broken buffer gets HL000 where check puts it; closing a file clears its diagnostics."""
    (tmp_path / "app").mkdir()
    path = tmp_path / "app" / "broken.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n\tbad: 1\n")

    async def scenario() -> None:
        client, uri = await open_in_server(tmp_path, path)
        diagnostics = await client.published(uri, 1)
        assert got(diagnostics, tmp_path) == expected(check_json(tmp_path, "app"), "app/broken.yaml")
        assert [d.code for d in diagnostics] == ["HL000"]
        client.lsp.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
        closed = await client.published(uri, count=2)
        await client.stop()
        assert closed == []

    run(scenario())


def test_utf16_and_utf32_columns(tmp_path: Path) -> None:
    """Columns are code points in hooklint; the client gets UTF-16 units unless it speaks UTF-32."""
    (tmp_path / "app").mkdir()
    path = tmp_path / "app" / "job.yaml"
    path.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: db\n  annotations:\n"
        '    {"\U0001f600": "x", argocd.argoproj.io/sync-wave: "1.5"}\n'
    )

    async def start(encodings: list[str]) -> types.Range:
        client, uri = await open_in_server(tmp_path, path, encodings=encodings)
        diagnostics = await client.published(uri, 1)
        await client.stop()
        return next(d.range for d in diagnostics if d.code == "HL002")

    (finding,) = [f for f in check_json(tmp_path, "app") if f["code"] == "HL002"]
    column = finding["column"] - 1  # code points
    utf16 = run(start(["utf-16"]))
    utf32 = run(start(["utf-32"]))
    assert utf32.start == types.Position(5, column)
    assert utf16.start == types.Position(5, column + 1)  # the emoji is two UTF-16 units
    assert utf32.end.character - utf32.start.character == len('"1.5"')


def test_server_without_the_extra_exits_2_with_one_line(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; from hooklint.cli.launch import main; "
        "sys.exit(main(['server']))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "hooklint: error: 'hooklint server' needs the server extra: python -m pip install 'hooklint[server]'\n"
    )


def test_a_plain_check_does_not_import_the_server(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', 'a.yaml']); "
        "print(rc, [m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'hooklint.server'))])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 []"


def test_fix_quick_fix_from_the_fix_engine(shop: Path) -> None:
    """With --fix's engine (issue #17) installed, HL101 gets its safe fix as the preferred quick
    fix; applied, the buffer gives exactly check's findings for the fixed file."""
    path = shop / "shop" / "20-db-migrate.yaml"

    async def scenario() -> None:
        client, uri = await open_in_server(shop, path)
        diagnostics = await client.published(uri, 1)
        hl101 = next(d for d in diagnostics if d.code == "HL101")
        actions = await client.lsp.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri), hl101.range, types.CodeActionContext(diagnostics=[hl101])
            )
        )
        assert actions is not None
        fix = actions[0]
        assert isinstance(fix, types.CodeAction)
        assert fix.title == "Fix HL101 (named-hook-without-before-hook-creation)"
        assert fix.is_preferred is True
        assert fix.edit is not None and fix.edit.changes is not None
        version = client.edit(uri, list(fix.edit.changes[uri]))
        after = await client.published(uri, version)
        await client.stop()
        assert "HL101" not in [d.code for d in after]
        text = path.read_text()
        for edit in sorted(fix.edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            lines = text.split("\n")
            start = sum(len(line) + 1 for line in lines[: edit.range.start.line]) + edit.range.start.character
            end = sum(len(line) + 1 for line in lines[: edit.range.end.line]) + edit.range.end.character
            text = text[:start] + edit.new_text + text[end:]
        path.write_text(text)
        assert got(after, shop) == expected(check_json(shop, "shop"), "shop/20-db-migrate.yaml")

    run(scenario())


def test_fix_all_source_action_from_the_fix_engine(shop: Path) -> None:
    """``source.fixAll.hooklint`` (fix on save): every safe fix at once; the rest remain."""
    path = shop / "shop" / "20-db-migrate.yaml"

    async def scenario() -> None:
        client, uri = await open_in_server(shop, path)
        before = await client.published(uri, 1)
        actions = await client.lsp.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                types.Range(types.Position(0, 0), types.Position(0, 0)),
                types.CodeActionContext(diagnostics=[], only=["source.fixAll.hooklint"]),
            )
        )
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, types.CodeAction) and action.kind == "source.fixAll.hooklint"
        assert action.edit is not None and action.edit.changes is not None
        version = client.edit(uri, list(action.edit.changes[uri]))
        after = await client.published(uri, version)
        await client.stop()
        assert sorted(d.code for d in before) == ["HL101", "HL201", "HL202"]
        assert action.title == "Fix all safely fixable hooklint findings (1 finding)"
        assert [d.code for d in after] == ["HL201", "HL202"]  # their fixes are unsafe

    run(scenario())
