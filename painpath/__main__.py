"""The `painpath` console script: Django's management commands, with errors said plainly.

`painpath keys` works before anything is configured: it prints fresh keys for a `.env`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if argv[1:2] == ["keys"]:
        from painpath.records.identity import generate_env_keys

        print(generate_env_keys())
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        print(f"Konfigurationsfel: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(
            f"Databasfel: {error}\n"
            "Kontrollera DATABASE_URL och att databasen är uppsatt: kör `painpath migrate`.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("Avbrutet. Inget av det påbörjade har sparats.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
