"""The text of an uploaded document (sources.documents), from real files made here."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from core.text import LONG_TEXT_MAX
from sources.documents import DocumentError, document_text

LIMIT = 10 * 1024 * 1024

ARTICLE = [
    "China accounts for about 91 per cent of the world's refined rare earth output, according "
    "to the International Energy Agency.",
    "Russia plans to produce 2,000 tonnes of rare earth oxides by 2030, the ministry said in a "
    "statement on Tuesday.",
    "Analysts expect demand for neodymium magnets to triple over the next decade as electric "
    "vehicles spread.",
]


def web_page(sentences=ARTICLE):
    """A saved news page: the article between a site's navigation, menus and footer."""
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in sentences)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Rare earths</title></head><body>"
        "<nav><ul><li><a href='/'>Homepage</a></li><li><a href='/subscribe'>Subscribe to our "
        "newsletter</a></li><li><a href='/markets'>Marketwatch</a></li></ul></nav>"
        "<header><div class='menu'>Menu Login Register</div></header>"
        f"<main><article><h1>China's grip on rare earths</h1>{paragraphs}</article></main>"
        "<footer><p>Copyright 2025 Example Media. All rights reserved. Privacy policy. Cookie "
        "settings.</p></footer></body></html>"
    ).encode()


# The words only the page's navigation, menus and footer hold.
BOILERPLATE = ["Homepage", "Subscribe", "Marketwatch", "Login", "Copyright", "Cookie"]


def pdf_with_text(*lines):
    """A one-page PDF whose text layer holds `lines` (ASCII, no parentheses), written by hand."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    pdf += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return pdf


def pdf_from(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    return pdf_from(writer)


def encrypted_pdf(user_password="secret", *lines):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text(*lines or ["Secret."]))))
    writer.encrypt(user_password, owner_password="owner")
    return pdf_from(writer)


# A PNG's opening bytes and some of its data: a file that is no document.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + bytes(200)


def text_of(content, name, content_type="", max_size=LIMIT):
    return document_text(content, name=name, content_type=content_type, max_size=max_size)


def test_it_keeps_a_web_pages_article_and_drops_its_navigation_and_footer():
    text = text_of(web_page(), "page.html", "text/html")
    for sentence in ARTICLE:
        assert sentence in text
    for word in BOILERPLATE:
        assert word not in text


def test_it_knows_a_web_page_by_its_opening_tag_whatever_its_name():
    text = text_of(web_page(), "download", "application/octet-stream")
    assert ARTICLE[0] in text
    assert "Homepage" not in text


def test_it_reads_a_web_page_saved_as_one_file():
    # What a browser's "Webpage, Single File" writes: the page, quoted-printable, in a MIME archive.
    page = web_page().decode().replace("<p>", "<p>\n")
    mhtml = (
        "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n\r\n'
        "------B\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: https://example.org/news\r\n\r\n{page.replace('=', '=3D')}\r\n"
        "------B--\r\n"
    ).encode()
    text = text_of(mhtml, "news.mhtml")
    assert ARTICLE[1] in text
    assert "Subscribe" not in text


def test_it_honours_a_web_pages_declared_charset():
    page = web_page(["Der Anteil Chinas beträgt über 90 Prozent der weltweiten Verarbeitung."])
    latin = page.decode().replace("charset='utf-8'", "charset='iso-8859-1'").encode("latin-1")
    assert "beträgt über 90 Prozent" in text_of(latin, "seite.htm")


def test_it_reads_plain_text_as_the_text_field_stores_it():
    content = "\ufeffFirst line.\r\nSecond line,\x07 with a bell.\r\n".encode()
    # The BOM goes, CR LF becomes a line feed, a control character a space (core.text); the ends
    # are trimmed.
    assert text_of(content, "notes.txt", "text/plain") == "First line.\nSecond line,  with a bell."
    assert text_of("Zwei Sätze.".encode("utf-16"), "utf16.txt") == "Zwei Sätze."


def test_it_reads_a_pdfs_text_layer():
    pdf = pdf_with_text("Russia produced 2,600 tonnes of rare earths in 2024.", "Second line.")
    text = text_of(pdf, "report.pdf", "application/pdf")
    assert text == "Russia produced 2,600 tonnes of rare earths in 2024.\nSecond line."


def test_it_knows_a_pdf_by_its_header_whatever_its_name():
    assert text_of(pdf_with_text("A report."), "report.txt", "text/plain") == "A report."


def test_it_reads_a_pdf_encrypted_with_an_empty_password_as_any_viewer_does():
    # Permissions only (no printing, no copying): every PDF viewer opens it without a password.
    assert text_of(encrypted_pdf("", "Open to all."), "open.pdf") == "Open to all."


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            encrypted_pdf(),
            "locked.pdf",
            "The PDF locked.pdf is encrypted: save a copy without its password and upload "
            "that, or paste its text.",
        ),
        (
            blank_pdf(),
            "scan.pdf",
            "The PDF scan.pdf has no text layer (it is probably a scan): run it through text "
            "recognition (OCR) first, or paste its text.",
        ),
        (
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R",
            "broken.pdf",
            "The file broken.pdf is not a readable PDF.",
        ),
        (
            b"PK\x03\x04 a zip, not a PDF",
            "fake.pdf",
            "The file fake.pdf is not a readable PDF: it has no PDF header.",
        ),
        (
            PNG,
            "photo.png",
            "The file photo.png is not a document this page can read: upload plain text (UTF-8), "
            "a saved web page (.html or .mhtml) or a PDF with a text layer.",
        ),
        (
            "Ein Satz in Latin-1: äöü.".encode("latin-1"),
            "latin.txt",
            "The file latin.txt is not a document this page can read: upload plain text (UTF-8), "
            "a saved web page (.html or .mhtml) or a PDF with a text layer.",
        ),
        (
            b"<html><body><script>render()</script></body></html>",
            "app.html",
            "Found no article text in the web page app.html: a page its scripts fill in may be "
            "saved empty. Save it again once it has loaded, or paste its text.",
        ),
        (b" \r\n\t ", "empty.txt", "The file empty.txt holds no text."),
    ],
    ids=[
        "encrypted",
        "no-text-layer",
        "broken-pdf",
        "not-a-pdf",
        "binary",
        "not-utf8",
        "no-article",
        "empty",
    ],
)
def test_it_refuses_a_file_it_cannot_take_text_from(content, name, message):
    with pytest.raises(DocumentError) as refused:
        text_of(content, name)
    assert str(refused.value) == message


def test_it_refuses_a_file_over_the_limit_before_reading_it():
    with pytest.raises(DocumentError) as refused:
        text_of(b"x" * 3000, "long.txt", max_size=2048)
    assert str(refused.value) == (
        # filesizeformat keeps a figure and its unit together (a no-break space).
        "The file long.txt is 2.9\xa0KB; a document may be at most 2.0\xa0KB. Upload a part of it, or "
        "paste its text."
    )


def test_it_refuses_a_text_longer_than_a_source_holds():
    with pytest.raises(DocumentError) as refused:
        text_of(b"x" * (LONG_TEXT_MAX + 1), "huge.txt")
    assert str(refused.value) == (
        f"The text of huge.txt has {LONG_TEXT_MAX + 1:,} characters; a source's text holds at "
        f"most {LONG_TEXT_MAX:,}. Upload a part of the document, or paste an excerpt."
    )
