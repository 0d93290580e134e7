"""WSGI entry point, used by gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their models and modules) lives as long as the worker.
# Frozen out of the garbage collector's reach, it is no longer walked by every full collection:
# a page that judges thousands of claims triggers one every other request, and each took ~30 ms
# walking these objects (docs/performance.md). Python's documentation of gc.freeze() recommends
# it for servers that fork workers, where it also keeps memory pages shared.
gc.freeze()
