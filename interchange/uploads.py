"""Where the admin keeps an uploaded file between its preview and its confirmation.

django-import-export saves each previewed upload in the system's temporary folder and the
confirmation reads it back. Here the uploads live in a folder of their own,
settings.IMPORT_PREVIEW_DIR, as files named `preview-<random>`, and:

1. A confirmation claims its upload by renaming it, which only one request can do: a second click
   or a resubmitted form finds it claimed or gone and says so, so nothing is imported twice. A
   confirmation that fails (the database was busy) puts the upload back to be confirmed again.
2. A preview with nothing to confirm (its file has problems) deletes its upload at once.
3. Uploads never confirmed are deleted when older than settings.IMPORT_PREVIEW_MAX_AGE seconds, on
   every new upload and by `manage.py clear_import_previews`. Only files of that folder with that
   prefix are ever deleted.
"""

import os
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

PREFIX = "preview-"
# A claimed upload: being imported by one confirmation.
CLAIMED = ".confirming"
_NAME = re.compile(rf"^{PREFIX}[A-Za-z0-9_-]{{22}}$")


class UploadGone(Exception):
    """The upload was imported by an earlier confirmation, or expired."""


class UploadClaimed(Exception):
    """Another confirmation of the same preview is importing the upload right now."""


def is_upload_name(name):
    """Whether `name` is one `PreviewUpload.save` makes (and so names nothing else on disk)."""
    return bool(_NAME.match(name))


def folder():
    return Path(settings.IMPORT_PREVIEW_DIR)


class PreviewUpload:
    """One uploaded file waiting for its confirmation; `name` goes in the preview's form."""

    def __init__(self, name):
        if not is_upload_name(name):
            raise ValueError(f"not a preview upload: {name!r}")
        self.name = name
        self.path = folder() / name
        self.claimed_path = folder() / (name + CLAIMED)

    @classmethod
    def save(cls, chunks):
        """Write an upload's chunks to a new file (readable by this user only) and return it."""
        remove_expired()
        folder().mkdir(mode=0o700, parents=True, exist_ok=True)
        upload = cls(PREFIX + secrets.token_urlsafe(16))
        descriptor = os.open(upload.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        return upload

    def read(self):
        # django-import-export's import_action reads the preview's upload through this.
        return self.path.read_bytes()

    def remove(self):
        self.path.unlink(missing_ok=True)

    @contextmanager
    def claimed(self):
        """The upload's bytes, held for this confirmation alone (see the module docstring).

        Deleted when the block ends normally; put back when it raises, for another try.
        """
        try:
            os.rename(self.path, self.claimed_path)
        except FileNotFoundError:
            raise (UploadClaimed if self.claimed_path.exists() else UploadGone)() from None
        try:
            yield self.claimed_path.read_bytes()
        except BaseException:
            os.rename(self.claimed_path, self.path)
            raise
        self.claimed_path.unlink()


def remove_expired(*, max_age=None):
    """Delete the uploads older than `max_age` seconds (IMPORT_PREVIEW_MAX_AGE); return how many.

    A claimed one too: no confirmation runs for longer than a web worker may (minutes), so one that
    old was left by a worker that was killed.
    """
    max_age = settings.IMPORT_PREVIEW_MAX_AGE if max_age is None else max_age
    cutoff = time.time() - max_age
    removed = 0
    for path in folder().glob(PREFIX + "*"):
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # confirmed or removed by another request meanwhile
    return removed
