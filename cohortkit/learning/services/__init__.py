"""Every state change of the learning app (one module per concept)."""
