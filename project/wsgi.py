"""WSGI entry point, used by gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker. Frozen out
# of the garbage collector's reach, it is no longer walked by each full collection, which a page
# judging thousands of claims sets off every other request (~30 ms a time at a million claims:
# docs/performance.md).
gc.collect()
gc.freeze()
