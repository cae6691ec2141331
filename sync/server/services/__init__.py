"""Use cases of the backend, one transaction each (or one per event, per batch).

Routers and the CLI call these; they never open transactions of their own.
"""
