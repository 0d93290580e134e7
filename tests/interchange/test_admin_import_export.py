"""Import and export in the admin: the same reader and checks as import_data, a preview before any
write, exports that follow the changelist's filters, and import only for users who may add.

Users:
- `admin_client`: the superuser, who may do anything;
- a staff user with only the view permissions: may look and export, never import.
"""

from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from claims.models import Claim, Metal, Question
from interchange.formats import read_table
from sources.models import Actor, Source
from tests.conftest import make_claim, make_source
from tests.import_helpers import DATA, row_counts

pytestmark = pytest.mark.django_db

MODELS = [Actor, Source, Metal, Question, Claim]
CSV, XLSX = "0", "1"  # the import and export formats' positions on the forms


def url(model, action):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")


def upload(client, model, path_or_bytes, name=None, file_format=CSV):
    content = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    name = name or getattr(path_or_bytes, "name", "file.csv")
    return client.post(
        url(model, "import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(url(model, "process_import"), {**form.initial, "confirm": "1"})


@pytest.fixture
def viewer_client(client, django_user_model):
    # Staff with only the view permissions: sees every changelist, may not import.
    user = django_user_model.objects.create_user(
        "viewer", "viewer@example.org", "pw", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_has_import_and_export_buttons(admin_client, model):
    response = admin_client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert url(model, "import").encode() in response.content
    assert url(model, "export").encode() in response.content


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_user_who_may_only_view_cannot_import(viewer_client, model):
    changelist = viewer_client.get(url(model, "changelist"))

    assert changelist.status_code == 200
    assert url(model, "import").encode() not in changelist.content
    assert url(model, "export").encode() in changelist.content
    assert viewer_client.get(url(model, "import")).status_code == 403
    assert viewer_client.post(url(model, "process_import"), {}).status_code == 403


def test_the_preview_shows_what_would_change_and_saves_nothing(admin_client):
    before = row_counts()

    response = upload(admin_client, Actor, DATA / "curator" / "actors.csv")

    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert b"3 to create, 0 to update, 0 unchanged." in response.content
    assert row_counts() == before


def test_confirming_the_preview_imports_the_file(admin_client):
    preview = upload(admin_client, Actor, DATA / "curator" / "actors.csv")

    response = confirm(admin_client, Actor, preview)

    assert response.status_code == 302
    ministry = Actor.objects.get(slug="ministry-of-industry-kazakhstan")
    assert ministry.parent.slug == "government-of-kazakhstan"


def test_the_same_file_again_is_previewed_as_unchanged(admin_client):
    confirm(admin_client, Actor, upload(admin_client, Actor, DATA / "curator" / "actors.csv"))

    response = upload(admin_client, Actor, DATA / "curator" / "actors.csv")

    assert b"0 to create, 0 to update, 3 unchanged." in response.content


def test_the_preview_names_every_bad_row_and_offers_nothing_to_confirm(admin_client):
    make_source(slug="eurasian-times-2025-09-palve")
    before = row_counts()

    response = upload(admin_client, Claim, DATA / "bad_rows" / "claims.csv")

    assert "confirm_form" not in response.context
    problems = [str(problem) for problem in response.context["result"].problems]
    assert "line 3, column source: source 'tass-2025' does not exist" in problems
    assert "line 4, column value: value 'abc' is not a number" in problems
    assert "line 5, column unit: unit 'tonnes' is unknown — did you mean 't'?" in problems
    assert len(problems) == 9
    assert "Nothing can be imported: 9 problems" in response.content.decode()
    assert "line 5, column unit: unit &#x27;tonnes&#x27; is unknown" in response.content.decode()
    assert row_counts() == before


def test_the_preview_reports_missing_and_unknown_columns(admin_client):
    response = upload(admin_client, Actor, DATA / "bad_columns" / "actors.csv")

    assert "confirm_form" not in response.context
    assert [str(p) for p in response.context["result"].problems] == [
        "line 1: missing required column 'kind'",
        "line 1: unknown column 'colour' — did you mean 'country'?",
    ]


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("latin1", "the file is not UTF-8 text (byte 0xe3 on line 2)"),
        ("binary", "the file is not a text file (it holds binary data)"),
    ],
)
def test_a_file_that_cannot_be_read_gets_its_reason_on_the_form(admin_client, folder, message):
    before = row_counts()

    response = upload(admin_client, Actor, DATA / folder / "actors.csv")

    assert message in response.context["form"].errors["import_file"][0]
    assert row_counts() == before


def test_a_file_too_large_is_refused_with_its_name_as_it_is(admin_client, settings):
    # The admin capitalises a message's first letter: the file's name must not come first.
    settings.IMPORT_MAX_UPLOAD_SIZE = 1000
    content = (DATA / "curator" / "actors.csv").read_bytes() * 10

    response = upload(admin_client, Actor, content, name="big12.csv")

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"The file big12.csv is {filesizeformat(len(content))}; an import file may be at most "
        f"{filesizeformat(1000)}. Split it, or import it with `python manage.py import_data` on "
        "the server."
    ]
    page = admin_client.get(response["Location"]).content.decode()
    assert "The file big12.csv is " in page
    assert "Big12.csv" not in page
    assert not Actor.objects.exists()


