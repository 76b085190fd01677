"""The embedded demo: a local Sipstory-like server and a session-only keyring."""
