"""The learning app's pages, one module per concept."""
