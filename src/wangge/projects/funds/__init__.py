"""The projects' funds: allocations, budget lines, disbursements, the ledger and its disclosure."""
