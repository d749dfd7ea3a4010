"""How passwords are stored: Argon2id at OWASP's recommended strength, not more.

Django 6.1's default is PBKDF2-SHA256 with 1,500,000 iterations: 0.34 s of CPU per hash on
our 2-core VM, spent on every sign-up, sign-in and password change. In a deadline rush (500
sign-ups in the last minutes) that alone took most of a core and made every other request
wait (docs/operations.md, "A deadline rush, measured"). Argon2id is memory-hard, so a GPU
or ASIC gains far less against it than against PBKDF2; OWASP's Password Storage Cheat Sheet
names it first, with 19 MiB of memory, 2 passes and 1 lane as the minimum. We use 32 MiB
and 2 passes (about 35 ms of CPU here, one core): above that minimum, and a tenth of
PBKDF2's cost. Django's own Argon2 defaults (100 MiB, 8 lanes) take both cores at once for
each hash and hold up every other request on a small machine.

Stored PBKDF2 hashes still verify (PBKDF2 stays in `PASSWORD_HASHERS`) and are re-hashed
with Argon2id at the person's next sign-in; so are Argon2 hashes with other parameters.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 32 * 1024  # KiB
    parallelism = 1
