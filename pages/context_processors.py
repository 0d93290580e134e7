"""The data version in every template: base.html's footer says "Data as of …"."""

from django.utils.functional import SimpleLazyObject

from core import dataversion


def data_version(request):
    # Lazy: the admin's pages never show it, so they never read it.
    return {"data_version": SimpleLazyObject(lambda: dataversion.of_request(request))}
