"""Make sure a local admin account exists, and say how to log in.

For `make run` on a developer's machine: the first run creates the user `admin` with a random
password kept in `.admin-password` (ignored by git); later runs print the same password again.
Set ADMIN_PASSWORD to choose it yourself.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"


class Command(BaseCommand):
    help = "Create the local admin account if needed and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where the server will listen (make run passes its HOST:PORT).",
        )

    def handle(self, *args, username, address, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = os.environ.get("ADMIN_PASSWORD") or (
            PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        )
        if user is None or not password or not user.check_password(password):
            password = password or secrets.token_urlsafe(12)
            user = user or User(username=username, email="")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://{address}/admin/  user: {username}  password: {password}"
            )
        )
