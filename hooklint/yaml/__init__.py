"""YAML as go-yaml v2 reads it: the event reader, positions, line breaks, the nesting guard."""
