"""Reads of people and organisations, always through the caller's scope."""
