"""hooklint: a linter for Argo CD hook and sync-wave mistakes in Kubernetes manifests."""

__version__ = "0.1.0"
