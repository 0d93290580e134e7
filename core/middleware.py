"""The project's two middlewares: NUL characters in the address, and PUBLIC_PAGES_REQUIRE_LOGIN.

`RejectNulMiddleware` refuses requests whose path or query string holds a NUL character, with 400
Bad Request. No page has a use for one, and PostgreSQL refuses NUL in text ("cannot contain NUL
(0x00) bytes"), so a `?status=%00` or `/metals/%00/` would otherwise reach a query and end as a
server error. Form fields already refuse NUL (Django's ProhibitNullCharactersValidator).

`PublicPagesLoginMiddleware`: when PUBLIC_PAGES_REQUIRE_LOGIN is on, every public page asks for a
login first. A middleware rather than a decorator on each view, so a page added later cannot be
forgotten. The admin (its own staff login), the login and logout pages and static files are left
alone.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.urls import reverse


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("Bad request: the address holds a NUL character.")
        return self.get_response(request)


class PublicPagesLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PUBLIC_PAGES_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not outside_public_pages(request.path)
        ):
            return redirect_to_login(request.get_full_path(), reverse("login"))
        return self.get_response(request)


def outside_public_pages(path):
    """The admin, the login and logout pages and static files: the addresses that are not public
    pages (also those whose reads never go to a read replica, core.replicas)."""
    prefixes = (
        reverse("admin:index"),
        reverse("login"),
        reverse("logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )
    return path.startswith(prefixes)
