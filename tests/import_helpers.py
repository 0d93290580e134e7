"""Helpers for the import and export tests: the test files, table counts and a database snapshot."""

import io
import shutil
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source

DATA = Path(__file__).resolve().parent / "data" / "import"
NATURAL_KEYS = {Actor: "slug", Source: "slug", Metal: "symbol", Question: "slug", Claim: "ref"}


def row_counts():
    """Rows in every table of both apps, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("sources", "claims")
        for model in apps.get_app_config(app).get_models()
    }


def run(command, *args, **options):
    """Run a management command; return (stdout, stderr, the CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def copy_folder(name, tmp_path):
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def snapshot():
    """Every record of the five models as plain values: fields, foreign keys and many-to-many
    relations by natural key (users by username). Ids, timestamps and versions are left out: they
    are the database's own (a claim imported as checked is checked at the time of its import)."""
    data = {}
    for model, key in NATURAL_KEYS.items():
        records = {}
        for obj in model.objects.all():
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name in (
                    "created",
                    "updated",
                    "version",
                    "checked_at",
                ):
                    continue
                if field.is_relation:
                    related = getattr(obj, field.name)
                    values[field.name] = (
                        getattr(related, NATURAL_KEYS.get(field.related_model, "username"))
                        if related is not None
                        else None
                    )
                else:
                    values[field.name] = field.value_from_object(obj)
            for field in model._meta.many_to_many:
                related_key = NATURAL_KEYS[field.related_model]
                values[field.name] = sorted(
                    getattr(item, related_key) for item in getattr(obj, field.name).all()
                )
            records[getattr(obj, key)] = values
        data[model.__name__] = records
    return data


def delete_everything():
    """Empty the five tables, in an order PROTECT allows."""
    Claim.objects.all().delete()
    Question.objects.all().delete()
    Source.objects.all().delete()
    Actor.objects.update(parent=None)
    Actor.objects.all().delete()
    Metal.objects.all().delete()
