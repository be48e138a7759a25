"""The people routers: one per concept."""
