"""Writes to people and organisations, one module per concept."""
