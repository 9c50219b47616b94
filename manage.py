#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
    # manage.py is the developer's tool: debug unless DJANGO_DEBUG=0 says otherwise. The
    # servers (wsgi, Celery) default to production and need DJANGO_SECRET_KEY.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
