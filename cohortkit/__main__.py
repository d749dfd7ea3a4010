"""The `cohortkit` console command: Django's management commands, with dashed names.

`cohortkit select-applicants ...` runs the `select_applicants` management command, so the
documented interfaces read naturally while the commands stay ordinary Django ones.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohortkit.settings")
    # The planner's and selector's matrix products are small: one BLAS thread is several
    # times faster than a pool that spins on a shared machine; processes give parallelism.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "cohortkit"
    from django.core.management import execute_from_command_line  # noqa: PLC0415 — after the environment above is set

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
