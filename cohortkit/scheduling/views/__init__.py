"""The scheduling app's pages, one module per concept. Each begins with `run_for` and a
check from courses.permissions."""
