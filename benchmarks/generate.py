"""Generate a deterministic, realistic GitOps monorepo for benchmarks and tests.

``python benchmarks/generate.py OUT --documents 10000 --files 1000`` writes
``OUT/apps/<team>/<app>/<kind>.yaml`` files holding a mix of Deployments,
Services, ConfigMaps, Secrets, ServiceAccounts, Ingresses, CronJobs and hook
Jobs with sync waves, about as big and as nested as real manifests.  A few
deliberate mistakes (non-integer waves, hooks without delete policies, a
Job without backoffLimit) make sure rules fire.  The same arguments always
give byte-identical output (a seeded ``random.Random``; no clock, no hash
order).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TEAMS = ("payments", "search", "identity", "platform", "data", "web", "mobile", "billing")
IMAGES = ("nginx:1.27", "ghcr.io/acme/api:v2.14.3", "redis:7.2", "postgres:16", "busybox:1.36")


def _labels(app: str, indent: str) -> str:
    return (
        f"{indent}app.kubernetes.io/name: {app}\n"
        f"{indent}app.kubernetes.io/part-of: monorepo\n"
        f"{indent}app.kubernetes.io/managed-by: argocd\n"
    )


def _meta(kind_app: str, app: str, ns: str, annotations: dict[str, str]) -> str:
    out = f"metadata:\n  name: {kind_app}\n  namespace: {ns}\n  labels:\n{_labels(app, '    ')}"
    if annotations:
        out += "  annotations:\n" + "".join(f"    {k}: {v}\n" for k, v in annotations.items())
    return out


def _container(rng: random.Random, name: str, indent: str) -> str:
    i = indent
    image = rng.choice(IMAGES)
    port = rng.choice((80, 8080, 8443, 9090))
    return (
        f"{i}- name: {name}\n"
        f"{i}  image: {image}\n"
        f"{i}  imagePullPolicy: IfNotPresent\n"
        f'{i}  args: ["--port={port}", "--log-level=info"]\n'
        f"{i}  ports:\n{i}    - containerPort: {port}\n{i}      protocol: TCP\n"
        f"{i}  env:\n"
        f"{i}    - name: APP_ENV\n{i}      value: production\n"
        f"{i}    - name: DB_PASSWORD\n{i}      valueFrom:\n{i}        secretKeyRef:\n"
        f"{i}          name: {name}-db\n{i}          key: password\n"
        f"{i}  resources:\n{i}    requests:\n{i}      cpu: 100m\n{i}      memory: 128Mi\n"
        f"{i}    limits:\n{i}      cpu: '1'\n{i}      memory: 512Mi\n"
        f"{i}  readinessProbe:\n{i}    httpGet:\n{i}      path: /healthz\n{i}      port: {port}\n"
        f"{i}    initialDelaySeconds: 5\n{i}    periodSeconds: 10\n"
    )


def deployment(rng: random.Random, app: str, ns: str, wave: str | None) -> str:
    ann = {"argocd.argoproj.io/sync-wave": wave} if wave is not None else {}
    return (
        "apiVersion: apps/v1\nkind: Deployment\n"
        + _meta(app, app, ns, ann)
        + f"spec:\n  replicas: {rng.randint(1, 5)}\n  selector:\n    matchLabels:\n"
        + f"      app.kubernetes.io/name: {app}\n  template:\n    metadata:\n      labels:\n"
        + _labels(app, "        ")
        + f"    spec:\n      serviceAccountName: {app}\n      containers:\n"
        + _container(rng, app, "        ")
    )


def service(rng: random.Random, app: str, ns: str) -> str:
    return (
        "apiVersion: v1\nkind: Service\n"
        + _meta(app, app, ns, {})
        + f"spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: {app}\n"
        + f"  ports:\n    - name: http\n      port: 80\n      targetPort: {rng.choice((8080, 9090))}\n"
    )


def configmap(rng: random.Random, app: str, ns: str, wave: str | None) -> str:
    ann = {"argocd.argoproj.io/sync-wave": wave} if wave is not None else {}
    keys = "".join(f'  FEATURE_{n}: "{rng.choice(("on", "off"))}"\n' for n in range(rng.randint(3, 8)))
    return (
        "apiVersion: v1\nkind: ConfigMap\n"
        + _meta(f"{app}-config", app, ns, ann)
        + "data:\n"
        + keys
        + "  app.properties: |\n    server.port=8080\n    cache.ttl=300\n"
    )


def secret(rng: random.Random, app: str, ns: str) -> str:
    return (
        "apiVersion: v1\nkind: Secret\n"
        + _meta(f"{app}-db", app, ns, {"argocd.argoproj.io/sync-wave": '"-1"'})
        + "type: Opaque\nstringData:\n  password: change-me\n"
        + f"  username: {app}\n"
    )


def service_account(rng: random.Random, app: str, ns: str) -> str:
    return "apiVersion: v1\nkind: ServiceAccount\n" + _meta(app, app, ns, {})


def ingress(rng: random.Random, app: str, ns: str) -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        + _meta(app, app, ns, {"nginx.ingress.kubernetes.io/ssl-redirect": '"true"'})
        + f"spec:\n  ingressClassName: nginx\n  rules:\n    - host: {app}.example.com\n"
        + "      http:\n        paths:\n          - path: /\n            pathType: Prefix\n"
        + f"            backend:\n              service:\n                name: {app}\n"
        + "                port:\n                  number: 80\n"
    )


def hook_job(rng: random.Random, app: str, ns: str, n: int) -> str:
    hook = rng.choice(("PreSync", "PreSync", "PostSync", "Sync"))
    ann = {"argocd.argoproj.io/hook": hook}
    roll = rng.random()
    if roll < 0.8:
        ann["argocd.argoproj.io/hook-delete-policy"] = "BeforeHookCreation"
    if roll < 0.5:
        ann["argocd.argoproj.io/sync-wave"] = f'"{rng.randint(-2, 3)}"'
    elif roll > 0.97:
        ann["argocd.argoproj.io/sync-wave"] = '"1.5"'  # a deliberate mistake
    backoff = "" if rng.random() < 0.1 else "  backoffLimit: 2\n"
    return (
        "apiVersion: batch/v1\nkind: Job\n"
        + _meta(f"{app}-migrate-{n}", app, ns, ann)
        + "spec:\n"
        + backoff
        + "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
        + _container(rng, "migrate", "        ")
    )


def cronjob(rng: random.Random, app: str, ns: str) -> str:
    return (
        "apiVersion: batch/v1\nkind: CronJob\n"
        + _meta(f"{app}-cleanup", app, ns, {})
        + 'spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      template:\n'
        + "        spec:\n          restartPolicy: OnFailure\n          containers:\n"
        + _container(rng, "cleanup", "            ")
    )


def generate_documents(rng: random.Random, app: str, ns: str, count: int, serial: int) -> list[str]:
    """``count`` documents for one app, in a realistic proportion of kinds."""
    docs: list[str] = []
    n = 0
    while len(docs) < count:
        pick = rng.random()
        wave = None if rng.random() < 0.6 else f'"{rng.randint(-1, 5)}"'
        if pick < 0.25:
            docs.append(deployment(rng, f"{app}-{n}" if n else app, ns, wave))
        elif pick < 0.45:
            docs.append(service(rng, f"{app}-{n}" if n else app, ns))
        elif pick < 0.60:
            docs.append(configmap(rng, f"{app}-{n}" if n else app, ns, wave))
        elif pick < 0.68:
            docs.append(secret(rng, f"{app}-{n}" if n else app, ns))
        elif pick < 0.76:
            docs.append(service_account(rng, f"{app}-{n}" if n else app, ns))
        elif pick < 0.84:
            docs.append(ingress(rng, f"{app}-{n}" if n else app, ns))
        elif pick < 0.92:
            docs.append(hook_job(rng, app, ns, serial * 1000 + n))
        else:
            docs.append(cronjob(rng, f"{app}-{n}" if n else app, ns))
        n += 1
    return docs


def generate(out: Path, documents: int = 10_000, files: int = 1_000, seed: int = 7) -> list[Path]:
    """Write the tree; return the files written, in order."""
    if files < 1 or documents < files:
        raise ValueError("need at least one file and at least one document per file")
    rng = random.Random(seed)
    written: list[Path] = []
    per_app = 5  # files per application folder
    for number in range(files):
        team = TEAMS[number % len(TEAMS)]
        app = f"{team}-svc{number // (per_app * len(TEAMS))}"
        folder = out / "apps" / team / app
        folder.mkdir(parents=True, exist_ok=True)
        count = documents // files + (1 if number < documents % files else 0)
        docs = generate_documents(rng, app, team, count, number)
        path = folder / f"part-{number % per_app}.yaml"
        path.write_text("---\n".join(docs), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    written = generate(args.out, args.documents, args.files, args.seed)
    print(f"wrote {args.documents} documents in {len(written)} files under {args.out}")


if __name__ == "__main__":
    main()
