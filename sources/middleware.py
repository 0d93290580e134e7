"""Refuse requests whose path or query string holds a NUL character, with 400 Bad Request.

No page has a use for one, and PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes"),
so a `?status=%00` or `/metals/%00/` would otherwise reach a query and end as a server error. Form
fields already refuse NUL (Django's ProhibitNullCharactersValidator).
"""

from django.http import HttpResponseBadRequest


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
