"""The admin's import confirmation, sent again or tampered with, and the uploads it leaves behind.

A confirmation imports its preview's upload once (interchange/uploads.py): sent twice, after Back, for
an expired preview or with hidden fields that name nothing of ours, it says why and imports
nothing. An import's admin log is written in its transaction, so a failure there saves nothing
either. Previews with nothing to confirm delete their upload; expired ones are deleted later.

The curator is `admin_client` (the superuser). Every test has an uploads folder of its own.
"""

import datetime
import os
import time

import pytest
from django.contrib.admin.models import LogEntry, LogEntryManager
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from interchange import admin as admin_import
from interchange.resources import InterchangeResource
from interchange.uploads import CLAIMED, PreviewUpload
from sources.models import Actor, Source
from tests.conftest import make_actor
from tests.import_helpers import DATA, run

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:sources_actor_import")
PROCESS = reverse("admin:sources_actor_process_import")
CHANGELIST = reverse("admin:sources_actor_changelist")
ACTORS = (DATA / "curator" / "actors.csv").read_bytes()
ACTOR_SLUGS = ["government-of-kazakhstan", "ministry-of-industry-kazakhstan", "kazinform-news"]


@pytest.fixture(autouse=True)
def previews(settings, tmp_path):
    settings.IMPORT_PREVIEW_DIR = tmp_path / "previews"
    return settings.IMPORT_PREVIEW_DIR


