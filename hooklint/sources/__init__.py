"""Where manifests come from: discovery and reading of files (later: Helm, Kustomize, Applications)."""
