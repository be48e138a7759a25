"""Wangge: party-building-led, grid-based grassroots governance for an urban district."""
