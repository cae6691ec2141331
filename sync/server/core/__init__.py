"""Configuration and security primitives of the backend."""
