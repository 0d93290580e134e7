"""A first history row for every record that existed before history was kept.

Without it, the metals created by 0002_metals (and any row of a database older than 0003_history)
would have no version to compare a change with or to revert to. Rows that already have history are
left alone, so running this on a database created from scratch adds only the seeded metals.
"""

from django.db import migrations
from django.utils import timezone

TRACKED = (
    ("sources", "Actor", ()),
    ("sources", "Source", ()),
    ("claims", "Metal", ("members",)),
    ("claims", "Question", ("subjects", "metals")),
    ("claims", "Claim", ("about", "metals")),
)
CHUNK = 2000


def forward(apps, schema_editor):
    now = timezone.now()
    for app_label, model_name, m2m_names in TRACKED:
        Model = apps.get_model(app_label, model_name)
        History = apps.get_model(app_label, f"Historical{model_name}")
        fields = [field.attname for field in Model._meta.concrete_fields]
        rows = Model.objects.exclude(pk__in=History.objects.values("id")).order_by("pk")
        chunk = []
        for obj in rows.iterator(chunk_size=CHUNK):
            chunk.append(obj)
            if len(chunk) == CHUNK:
                _baseline(apps, app_label, model_name, m2m_names, History, fields, chunk, now)
                chunk = []
        if chunk:
            _baseline(apps, app_label, model_name, m2m_names, History, fields, chunk, now)


def _baseline(apps, app_label, model_name, m2m_names, History, fields, objects, now):
    history_rows = History.objects.bulk_create(
        History(
            history_date=now,
            history_type="+",
            history_change_reason="history started (record existed before history was kept)",
            **{name: getattr(obj, name) for name in fields},
        )
        for obj in objects
    )
    history_by_pk = {row.id: row for row in history_rows}
    Model = apps.get_model(app_label, model_name)
    for name in m2m_names:
        field = Model._meta.get_field(name)
        through = field.remote_field.through
        own_fk = field.m2m_field_name()
        M2MHistory = apps.get_model(app_label, f"Historical{model_name}_{name}")
        through_fields = [f.attname for f in through._meta.concrete_fields]
        links = through.objects.filter(**{f"{own_fk}__in": list(history_by_pk)})
        M2MHistory.objects.bulk_create(
            M2MHistory(
                history=history_by_pk[getattr(link, f"{own_fk}_id")],
                **{attname: getattr(link, attname) for attname in through_fields},
            )
            for link in links
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_history"),
        ("claims", "0004_roles"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
