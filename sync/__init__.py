"""Sync between registers and the central backend (protocol, client, server): see issue 3."""
