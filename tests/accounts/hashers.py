"""A real PBKDF2 hasher, slow enough for timing tests to see a hash but cheaper than the
production cost (the test settings' MD5 is too fast to tell a hash from none)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class MeasurablePBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 300_000
