"""Every write of Red Property, by concept: compounds and their committees (`compounds.py`),
companies, their accounts, services, staff and backstops (`companies.py`), party work (`party.py`)."""
