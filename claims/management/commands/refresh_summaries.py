"""Check, or repair, the stored question summaries against the claims they are computed from."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Question
from claims.summaries import question_summaries_refresh, stale_summaries


class Command(BaseCommand):
    help = (
        "Recompute every question's summary (verdict, counts, spread, placed claims) from its "
        "public claims. With --check, only report the questions whose stored summary differs "
        "from its claims, and exit 1 if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report stale summaries and change nothing (exit status 1 if any).",
        )

    def handle(self, *args, check=False, **options):
        stale = stale_summaries()
        slugs = dict(Question.objects.filter(pk__in=stale).values_list("pk", "slug"))
        for pk in stale:
            self.stdout.write(f"stale: {slugs.get(pk, pk)}")
        if check:
            if stale:
                raise CommandError(
                    f"{len(stale)} question summaries differ from their claims: "
                    "run `python manage.py refresh_summaries` to repair them."
                )
            self.stdout.write("Every question summary matches its claims.")
            return
        question_summaries_refresh()
        self.stdout.write(f"Recomputed every question summary ({len(stale)} of them were stale).")
