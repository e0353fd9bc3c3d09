"""Helm charts as Argo CD renders them: ``helm template`` run safely, findings on template lines."""
