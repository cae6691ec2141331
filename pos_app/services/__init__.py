"""Use cases of the register. Each public call is one transaction and returns what changed."""
