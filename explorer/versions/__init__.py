"""Versions of a policy kept in a store: which are stored, which is current, what changed."""
