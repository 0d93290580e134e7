"""Which interchange files there are, in which order, and which other export formats.

Each domain app registers its resources here from its AppConfig.ready(), the way models register
with the admin, so the engine and its commands never import a domain app:

    registry.register("actors", ActorResource, order=10)              # actors.csv / actors.xlsx
    registry.register_export("bibtex", write_bibtex, file_name="sources.bib")

The order is the import order: a file may only refer to records of files before it (and to itself,
for actor parents and metal groups, whose rows must come after the rows they refer to). Nothing may
read the registry at import time (a module-level `STEMS = registry.stems()`): it is filled when the
apps are ready.
"""

from dataclasses import dataclass
from operator import attrgetter

from django.core.exceptions import ImproperlyConfigured

# The formats every registered file is exported in; register_export adds the others.
FILE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class InterchangeFile:
    stem: str  # "actors" → actors.csv / actors.xlsx
    resource: type  # an interchange.resources.InterchangeResource
    order: int  # its place in the import order, lowest first


@dataclass(frozen=True)
class Export:
    write: object  # write() -> str: the whole file's text
    file_name: str


_files = {}
_exports = {}


def register(stem, resource_class, *, order):
    """Make `stem`.csv / `stem`.xlsx an interchange file read and written by `resource_class`."""
    if stem in _files:
        raise ImproperlyConfigured(f"The interchange file {stem!r} is registered twice.")
    if any(file.order == order for file in _files.values()):
        raise ImproperlyConfigured(f"Two interchange files have the import order {order}.")
    _files[stem] = InterchangeFile(stem=stem, resource=resource_class, order=order)


def files():
    """Every registered file, in import order."""
    return sorted(_files.values(), key=attrgetter("order"))


def stems():
    """("actors", "sources", …) in import order."""
    return tuple(file.stem for file in files())


def file_names():
    """("actors.csv", "sources.csv", …) in import order."""
    return tuple(f"{stem}.csv" for stem in stems())


def register_export(name, write, *, file_name):
    """Offer `export_data --format name`: `write()` returns the text of `file_name`."""
    if name in _exports or name in FILE_FORMATS:
        raise ImproperlyConfigured(f"The export format {name!r} is registered twice.")
    _exports[name] = Export(write=write, file_name=file_name)


def export_formats():
    """("csv", "xlsx", then the registered formats in the order they were registered)."""
    return (*FILE_FORMATS, *_exports)


def export(name):
    """The registered Export of a format other than csv and xlsx."""
    return _exports[name]
