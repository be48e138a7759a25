"""Pages of the closed loop, one module per audience."""
