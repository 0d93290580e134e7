"""Give a user a role: curator (edits and imports) or reader (views and exports), or take it away.

    python manage.py grant_role alice curator
    python manage.py grant_role bob reader
    python manage.py grant_role bob none        # back to no admin access

A role is membership of the Curators or Readers group (made by claims/migrations/0004_roles.py) and
staff status, which the admin needs to let anyone in. A user has one role at a time. Superusers are
made with `createsuperuser`, not here.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLES = {"curator": "Curators", "reader": "Readers"}


class Command(BaseCommand):
    help = "Make a user a curator or a reader (or neither), with staff status to reach the admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*ROLES, "none"])

    @transaction.atomic
    def handle(self, *args, username, role, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                f"No user '{username}': create one with `createsuperuser` or in the admin."
            ) from None
        groups = {name: Group.objects.get(name=name) for name in ROLES.values()}
        user.groups.remove(*groups.values())
        if role == "none":
            user.is_staff = user.is_superuser
            user.save(update_fields=["is_staff"])
            self.stdout.write(f"{username} has no role now.")
            return
        user.groups.add(groups[ROLES[role]])
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} is a {role} now."))
