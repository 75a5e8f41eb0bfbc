"""A password hasher with a real cost, for timing tests (the suite otherwise uses MD5 for speed)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CostlyHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_costly"
    iterations = 60_000
