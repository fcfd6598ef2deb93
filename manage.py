#!/usr/bin/env python
import os
import sys


def _needs_servers(argv: list[str]) -> bool:
    # Help and version only print.
    return len(argv) > 1 and argv[1] not in {"help", "version", "--version"} and not {"--help", "-h"} & set(argv[1:])


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import execute_from_command_line

    if _needs_servers(argv):
        from config import services

        django.setup()  # settings first: a checkout without SECRET_KEY fails before anything is started
        services.start_embedded()
    execute_from_command_line(argv)


if __name__ == "__main__":
    main(sys.argv)
