"""What Argo CD reads: annotations, hook types, waves, the sync plan, versions."""
