"""The password hasher of the test process."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2(PBKDF2PasswordHasher):
    """Production's algorithm with a thousandth of its iterations: a user made or logged in costs a millisecond, not
    a quarter of a second. Its hashes still verify in the real servers some tests start (gunicorn, Celery), which
    have production's hashers: PBKDF2 reads the iteration count from the stored hash."""

    iterations = 1_000
