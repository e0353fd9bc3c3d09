"""k8s.hook_info / wave_of follow gitops-engine and Argo CD exactly (argocd-semantics.md §1-4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooklint.argocd.annotations import NOT_A_HOOK, atoi, csv_items, hook_info, wave_of
from hooklint.argocd.version import ArgoVersion
from hooklint.model import Document
from hooklint.sources.files import load_bytes


def doc(annotations: str) -> Document:
    text = f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations: {annotations}\n"
    (d,) = load_bytes(text.encode(), "f.yaml").documents
    return d


@pytest.mark.parametrize(
    ("value", "result"),
    [("5", 5), ("-1", -1), ("+3", 3), ("01", 1), ("-0", 0), ("1.5", None), (" 2", None),
     ("2 ", None), ("", None), ("1_000", None), ("0x10", None), ("1e3", None), ("+", None),
     ("--1", None), ("1,2", None), ("٣", None), ("9223372036854775807", 2**63 - 1),
     ("9223372036854775808", None), ("-9223372036854775808", -(2**63))],
)  # fmt: skip
def test_atoi_matches_go(value: str, result: int | None) -> None:
    assert atoi(value) == result


def test_csv_items_trim_dedupe_and_drop_empty() -> None:
    assert csv_items(" PreSync , ,PostSync,PreSync,") == ["PreSync", "PostSync"]


@pytest.mark.parametrize(
    ("annotations", "is_hook", "phases", "dropped"),
    [
        ("{}", False, ("Sync",), False),
        ('{argocd.argoproj.io/hook: "PreSync, PostSync"}', True, ("PreSync", "PostSync"), False),
        ('{argocd.argoproj.io/hook: "Presync"}', True, (), True),  # typo: silently dropped
        ('{argocd.argoproj.io/hook: ""}', True, (), True),
        ('{argocd.argoproj.io/hook: "Skip"}', False, (), False),  # Skip: not a hook, not "dropped"
        ('{argocd.argoproj.io/hook: "Skip,PreSync"}', True, ("PreSync",), False),
        ('{argocd.argoproj.io/hook: "Presync", helm.sh/hook: post-install}', True, ("PostSync",), False),
        ('{argocd.argoproj.io/hook: "Sync", helm.sh/hook: pre-install}', True, ("Sync",), False),
        ("{helm.sh/hook: crd-install}", False, ("Sync",), False),
        ('{helm.sh/hook: "crd-install,pre-install"}', True, ("PreSync",), False),
        ("{helm.sh/hook: test}", True, (), True),
        ('{helm.sh/hook: "pre-install,pre-upgrade"}', True, ("PreSync",), False),
        ("{argocd.argoproj.io/hook: PostDelete}", True, (), False),
    ],
)
def test_hook_types(annotations: str, is_hook: bool, phases: tuple[str, ...], dropped: bool) -> None:
    info = hook_info(doc(annotations))
    assert (info.is_hook, info.sync_phases, info.dropped) == (is_hook, phases, dropped)


def test_skip_only_is_never_synced() -> None:
    info = hook_info(doc("{argocd.argoproj.io/hook: Skip}"))
    assert info.skip and not info.is_hook


def test_non_string_annotation_hides_every_annotation() -> None:
    assert hook_info(doc("{argocd.argoproj.io/hook: PreSync, other: 5}")) == NOT_A_HOOK
    assert wave_of(doc('{argocd.argoproj.io/sync-wave: "3", other: true}')).value == 0


def test_delete_policies_merge_argo_and_helm_and_default_to_bhc() -> None:
    info = hook_info(
        doc(
            "{argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: "
            '"HookSucceeded, Bogus", helm.sh/hook-delete-policy: hook-failed}'
        )
    )
    assert info.explicit_policies == {"HookSucceeded", "HookFailed"}
    assert hook_info(doc("{argocd.argoproj.io/hook: PreSync}")).delete_policies == {"BeforeHookCreation"}
    bogus = hook_info(doc("{argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: X}"))
    assert bogus.explicit_policies == set() and bogus.delete_policies == {"BeforeHookCreation"}


@pytest.mark.parametrize(
    ("annotations", "version", "delete_types"),
    [
        ("{argocd.argoproj.io/hook: PreDelete}", "3.3", ("PreDelete",)),
        ("{argocd.argoproj.io/hook: PreDelete}", "3.2", ()),
        ("{argocd.argoproj.io/hook: PostDelete}", "2.10", ("PostDelete",)),
        ("{argocd.argoproj.io/hook: PostDelete}", "2.9", ()),
        ('{argocd.argoproj.io/hook: "PostSync,PostDelete"}', "3.5", ("PostDelete",)),
        ('{argocd.argoproj.io/hook: "PostSync,PostDelete"}', "3.4", ("PostDelete",)),  # 3.3.3, #26420
        ('{argocd.argoproj.io/hook: "PostSync,PostDelete"}', "3.3.2", ()),
        ("{helm.sh/hook: post-delete}", "3.4", ("PostDelete",)),
        ("{helm.sh/hook: pre-delete}", "3.2", ()),
    ],
)
def test_delete_hooks_by_version(annotations: str, version: str, delete_types: tuple[str, ...]) -> None:
    assert hook_info(doc(annotations), ArgoVersion.parse(version)).delete_types == delete_types


@pytest.mark.parametrize(
    ("annotations", "wave", "source"),
    [
        ('{argocd.argoproj.io/sync-wave: "-2"}', -2, "sync-wave"),
        ('{argocd.argoproj.io/sync-wave: "1.5", helm.sh/hook-weight: "4"}', 4, "hook-weight"),
        ('{argocd.argoproj.io/sync-wave: "x", helm.sh/hook-weight: "y"}', 0, "default"),
        ('{helm.sh/hook-weight: "-5"}', -5, "hook-weight"),
        ("{}", 0, "default"),
    ],
)
def test_wave(annotations: str, wave: int, source: str) -> None:
    result = wave_of(doc(annotations))
    assert (result.value, result.source) == (wave, source)


@given(st.text(alphabet="+-0123456789٣²_. x", max_size=25))
def test_atoi_agrees_with_its_go_grammar(value: str) -> None:
    import re

    if re.fullmatch(r"[+-]?[0-9]+", value, re.ASCII) is None:
        assert atoi(value) is None
    else:
        digits = value.lstrip("+-").lstrip("0") or "0"
        number = -int(digits) if value.startswith("-") else int(digits)
        assert atoi(value) == (number if -(2**63) <= number < 2**63 else None)
