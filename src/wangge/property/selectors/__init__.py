"""Reads of Red Property, always through the caller's scope: officials their subtree (by the
compound's community code), a company's accounts their own company (`records.py`); the reports
and the platform page compose these (`reports.py`, `platform.py`)."""
