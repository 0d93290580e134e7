"""The two roles, as groups: Curators edit everything and import; Readers view and export.

1. Permissions are normally created after `migrate` finishes (post_migrate), too late for this
   migration on a fresh database, so they are created here first for the two apps.
2. Curators: add, change, delete and view every model of `sources` and `claims` (import needs
   "add", export "view": see IMPORT_EXPORT_*_PERMISSION_CODE in settings).
3. Readers: view every model (view-only admin, history, export).
A user is given a role with `python manage.py grant_role USER curator|reader` (README, Operations).
A model added later needs its permissions added to the groups by a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("sources", "claims")
MODELS = ("actor", "source", "metal", "question", "claim")
ROLES = {
    "Curators": ("add", "change", "delete", "view"),
    "Readers": ("view",),
}


def forward(apps, schema_editor):
    for label in APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{action}_{model}" for action in actions for model in MODELS]
        permissions = Permission.objects.filter(
            content_type__app_label__in=APPS, codename__in=codenames
        )
        assert permissions.count() == len(codenames), "missing permissions for a role"
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0002_history"),
        ("claims", "0003_history"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
