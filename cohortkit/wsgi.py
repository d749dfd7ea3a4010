import os

from django.core.wsgi import get_wsgi_application

from cohortkit.gc_freeze import FreezeAfterWarmUp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohortkit.settings")
# The planner's and selector's matrix products are small: one BLAS thread is several
# times faster than a pool that spins on a shared machine; processes give parallelism.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Long-lived objects frozen out of the garbage collector's way (cohortkit/gc_freeze.py).
application = FreezeAfterWarmUp(get_wsgi_application())
