"""HL304 app-of-apps-wave-without-health."""

from __future__ import annotations

from hooklint.argocd.health import APPLICATION, pattern_matches
from hooklint.argocd.resources import placement_path
from hooklint.argocd.syncplan import describe_step
from hooklint.argocd.version import ArgoVersion
from hooklint.check import Check, CheckContext, Related, Violation

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Argo CD 1.8 removed the built-in health check of argoproj.io/Application (argo-cd#3781).
HEALTH_REMOVED = ArgoVersion(1, 8, 0)


class AppOfAppsWaveWithoutHealth(Check):
    key = "app-of-apps-wave-without-health"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        if context.params.get("application-health"):
            return
        manifests = context.manifests
        if manifests.version < HEALTH_REMOVED:
            return
        group, kind = APPLICATION.split("/")
        if any(pattern_matches(p, group, kind) for p in manifests.health_checks):
            return  # argocd-cm (or the argo-cd chart's values) in the tree restores it
        plan = manifests.plan
        apps = [d for d in manifests.by_kind.get("Application", ()) if d.group == "argoproj.io"]
        if not apps or not plan.multi_step:
            return
        # The last step holding a resource with a wave written on it: only what comes
        # before it can be something a later, explicitly placed resource relies on.
        explicit = [t.step for t in plan.tasks if plan.of(t.doc).wave.source != "default"]
        last_explicit = max(explicit, default=None)
        for app in apps:
            resource = plan.of(app)
            tasks = resource.tasks
            if not tasks or resource.wave.source == "default":
                continue  # no wave written: nothing says the author expects ordering
            task = tasks[0]
            if resource.wave.value == 0 and (last_explicit is None or last_explicit <= task.step):
                continue  # "0" is the default: with no explicit wave after it, not an ordering intent
            nxt = plan.next_task(task)
            if nxt is None:
                continue  # the last step: nothing comes after it
            yield Violation(
                app,
                placement_path(app),
                f"{app.ref} in {describe_step(task)} is not the last step of the sync, but Argo CD "
                f"has no health check for Applications (since v1.8), so {plan.blocked_by(task)} does "
                "not wait for the child app; restore it in argocd-cm "
                "(resource.customizations.health.argoproj.io_Application) or do not rely on the waves",
                (
                    Related(
                        nxt.doc,
                        placement_path(nxt.doc),
                        f"{nxt.doc.ref} starts in {describe_step(nxt)} without waiting",
                    ),
                ),
            )
