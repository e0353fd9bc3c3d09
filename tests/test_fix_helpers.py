"""The building blocks of HL007's fix (rename a key) and HL111's (remove generateName)."""

from __future__ import annotations

from hooklint.fix.changes import remove_entry_changes, rename_key_changes
from hooklint.fix.target import Target
from hooklint.fix.text import SourceText, apply_edits
from hooklint.sources.files import load_bytes

TEXT = (
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  generateName: m-   # why\n"
    "  annotations:\n    argocd.argoproj.io/sync_wave: '1'\n    \"argocd.argoproj.io/Hook\": PreSync\n"
    "spec: {template: {}}\n"
)


def edit(path: tuple[str, ...], new_key: str | None = None) -> str | None:
    data = TEXT.encode()
    [doc] = load_bytes(data, "t.yaml").documents
    src = SourceText(data)
    target = Target(doc, path)
    changes = list(
        rename_key_changes(target, src, path, new_key) if new_key else remove_entry_changes(target, src, path)
    )
    if not changes:
        return None
    root = dict(doc.root)
    changes[0].expect(root)
    return apply_edits(src.text, changes[0].edits)


def test_remove_entry_takes_the_whole_line() -> None:
    assert edit(("metadata", "generateName")) == TEXT.replace("  generateName: m-   # why\n", "")
    assert edit(("spec", "template")) is None  # a flow mapping: not by whole lines


def test_rename_key_keeps_quotes_and_value() -> None:
    assert edit(
        ("metadata", "annotations", "argocd.argoproj.io/sync_wave"), "argocd.argoproj.io/sync-wave"
    ) == (TEXT.replace("sync_wave", "sync-wave"))
    assert edit(("metadata", "annotations", "argocd.argoproj.io/Hook"), "argocd.argoproj.io/hook") == (
        TEXT.replace('"argocd.argoproj.io/Hook"', '"argocd.argoproj.io/hook"')
    )
    assert edit(("metadata", "name"), "generateName") is None  # the key exists already
