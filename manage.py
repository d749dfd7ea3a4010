#!/usr/bin/env python
"""Django's manage.py; `cohortkit` (installed into .venv) does the same with dashed names."""

from cohortkit.__main__ import main

if __name__ == "__main__":
    main()
