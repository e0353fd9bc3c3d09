"""HL005 unknown-sync-option."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.checks.sync_options import RESOURCE_OPTIONS, item_problem
from tests.conftest import lint_text

VALID = [f"{key}={value}" for key, values in RESOURCE_OPTIONS.items() for value in values]


def config_map(options: str, extra: str = "") -> str:
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-options: "{options}"
{extra}data: {{}}
"""


def messages(text: str) -> list[str]:
    return [f"{f.line}:{f.column} {f.message}" for f in lint_text(text, ("HL005",)).findings]


@pytest.mark.parametrize("option", VALID)
def test_every_resource_option_is_accepted(option: str) -> None:
    assert messages(config_map(option)) == []


def test_all_valid_together_with_spaces_empty_items_and_duplicates() -> None:
    text = config_map(" Validate=false , ,PruneLast=true,PruneLast=true,, Replace=true ,Force=true")
    assert messages(text) == []


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ("prune=false", 'write "Prune=false"'),
        ("Prune=False", 'write "Prune=false"'),
        ("Prune = false", "write \"Prune=false\" (no spaces around '=')"),
        ("Prune= confirm", "no spaces around '='"),
        ("serversideapply=true", 'write "ServerSideApply=true"'),
        ("PruneLast", "has no value: Argo CD reads only PruneLast=true"),
        (
            "Prune=no",
            "has a value Argo CD does not read: it reads only Prune=false, Prune=confirm, Prune=true",
        ),
        ("CreateNamespace=true", "is an Application sync option"),
        ("ApplyOutOfSyncOnly=true", "is an Application sync option"),
        ("PrunePropagationPolicy=background", "is an Application sync option"),
        ("RespectIgnoreDifferences=true", "is an Application sync option"),
        ("FailOnSharedResource=true", "is an Application sync option"),
        ("ClientSideApplyMigration=false", "is an Application sync option"),
        ("createnamespace=true", "looks like the Application sync option CreateNamespace"),
        ("Replace=false", "does nothing"),
        ("Validate=true", "does nothing"),
        ("PruneLast=false", "does nothing"),
        ("Foo=bar", "is not a sync option Argo CD knows on a resource"),
    ],
)
def test_problem_items(item: str, fragment: str) -> None:
    [msg] = messages(config_map(item))
    assert msg.startswith("6:38 ")
    assert f'sync option "{item.strip()}" on ConfigMap/settings' in msg
    assert fragment in msg


def test_each_bad_item_is_its_own_finding() -> None:
    msgs = messages(config_map("Prune=false,prune=false,CreateNamespace=true,Validate=false"))
    assert len(msgs) == 2


def test_first_prune_item_wins() -> None:
    [msg] = messages(config_map("Prune=true,Prune=false"))
    assert '"Prune=false" on ConfigMap/settings is ignored, because Argo CD uses the first Prune= item' in msg


def test_server_side_apply_false_wins() -> None:
    [msg] = messages(config_map("ServerSideApply=true,ServerSideApply=false"))
    assert '"ServerSideApply=true" on ConfigMap/settings is ignored' in msg


def test_empty_value_says_nothing() -> None:
    assert messages(config_map("")) == []
    assert messages(config_map(" , ")) == []


def test_never_applied_resource_is_not_reported() -> None:
    text = config_map("prune=false", '    argocd.argoproj.io/hook: "Presync"\n')
    assert [f.code for f in lint_text(text).findings] == ["HL003"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(VALID), st.randoms(use_true_random=False))
def test_any_other_casing_is_flagged_with_the_right_spelling(option: str, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    variant = "".join(ch.upper() if rnd.random() < 0.5 else ch.lower() for ch in option)
    problem = item_problem(variant)
    if variant == option:
        assert problem is None
    else:
        assert problem is not None and f'write "{option}"' in problem


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcPrunLstVlidFoe=, ", max_size=25))
def test_item_problem_never_raises_and_accepts_exactly_the_valid(item: str) -> None:
    item = item.strip()
    problem = item_problem(item)
    assert (problem is None) == (item in VALID)


def _job(options: str, hook: str = "") -> str:
    hook_line = f"    argocd.argoproj.io/hook: {hook}\n" if hook else ""
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n"
        f"{hook_line}    argocd.argoproj.io/sync-options: {options}\n"
        "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
    )


@pytest.mark.parametrize("item", ["Prune=false", "Prune=confirm", "PruneLast=true"])
def test_prune_options_on_a_hook_do_nothing(item: str) -> None:
    [finding] = lint_text(_job(item, "PreSync"), select=("HL005",)).findings
    assert (finding.line, finding.column) == (7, 38)
    assert finding.message == (
        f'sync option "{item}" on hook Job/j does nothing: Argo CD never prunes hooks (they are '
        "deleted by their delete policy); remove it"
    )
    assert lint_text(_job(item), select=("HL005",)).findings == []  # not a hook: it acts


def test_delete_false_acts_on_hooks() -> None:
    assert lint_text(_job("Delete=false", "PostSync"), select=("HL005",)).findings == []


def test_replace_without_force_on_a_plain_job() -> None:
    [finding] = lint_text(_job("Replace=true"), select=("HL005",)).findings
    assert finding.line == 6 and finding.message.startswith(
        'sync option "Replace=true" on Job/j without "Force=true": a changed Job still fails'
    )
    for fine in (_job("Replace=true,Force=true"), _job("Replace=true", "Sync")):
        assert lint_text(fine, select=("HL005",)).findings == []
    other = _job("Replace=true").replace("kind: Job", "kind: ConfigMap").replace("batch/v1", "v1")
    assert lint_text(other, select=("HL005",)).findings == []
