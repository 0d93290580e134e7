"""PUBLIC_PAGES_REQUIRE_LOGIN: when on, every public page asks for a login first.

A middleware rather than a decorator on each view, so a page added later cannot be forgotten. The
admin (its own staff login), the login and logout pages and static files are left alone.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class PublicPagesLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PUBLIC_PAGES_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not _exempt(request.path)
        ):
            return redirect_to_login(request.get_full_path(), reverse("login"))
        return self.get_response(request)


def _exempt(path):
    prefixes = (
        reverse("admin:index"),
        reverse("login"),
        reverse("logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )
    return path.startswith(prefixes)