def files_in(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def preview(client, content=ACTORS, url=IMPORT):
    response = client.post(
        url, {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 200
    return response


def confirmation(preview_response):
    form = preview_response.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def confirm(client, fields):
    return client.post(PROCESS, {**fields, "confirm": "1"})


def last_message(response):
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@pytest.fixture
def imported():
    """What the actors file has written since the test began: its records, their history rows
    and the admin's log entries (other modules leave history rows behind)."""
    began = timezone.now()

    def counts():
        return (
            Actor.objects.filter(slug__in=ACTOR_SLUGS).count(),
            Actor.history.filter(history_date__gte=began).count(),
            LogEntry.objects.filter(content_type__model="actor", action_time__gte=began).count(),
        )

    return counts


def test_a_confirmation_imports_the_file_once_and_logs_it_once(admin_client, previews, imported):
    fields = confirmation(preview(admin_client))

    response = confirm(admin_client, fields)

    assert response.status_code == 302 and response["Location"] == CHANGELIST
    assert last_message(response) == (
        "Import finished: 3 new, 0 updated, 0 deleted and 0 skipped actors."
    )
    assert imported() == (3, 3, 3)
    assert files_in(previews) == []


def test_the_preview_says_until_when_it_can_be_confirmed(admin_client, settings):
    settings.IMPORT_PREVIEW_MAX_AGE = 2 * 3600
    in_two_hours = [timezone.now() + datetime.timedelta(hours=2)]
    response = preview(admin_client)
    in_two_hours.append(timezone.now() + datetime.timedelta(hours=2))

    shown = {f"This preview can be confirmed until {t:%H:%M} UTC" for t in in_two_hours}
    assert any(text in response.content.decode() for text in shown)


def test_a_file_that_went_bad_since_its_preview_imports_nothing(admin_client, previews):
    make_actor(slug="publisher")
    sources_csv = b"slug,title,kind,publisher\nreport,A report,report,publisher\n"
    fields = confirmation(
        preview(admin_client, sources_csv, reverse("admin:sources_source_import"))
    )
    Actor.objects.filter(slug="publisher").delete()  # meanwhile, in another curator's window

    response = admin_client.post(
        reverse("admin:sources_source_process_import"), {**fields, "confirm": "1"}
    )

    assert response["Location"] == reverse("admin:sources_source_import")
    assert last_message(response) == admin_import.CHANGED_SINCE_PREVIEW
    assert not Source.objects.filter(slug="report").exists()
    assert files_in(previews) == []


def test_a_confirmation_sent_again_imports_nothing_and_says_why(admin_client, previews, imported):
    fields = confirmation(preview(admin_client))
    confirm(admin_client, fields)

    response = confirm(admin_client, fields)  # Back, then Confirm again

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert last_message(response) == admin_import.CONFIRMED_OR_EXPIRED
    assert imported() == (3, 3, 3)


def test_a_second_click_while_the_first_imports_imports_nothing(admin_client, previews, imported):
    fields = confirmation(preview(admin_client))

    with PreviewUpload(fields["import_file_name"]).claimed():  # the first click's request
        response = confirm(admin_client, fields)
        assert files_in(previews) == [fields["import_file_name"] + CLAIMED]

    assert response.status_code == 302 and response["Location"] == CHANGELIST
    assert last_message(response) == admin_import.CONFIRMING_ALREADY
    assert imported() == (0, 0, 0)


@pytest.mark.parametrize(
    "tampered",
    [
        {"format": "9"},
        {"format": "abc"},
        {"format": "7"},
        {"format": "-1"},
        {"format": ""},
        {"resource": "9"},
        {"resource": "abc"},
        {"resource": "7"},
        {"import_file_name": "../../etc/passwd"},
        {"import_file_name": "tmpab12cd34"},
        {"import_file_name": ""},
    ],
)
def test_tampered_hidden_fields_import_nothing_and_leave_the_preview_confirmable(
    admin_client, previews, imported, tampered
):
    fields = confirmation(preview(admin_client))

    response = confirm(admin_client, {**fields, **tampered})

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert last_message(response) == admin_import.NOT_A_PREVIEW
    assert imported() == (0, 0, 0)
    assert confirm(admin_client, fields)["Location"] == CHANGELIST
    assert imported() == (3, 3, 3)


def test_a_failure_while_logging_the_import_saves_nothing(
    admin_client, previews, imported, monkeypatch
):
    # The log entries are the import's last write; written after its commit, a "database is
    # locked" there reported a saved import as a server error.
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    fields = confirmation(preview(admin_client))
    monkeypatch.setattr(LogEntryManager, "log_actions", locked)

    response = confirm(admin_client, fields)

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert last_message(response) == admin_import.BUSY_CONFIRMING
    assert imported() == (0, 0, 0)
    monkeypatch.undo()
    assert confirm(admin_client, fields)["Location"] == CHANGELIST  # the preview is kept
    assert imported() == (3, 3, 3)


def test_a_busy_database_during_a_preview_gets_a_message(admin_client, previews, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(InterchangeResource, "import_data", locked)

    response = admin_client.post(
        IMPORT, {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("a.csv", ACTORS)}
    )

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert last_message(response) == admin_import.BUSY_PREVIEWING
    assert files_in(previews) == []


def test_another_database_error_is_not_taken_for_a_busy_database(admin_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: sources_actor")

    fields = confirmation(preview(admin_client))
    monkeypatch.setattr(InterchangeResource, "import_data", broken)

    with pytest.raises(OperationalError, match="no such table"):
        confirm(admin_client, fields)


def test_a_preview_with_nothing_to_confirm_deletes_its_upload(admin_client, previews):
    response = preview(admin_client, (DATA / "bad_columns" / "actors.csv").read_bytes())
    assert "confirm_form" not in response.context
    response = preview(admin_client, (DATA / "binary" / "actors.csv").read_bytes())
    assert response.context["form"].errors

    assert files_in(previews) == []


def test_an_upload_is_readable_by_the_server_alone(admin_client, previews):
    fields = confirmation(preview(admin_client))

    assert previews.stat().st_mode & 0o777 == 0o700
    assert (previews / fields["import_file_name"]).stat().st_mode & 0o777 == 0o600


def test_a_preview_never_confirmed_is_deleted_by_a_later_upload(admin_client, previews, settings):
    settings.IMPORT_PREVIEW_MAX_AGE = 3600
    old = confirmation(preview(admin_client))["import_file_name"]
    an_hour_ago = time.time() - 3601
    os.utime(previews / old, (an_hour_ago, an_hour_ago))

    new = confirmation(preview(admin_client))

    assert files_in(previews) == [new["import_file_name"]]
    response = confirm(admin_client, {**new, "import_file_name": old})
    assert last_message(response) == admin_import.CONFIRMED_OR_EXPIRED


def test_the_command_deletes_expired_uploads_and_nothing_else(admin_client, previews, settings):
    settings.IMPORT_PREVIEW_MAX_AGE = 3600
    expired = confirmation(preview(admin_client))["import_file_name"]
    fresh = confirmation(preview(admin_client))["import_file_name"]
    claimed = confirmation(preview(admin_client))["import_file_name"] + CLAIMED
    os.rename(previews / claimed.removesuffix(CLAIMED), previews / claimed)
    stranger = previews / "notes.txt"  # not ours: never deleted, however old
    stranger.write_text("keep me")
    an_hour_ago = time.time() - 3601
    for name in (expired, claimed, stranger.name):
        os.utime(previews / name, (an_hour_ago, an_hour_ago))

    out, _, error = run("clear_import_previews")

    assert error is None
    assert out.startswith("2 import upload(s) deleted")
    assert files_in(previews) == sorted([fresh, "notes.txt"])

    out, _, _ = run("clear_import_previews", "--max-age", "0")
    assert files_in(previews) == ["notes.txt"]


def test_the_command_refuses_a_negative_max_age_and_deletes_nothing(admin_client, previews):
    upload = confirmation(preview(admin_client))["import_file_name"]

    _, _, error = run("clear_import_previews", "--max-age", "-60")

    assert str(error) == "--max-age must be 0 or more seconds, not -60."
    assert files_in(previews) == [upload]