def test_semicolons_and_a_byte_order_mark_are_read_as_on_the_command_line(admin_client):
    preview = upload(admin_client, Actor, DATA / "semicolon" / "actors.csv")
    confirm(admin_client, Actor, preview)
    preview = upload(admin_client, Actor, DATA / "bom_crlf" / "actors.csv")
    confirm(admin_client, Actor, preview)

    assert Actor.objects.get(slug="new-agency").aliases == "AN;l'Agence\nNA"
    assert Actor.objects.filter(slug="kazinform-news").exists()


def test_an_xlsx_upload_imports(admin_client, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["slug", "name", "kind"])
    book.active.append(["xlsx-actor", "From a workbook", "media"])
    book.save(tmp_path / "actors.xlsx")

    preview = upload(admin_client, Actor, tmp_path / "actors.xlsx", file_format=XLSX)
    confirm(admin_client, Actor, preview)

    assert Actor.objects.get(slug="xlsx-actor").kind == "media"


# --------------------------------------------------------------------------- export


def export(client, model, query="", file_format=CSV):
    response = client.post(url(model, "export") + query, {"resource": "0", "format": file_format})
    assert response.status_code == 200, response.content[:500]
    return response


def exported_keys(response, key="ref"):
    return sorted(row[key] for row in read_table(response.content).dict)


def test_an_export_follows_the_changelists_filters_and_search(admin_client):
    palve = make_source(slug="palve")
    make_claim(ref="draft-one", status="draft", source=palve, quote="Rare earths rise.")
    make_claim(ref="draft-two", status="draft", quote="Tungsten falls.")
    make_claim(ref="checked-one", status="checked", source=palve, quote="Rare earths fall.")

    assert exported_keys(export(admin_client, Claim)) == ["checked-one", "draft-one", "draft-two"]
    assert exported_keys(export(admin_client, Claim, "?status__exact=draft")) == [
        "draft-one",
        "draft-two",
    ]
    assert exported_keys(export(admin_client, Claim, "?q=rare")) == ["checked-one", "draft-one"]
    assert exported_keys(export(admin_client, Claim, "?source=palve&status__exact=draft")) == [
        "draft-one"
    ]


def test_the_export_page_keeps_the_filters_of_the_changelist(admin_client):
    changelist = admin_client.get(url(Claim, "changelist") + "?status__exact=draft")

    assert (url(Claim, "export") + "?status__exact=draft").encode() in changelist.content


def test_a_csv_download_opens_in_excel_and_is_safe(admin_client):
    make_claim(
        ref="formula", quote='=HYPERLINK("x")', qualifier="exact", value=Decimal(-5), unit="%"
    )

    response = export(admin_client, Claim)

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    assert "formula,source-" in text and ',\'=HYPERLINK(""x""),\'' not in text
    assert "'=HYPERLINK" in text and ",exact,-5,," in text


def test_an_xlsx_download_re_imports_unchanged(admin_client):
    make_claim(
        ref="xlsx-claim", quote="@all: -5 %", qualifier="exact", value=Decimal("-5.5"), unit="%"
    )

    response = export(admin_client, Claim, file_format=XLSX)
    preview = upload(admin_client, Claim, response.content, name="claims.xlsx", file_format=XLSX)

    assert b"0 to create, 0 to update, 1 unchanged." in preview.content


def test_a_viewer_may_export(viewer_client):
    make_claim(ref="visible")

    assert exported_keys(export(viewer_client, Claim)) == ["visible"]
