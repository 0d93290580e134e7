"""WSGI entry point, used by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from project.processes import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

application = get_wsgi_application()
freeze_loaded_objects()
