"""Print the candidate claims found in a text file or in a source's stored text; change nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.comparison import stated_figure
from claims.extraction import extract
from claims.known import known_from_database
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Find the figures in a text (a UTF-8 text file, or the stored text of the source with "
        "this slug) and print them as candidate claims, matched against the database's actors, "
        "sources and questions. Changes nothing. See docs/extraction.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path_or_slug",
            metavar="PATH_OR_SOURCE_SLUG",
            help="A text file to read, or the slug of a source whose stored text is read.",
        )
        parser.add_argument(
            "--format",
            choices=("json", "table"),
            default="json",
            help="json (the default): a list of candidate objects; table: one line each.",
        )

    def handle(self, *args, path_or_slug, format="json", **options):
        text, published = _text(path_or_slug)
        candidates = extract(text, known_from_database(), published=published)
        if format == "json":
            records = [candidate.as_dict() for candidate in candidates]
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        for number, candidate in enumerate(candidates, 1):
            self.stdout.write(_row(number, candidate))
        self.stdout.write(f"{len(candidates)} candidates.")


def _text(path_or_slug: str) -> tuple[str, str]:
    """The text to read and its publication date ("" for a file): a file if one is there, else
    the source of that slug."""
    path = Path(path_or_slug)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8-sig"), ""
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not a UTF-8 text file ({error.reason}).") from None
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
    source = Source.objects.filter(slug=path_or_slug).values("text", "published").first()
    if source is None:
        raise CommandError(f"{path_or_slug!r} is neither a file nor the slug of a source.")
    if not source["text"].strip():
        raise CommandError(f"The source {path_or_slug!r} has no stored text to read.")
    return source["text"], source["published"]


def _row(number: int, candidate) -> str:
    """One candidate on one line: figure, year, speaker, citation, best question, quote."""
    question = (
        f"{candidate.questions[0].question} ({candidate.questions[0].score:.2f})"
        if candidate.questions
        else "-"
    )
    cited = candidate.cited.source or candidate.cited.text if candidate.cited else "-"
    quote = candidate.quote if len(candidate.quote) <= 70 else candidate.quote[:69] + "…"
    return "\t".join(
        [
            f"{number:>3}",
            stated_figure(
                candidate.qualifier, candidate.value, candidate.value_high, candidate.unit, ""
            ),
            candidate.as_of or "-",
            candidate.speaker or "-",
            cited,
            question,
            f"[{candidate.start}:{candidate.end}] {quote}",
        ]
    )
