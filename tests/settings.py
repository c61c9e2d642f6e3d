"""Settings for the test suite: fixed test keys, a fast password hasher, the database from
DATABASE_URL (SQLite by default, PostgreSQL in CI)."""

import os
import tempfile

os.environ.setdefault("PAINPATH_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("PAINPATH_FIELD_KEYS", "ouV5Aflg8u2xBqW9NsSPP5GZQEWxAuOfy6wrnLsomNM=")
os.environ.setdefault("PAINPATH_PSEUDONYM_KEY", "test-pseudonym-key-0123456789")
os.environ.setdefault("PAINPATH_DATA_DIR", tempfile.mkdtemp(prefix="painpath-test-"))
os.environ.setdefault(
    "PAINPATH_ENV_FILE", "/nonexistent/.env"
)  # a developer's .env must not leak in

from painpath.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True  # serve app assets without collectstatic, as in `make demo`
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
