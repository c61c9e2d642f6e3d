"""The `painpath` console script as a user runs it: a real process, a fresh database."""

import os
import subprocess
import sys

import pytest

from tests.factories import small_extract


def painpath(*args, tmp_path, **env):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "PAINPATH_DATA_DIR": str(tmp_path / "var"),
        "PAINPATH_ENV_FILE": str(tmp_path / "none.env"),
        "PAINPATH_SECRET_KEY": "cli-test",
        "PAINPATH_FIELD_KEYS": "ouV5Aflg8u2xBqW9NsSPP5GZQEWxAuOfy6wrnLsomNM=",
        "PAINPATH_PSEUDONYM_KEY": "cli-test-pseudonym-key",
        "DJANGO_SETTINGS_MODULE": "painpath.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "painpath", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_import_on_a_fresh_database_sets_up_the_schema_itself(tmp_path):
    result = painpath("import", str(small_extract(tmp_path / "x")), tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Databasen sätts upp" in result.stdout
    assert "contacts.csv (kontakter)" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["import", "/no/such/extract"], {}, "Inget importerades: /no/such/extract: finns inte"),
        (["import", "EXTRACT"], {"PAINPATH_PSEUDONYM_KEY": ""}, "PAINPATH_PSEUDONYM_KEY saknas"),
        (["import", "EXTRACT"], {"PAINPATH_FIELD_KEYS": "kort"}, "PAINPATH_FIELD_KEYS är ogiltig"),
        (["migrate"], {"PAINPATH_SECRET_KEY": ""}, "PAINPATH_SECRET_KEY saknas"),
        (["migrate"], {"PAINPATH_DEBUG": "kanske"}, "PAINPATH_DEBUG='kanske'"),
        (["demousers", "--clinic", "nope"], {}, "Ingen vårdcentral med koden 'nope'"),
    ],
)
def test_a_command_says_what_is_wrong_without_a_stack_trace(tmp_path, args, env, message):
    args = [str(small_extract(tmp_path / "x")) if a == "EXTRACT" else a for a in args]

    result = painpath(*args, tmp_path=tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_keys_prints_three_fresh_keys_without_any_configuration(tmp_path):
    result = painpath("keys", tmp_path=tmp_path, PAINPATH_SECRET_KEY="")

    names = [line.split("=", 1)[0] for line in result.stdout.splitlines()]
    assert names == ["PAINPATH_SECRET_KEY", "PAINPATH_FIELD_KEYS", "PAINPATH_PSEUDONYM_KEY"]
