"""The text of a document a curator uploads for a source: plain text, a saved web page (its
article, without navigation and boilerplate, by trafilatura) or a PDF (its text layer, by pypdf).

Pure: bytes in, text out, or DocumentError with a message for the curator; no database. The text
comes out as the source's text field stores it (core.text). See docs/extraction.md, "Documents".
"""

import email
import email.policy
import io

import pypdf
import trafilatura
from django.template.defaultfilters import filesizeformat
from pypdf.errors import DependencyError

from core.text import LONG_TEXT_MAX, normalise_long_text

#: What the upload takes, for the form's help text and the refusals.
ACCEPTED = "plain text (UTF-8), a saved web page (.html or .mhtml) or a PDF with a text layer"

_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MHTML_NAMES = (".mhtml", ".mht")
_MHTML_TYPES = ("multipart/related", "message/rfc822", "application/x-mimearchive")


class DocumentError(ValueError):
    """A file whose text cannot be taken: its message says why, to the curator."""


def check_size(size, *, name, max_size):
    """Refuse a file of `size` bytes over `max_size`, before anything reads it."""
    if size > max_size:
        raise DocumentError(
            f"The file {name} is {filesizeformat(size)}; a document may be at most "
            f"{filesizeformat(max_size)}. Upload a part of it, or paste its text."
        )


def document_text(content, *, name, content_type="", max_size):
    """The text of the document `content` (bytes), named `name` and sent as `content_type`.

    1. Over `max_size` bytes: refused.
    2. A PDF (by its header, whatever its name): the text of its pages' text layer.
    3. A saved web page (by its name, type or opening tag; an .mhtml archive's HTML part): the
       article's text.
    4. Anything else must be UTF-8 text (a BOM is dropped; UTF-16 with a BOM is read too).
    5. The text is normalised as every long text is (core.text) and may not be empty or longer
       than a source's text may be.
    """
    check_size(len(content), name=name, max_size=max_size)
    lowered, content_type = name.lower(), content_type.split(";")[0].strip().lower()
    if b"%PDF-" in content[:1024]:
        text = _pdf_text(content, name)
    elif lowered.endswith(".pdf") or content_type == "application/pdf":
        raise DocumentError(f"The file {name} is not a readable PDF: it has no PDF header.")
    elif lowered.endswith(_MHTML_NAMES) or content_type in _MHTML_TYPES:
        text = _html_text(_mhtml_page(content, name), name)
    elif lowered.endswith(_HTML_NAMES) or content_type in _HTML_TYPES or _looks_like_html(content):
        _refuse_binary(content, name)
        text = _html_text(content, name)
    else:
        text = _plain_text(content, name)
    text = normalise_long_text(text).strip()
    if not text:
        raise DocumentError(f"The file {name} holds no text.")
    if len(text) > LONG_TEXT_MAX:
        raise DocumentError(
            f"The text of {name} has {len(text):,} characters; a source's text holds at most "
            f"{LONG_TEXT_MAX:,}. Upload a part of the document, or paste an excerpt."
        )
    return text


def _not_a_document(name):
    return DocumentError(
        f"The file {name} is not a document this page can read: upload {ACCEPTED}."
    )


def _refuse_binary(content, name):
    # Text files hold no NUL (but UTF-16, which has a BOM); almost every binary file does.
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _not_a_document(name)


def _plain_text(content, name):
    _refuse_binary(content, name)
    encoding = "utf-16" if content.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise _not_a_document(name) from None


def _looks_like_html(content):
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _html_text(html, name):
    # trafilatura reads the page's bytes itself, so its declared charset is honoured.
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True)
    except Exception:  # a third-party parser on an uploaded file: any failure is the file's
        text = None
    if not text or not text.strip():
        raise DocumentError(
            f"Found no article text in the web page {name}: a page its scripts fill in may be "
            "saved empty. Save it again once it has loaded, or paste its text."
        )
    return text


def _mhtml_page(content, name):
    """The HTML part of a web page saved as one file (.mhtml, "Webpage, Single File")."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() in _HTML_TYPES:
            payload = part.get_payload(decode=True)
            if payload:
                return payload
    raise DocumentError(f"The file {name} is not a saved web page: it holds no HTML page.")


def _pdf_text(content, name):
    encrypted = DocumentError(
        f"The PDF {name} is encrypted: save a copy without its password and upload that, or "
        "paste its text."
    )
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        # One encrypted with an empty password (permissions only) opens as in any PDF viewer.
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except DependencyError:
        # AES encryption, which pypdf reads only with a cryptography library.
        raise encrypted from None
    except Exception:  # pypdf's own errors and whatever a malformed file makes its parser raise
        raise DocumentError(f"The file {name} is not a readable PDF.") from None
    if not "".join(pages).strip():
        raise DocumentError(
            f"The PDF {name} has no text layer (it is probably a scan): run it through text "
            "recognition (OCR) first, or paste its text."
        )
    return "\n\n".join(page.strip() for page in pages if page.strip())
