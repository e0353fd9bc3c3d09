"""HL003, HL004, HL104, HL106, HL107: hook annotation values as Argo CD reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.argocd.annotations import hook_info
from hooklint.argocd.version import ArgoVersion
from hooklint.config import Config
from hooklint.sources.files import load_bytes
from tests.conftest import codes_lines, lint_text

HOOK_RULES = ("HL003", "HL004", "HL104", "HL106", "HL107")


def job(annotations: str, name: str = "name: db-migrate") -> str:
    """A Job whose annotation lines start on line 6."""
    return f"""apiVersion: batch/v1
kind: Job
metadata:
  {name}
  annotations:
{annotations}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: example/main:1.0
"""


def ann(**pairs: str) -> str:
    keys = {
        "hook": "argocd.argoproj.io/hook",
        "policy": "argocd.argoproj.io/hook-delete-policy",
        "helm": "helm.sh/hook",
        "helm_policy": "helm.sh/hook-delete-policy",
        "weight": "helm.sh/hook-weight",
        "wave": "argocd.argoproj.io/sync-wave",
    }
    return "\n".join(f'    {keys[k]}: "{v}"' for k, v in pairs.items())


def run(text: str, select: tuple[str, ...] = HOOK_RULES, version: str | None = None) -> list[str]:
    config = Config(argocd_version=ArgoVersion.parse(version)) if version else None
    report = lint_text(text, select, config=config)
    return [f"{f.code}:{f.line}:{f.column} {f.message}" for f in report.findings]


def only(text: str, code: str, version: str | None = None) -> list[str]:
    return [m for m in run(text, version=version) if m.startswith(code)]


# -- HL003 unknown-hook-type ------------------------------------------------------------


def test_typo_alone_means_never_applied_at_value_position() -> None:
    [msg] = run(job(ann(hook="Presync")))
    assert msg.startswith("HL003:6:30 ")
    assert '"Presync" is not a hook type (did you mean "PreSync"?' in msg
    assert "never applies it" in msg


@pytest.mark.parametrize(
    ("value", "guess"),
    [
        ("presync", "PreSync"),
        ("POSTSYNC", "PostSync"),
        ("PostSynch", "PostSync"),
        ("syncfail", "SyncFail"),
        ("post_sync", "PostSync"),
        ("skip", "Skip"),
        ("Pre Delete", "PreDelete"),
    ],
)
def test_suggestions(value: str, guess: str) -> None:
    [msg] = only(job(ann(hook=value)), "HL003")
    assert f'did you mean "{guess}"?' in msg


def test_helm_value_in_argo_annotation_names_the_argo_type() -> None:
    [msg] = only(job(ann(hook="pre-install")), "HL003")
    assert '"pre-install" is a helm.sh/hook value (the Argo CD type is "PreSync")' in msg


def test_unrelated_word_lists_the_types() -> None:
    [msg] = only(job(ann(hook="Banana")), "HL003")
    assert "the types are PreSync, Sync, PostSync, SyncFail, Skip, PreDelete, PostDelete" in msg


def test_invalid_next_to_valid_names_the_remaining_type() -> None:
    [msg] = only(job(ann(hook="PreSync,Presynch")), "HL003")
    assert "Argo CD ignores it: the resource is a PreSync hook" in msg
    assert "never applies" not in msg


@pytest.mark.parametrize("value", ["PreSync, PostSync", " PreSync ", "PreSync,,PreSync", "PreSync ,PreSync"])
def test_whitespace_empty_items_and_duplicates_are_fine(value: str) -> None:
    assert only(job(ann(hook=value)), "HL003") == []


@pytest.mark.parametrize("value", ["", " ", ",", " , "])
def test_empty_value_is_a_hook_of_no_type(value: str) -> None:
    [msg] = only(job(ann(hook=value)), "HL003")
    assert "is empty" in msg and "never applies it" in msg


def test_invalid_argo_value_falls_back_to_helm() -> None:
    [msg] = only(job(ann(hook="Presync", helm="post-install")), "HL003")
    assert 'falls back to helm.sh/hook "post-install": the resource is a PostSync hook' in msg


def test_invalid_argo_and_unsupported_helm_is_one_finding() -> None:
    msgs = run(job(ann(hook="Presync", helm="test")))
    assert [m[:5] for m in msgs] == ["HL003"]
    assert '(and helm.sh/hook "test" maps to none)' in msgs[0]


def test_duplicate_bad_items_reported_once() -> None:
    [msg] = only(job(ann(hook="Presync, Presync")), "HL003")
    assert msg.count('"Presync" is not') == 1


@pytest.mark.parametrize(
    ("value", "version", "expected"),
    [
        ("PreDelete", "3.2", "needs Argo CD 3.3 or later (argocd-version is 3.2.0)"),
        ("PostDelete", "2.9.3", "needs Argo CD 2.10 or later"),
        ("PreSync,PreDelete", "3.3.2", "before Argo CD 3.3.3"),
        (" PostDelete", "3.3.0", "before Argo CD 3.3.3"),
        ("PostSync,PostDelete", "3.3.4", "takes delete hooks out of the sync, so PostSync is ignored"),
    ],
)
def test_version_gated_delete_types(value: str, version: str, expected: str) -> None:
    [msg] = only(job(ann(hook=value)), "HL003", version=version)
    assert expected in msg


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("PreDelete", "3.3"),
        ("PostDelete", "2.10"),
        ("PostSync,PostDelete", "3.3.5"),
        ("PostSync,PostDelete", "3.4"),
        (" PostDelete", "3.3.3"),
        ("PreDelete", "latest"),
    ],
)
def test_delete_types_the_version_reads(value: str, version: str) -> None:
    assert only(job(ann(hook=value)), "HL003", version=version) == []


def test_version_gated_drop_says_never_applied() -> None:
    [msg] = only(job(ann(hook="PreDelete")), "HL003", version="3.2")
    assert "never applies it" in msg


def test_unreadable_annotations_are_hl001s() -> None:
    text = job('    argocd.argoproj.io/hook: "Presync"\n    argocd.argoproj.io/sync-wave: 1')
    assert only(text, "HL003") == []


# -- HL004 unknown-delete-policy ----------------------------------------------------------


def test_policy_typo_falls_back_to_default() -> None:
    [msg] = run(job(ann(hook="PreSync", policy="HookSuceeded")))
    assert msg.startswith("HL004:7:")
    assert 'did you mean "HookSucceeded"?' in msg
    assert "the default, BeforeHookCreation" in msg


def test_policy_helm_spelling_in_argo_annotation() -> None:
    [msg] = only(job(ann(hook="PreSync", policy="hook-succeeded")), "HL004")
    assert 'did you mean "HookSucceeded"?' in msg


def test_policy_argo_spelling_in_helm_annotation_with_union() -> None:
    [msg] = only(job(ann(helm="pre-install", policy="HookFailed", helm_policy="HookSucceeded")), "HL004")
    assert msg.startswith("HL004:8:")
    assert 'did you mean "hook-succeeded"?' in msg
    assert "the hook's delete policy is HookFailed" in msg


@pytest.mark.parametrize(
    "value", ["", " , ", "HookSucceeded, HookSucceeded", " BeforeHookCreation ,HookFailed"]
)
def test_policy_empty_duplicates_and_spaces_are_fine(value: str) -> None:
    assert only(job(ann(hook="PreSync", policy=value)), "HL004") == []


def test_policy_on_non_hook_or_dropped_is_left_to_other_rules() -> None:
    assert only(job(ann(policy="HookSuceeded")), "HL004") == []
    assert only(job(ann(hook="Presync", policy="HookSuceeded")), "HL004") == []


def test_both_families_bad_give_two_findings() -> None:
    msgs = only(job(ann(hook="PreSync", policy="Never", helm_policy="always")), "HL004")
    assert [m.split(" ")[0] for m in msgs] == ["HL004:7:44", "HL004:8:33"]


# -- HL104 skip-combined-with-hook-types ---------------------------------------------------


def test_skip_with_phase() -> None:
    [msg] = run(job(ann(hook="Skip, PreSync")))
    assert msg.startswith("HL104:6:30 ") and "as a PreSync hook" in msg


@pytest.mark.parametrize("value", ["Skip", "Skip,Skip", "Skip,Bogus", "Skip,PreDelete"])
def test_skip_alone_or_with_non_phase_items(value: str) -> None:
    assert only(job(ann(hook=value)), "HL104") == []


# -- HL106 unsupported-helm-hook ------------------------------------------------------------


@pytest.mark.parametrize("value", ["test", "test-success", "pre-rollback", "post-rollback,test", ""])
def test_unsupported_helm_hook(value: str) -> None:
    msgs = run(job(ann(helm=value)))
    assert len(msgs) == 1 and msgs[0].startswith("HL106:6:19 ")
    assert "never applies it" in msgs[0]


@pytest.mark.parametrize(
    "value", ["crd-install", "pre-install,test", "post-upgrade", "pre-delete", "post-delete"]
)
def test_supported_helm_hook(value: str) -> None:
    assert only(job(ann(helm=value)), "HL106") == []


@pytest.mark.parametrize("value", ["crd-install ", "crd-install,test"])
def test_crd_install_only_as_whole_value(value: str) -> None:
    [msg] = only(job(ann(helm=value)), "HL106")
    assert "makes a normal resource only as the whole value" in msg


def test_helm_pre_delete_before_3_3() -> None:
    [msg] = only(job(ann(helm="pre-delete")), "HL106", version="3.2")
    assert '"pre-delete" needs Argo CD 3.3 or later' in msg


def test_helm_hook_with_argo_key_is_hl003s() -> None:
    assert only(job(ann(hook="Bogus", helm="test")), "HL106") == []


# -- HL107 mixed-helm-and-argocd-hooks -------------------------------------------------------


def test_mixed_reports_on_the_helm_annotation_with_merges() -> None:
    text = job(ann(hook="PreSync", helm="post-install", helm_policy="hook-succeeded", weight="5"))
    [msg] = only(text, "HL107")
    assert msg.startswith("HL107:7:19 ")
    assert "ignores the Helm types: the resource is a PreSync hook" in msg
    assert "still merges into its delete policies (HookSucceeded)" in msg
    assert 'helm.sh/hook-weight "5" still sets its wave (5)' in msg


def test_mixed_agreeing_types_say_so_and_weight_overridden_by_wave() -> None:
    [msg] = only(job(ann(hook="PreSync", helm="pre-install", weight="5", wave="1")), "HL107")
    assert "(they agree here)" in msg
    assert "hook-weight" not in msg


def test_mixed_with_only_delete_type_takes_helm_sync_types() -> None:
    [msg] = only(job(ann(hook="PostDelete", helm="post-install")), "HL107")
    assert "also reads helm.sh/hook: the resource is a PostSync and PostDelete hook" in msg


def test_mixed_skip() -> None:
    [msg] = only(job(ann(hook="Skip", helm="pre-install")), "HL107")
    assert "skips the resource" in msg


def test_mixed_with_no_valid_argo_type_is_hl003s() -> None:
    assert only(job(ann(hook="Presync", helm="pre-install")), "HL107") == []


# -- the shared "never applied" rule -------------------------------------------------------


NEVER_APPLIED = [
    job(ann(hook="Presync", policy="HookFailed")),
    job(ann(helm="test", helm_policy="hook-succeeded")),
    job(ann(hook="PreDelete", policy="HookFailed")),  # with argocd-version 3.2
]


@pytest.mark.parametrize("text", NEVER_APPLIED)
def test_never_applied_gets_only_the_never_applied_finding(text: str) -> None:
    report = lint_text(text, config=Config(argocd_version=ArgoVersion.parse("3.2")))
    codes = {f.code for f in report.findings}
    assert codes in ({"HL003"}, {"HL106"}), codes_lines(report)


HOOK_VALUES = st.lists(
    st.sampled_from(
        ["PreSync", "presync", "Sync", "PostSync", "SyncFail", "Skip", "PreDelete", "PostDelete", "X", " "]
    ),
    max_size=4,
).map(",".join)
HELM_VALUES = st.lists(
    st.sampled_from(["pre-install", "post-upgrade", "pre-delete", "post-delete", "test", "crd-install", " "]),
    max_size=3,
).map(",".join)
POLICY_VALUES = st.lists(
    st.sampled_from(["HookSucceeded", "HookFailed", "BeforeHookCreation", "hook-succeeded", "Never", " "]),
    max_size=3,
).map(",".join)


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(st.none(), HOOK_VALUES),
    st.one_of(st.none(), HELM_VALUES),
    st.one_of(st.none(), POLICY_VALUES),
    st.sampled_from(["latest", "2.9", "3.2", "3.3.2", "3.3.4", "3.4"]),
)
def test_never_applied_is_reported_exactly_once(
    hook: str | None, helm: str | None, policy: str | None, version: str
) -> None:
    pairs = {k: v for k, v in (("hook", hook), ("helm", helm), ("policy", policy)) if v is not None}
    if not pairs:
        return
    text = job(ann(**pairs))
    report = lint_text(text, config=Config(argocd_version=ArgoVersion.parse(version)))
    [doc] = load_bytes(text.encode(), "t.yaml").documents
    dropped = hook_info(doc, ArgoVersion.parse(version)).dropped
    never = [f.code for f in report.findings if "never applies it" in f.message]
    if dropped:
        assert len(never) == 1
        assert {f.code for f in report.findings} <= {"HL003", "HL106"}
    else:
        assert never == []
