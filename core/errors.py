"""The answer to a request that failed with an exception: 503 for a busy database, else 500.

On SQLite a writer that waited settings.SQLITE_BUSY_TIMEOUT seconds behind long imports (a login
saving its session, a curator saving a form) fails with "database is locked". Its transaction
rolled back, so it changed nothing: it says that, and asks to be tried again, rather than report
a server fault. It is the handler500 view (project/urls.py) because the failure can come from a
middleware's response phase (the session is saved there), which no process_exception sees.
Imports say it in their own words (interchange/admin.py).
"""

import sys

from django.http import HttpResponse
from django.views import defaults

from .locks import is_busy

# Seconds a client is asked to wait before it tries again a request the busy database refused.
BUSY_RETRY_AFTER = 30


def server_error(request):
    if is_busy(sys.exc_info()[1]):
        response = HttpResponse(
            "The database is busy with a long import: nothing was saved. Try again in a minute.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return defaults.server_error(request)
