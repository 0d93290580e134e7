"""The one rule for text, wherever it comes in: admin forms, imports and the models' validation.

What one door accepts, every export writes and every import reads back (CSV and XLSX, on SQLite and
PostgreSQL), so a value is made safe once, on the way in:

1. Long text (a source's text, quotes, notes, aliases …, the `LongTextField`s) is normalised: every
   line break (CR LF, CR, and the other characters Python counts as one: form feed, vertical tab,
   NEL, U+2028 …) becomes a line feed; tabs and line feeds stay; every other control character
   (U+0000–U+001F, U+007F–U+009F) becomes a space; an unpaired surrogate or U+FFFE/U+FFFF (not
   characters at all: neither UTF-8, PostgreSQL nor XML can hold them) becomes U+FFFD. It may hold
   at most LONG_TEXT_MAX characters. Lists kept one item per line (`LinesField`) also lose
   surrounding spaces and blank lines, and an item may not hold "|", the CSV files' separator.
2. Short text (titles, names, codes, URLs: CharFields) is one line of plain text: a control
   character, a line break, a tab or a non-character is refused with its position, since a space
   put in its place would silently make a key or a URL another one.

See docs/operations.md for the limits and what each refusal says.
"""

import bisect
import re
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

#: The most characters a long text field holds (after normalisation): a few hundred pages, far
#: more than any source's text, and still a value every CSV reader here is set to read.
LONG_TEXT_MAX = 1_000_000
#: What the help text of each long text field says about it.
LONG_TEXT_HELP = f"At most {LONG_TEXT_MAX:,} characters."
#: The separator of list items in a CSV cell (aliases, authors): see interchange/widgets.py.
LIST_SEPARATOR = "|"

# Everything `str.splitlines` breaks a line on (CR LF first, so that it becomes one line feed), so a
# stored text has the same lines however it is split.
_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"\r\n|[{_BREAKS}]")
# Control characters but tab and line feed (the line breaks among them are replaced first).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_NON_CHARACTERS = "\ud800-\udfff\ufffe\uffff"
_NOT_A_CHARACTER = re.compile(f"[{_NON_CHARACTERS}]")
# Any character the long-text rule changes, for the common case of a text it leaves alone.
_CHANGED = re.compile(f"[{_BREAKS}{_CONTROLS}{_NON_CHARACTERS}]")
# What a short field refuses: the same, and tab and line feed too.
_NOT_ONE_LINE = re.compile(f"[\t\n{_BREAKS}{_CONTROLS}{_NON_CHARACTERS}]")


def normalise_long_text(text):
    """`text` as a long text field stores it: see rule 1 of the module docstring."""
    if not _CHANGED.search(text):
        return text
    text = _LINE_BREAK.sub("\n", text)
    text = _CONTROL.sub(" ", text)
    return _NOT_A_CHARACTER.sub("\ufffd", text)


def quote_in(quote, text):
    """Whether `quote` is in `text`, ignoring differences in whitespace; None when there is no text
    to look in (a source whose text is not stored)."""
    if not text:
        return None
    return " ".join(quote.split()) in " ".join(text.split())


#: How much of the text before and after a quote its anchor keeps (Claim.quote_prefix/suffix).
ANCHOR_CONTEXT = 32
_WORD = re.compile(r"\S+")


class Anchor(NamedTuple):
    """Where a quote is in a text: `text[start:end]` is the quote (modulo whitespace), and
    `prefix`/`suffix` the text just before and after it, whitespace collapsed."""

    start: int
    end: int
    prefix: str
    suffix: str


class SpacedText:
    """A text with its whitespace collapsed (as quote_in compares), keeping the way back to the
    original's offsets: built once per text, then each quote is located in it (`anchor`)."""

    def __init__(self, text):
        words = list(_WORD.finditer(text))
        self.flat = " ".join(word.group() for word in words)
        self._starts = []  # offset of each word in `flat`
        self._origins = []  # and in the original text
        at = 0
        for word in words:
            self._starts.append(at)
            self._origins.append(word.start())
            at += len(word.group()) + 1

    def _original(self, position):
        k = bisect.bisect_right(self._starts, position) - 1
        return self._origins[k] + position - self._starts[k]

    def anchor(self, quote, prefix="", suffix=""):
        """The Anchor of `quote`, or None when it is not in the text. Of several occurrences, the
        one whose surroundings best match the stored `prefix` and `suffix` (the most characters
        in common next to it), the first on a tie: so a re-extracted text keeps an anchor where
        the words around it are unchanged."""
        wanted = " ".join(quote.split())
        if not wanted:
            return None
        flat, best, best_score = self.flat, None, -1
        found = flat.find(wanted)
        while found != -1:
            end = found + len(wanted)
            score = _common_end(flat[max(0, found - len(prefix)) : found], prefix) + (
                _common_start(flat[end : end + len(suffix)], suffix)
            )
            if score > best_score:
                best, best_score = found, score
            if best_score == len(prefix) + len(suffix):
                break  # no other occurrence can match better
            found = flat.find(wanted, found + 1)
        if best is None:
            return None
        end = best + len(wanted)
        return Anchor(
            self._original(best),
            self._original(end - 1) + 1,
            flat[max(0, best - ANCHOR_CONTEXT) : best],
            flat[end : end + ANCHOR_CONTEXT],
        )


def quote_anchor(quote, text, prefix="", suffix=""):
    """The Anchor of `quote` in `text` (see SpacedText.anchor), or None when it is not there."""
    return SpacedText(text or "").anchor(quote, prefix, suffix)


def _common_end(a, b):
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_start(a, b):
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def lines(text):
    """The items of a one-per-line list, without surrounding spaces or blank lines."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def validate_long_text_length(value):
    if len(value) > LONG_TEXT_MAX:
        raise ValidationError(
            "This text has %(length)s characters; a text field holds at most %(limit)s. "
            "Keep an excerpt, or split the document into parts.",
            code="text_too_long",
            params={"length": f"{len(value):,}", "limit": f"{LONG_TEXT_MAX:,}"},
        )


def validate_one_line(value):
    """Refuse a control character, a line break, a tab or a non-character in a short field."""
    found = _NOT_ONE_LINE.search(value)
    if found:
        raise ValidationError(
            "Character %(position)s is %(what)s: this field takes one line of plain text. "
            "Remove it (long text belongs in a text field).",
            code="not_one_line",
            params={"what": _describe(found.group()), "position": found.start() + 1},
        )


def validate_list_items(value):
    """Refuse "|" in an item of a one-per-line list: a CSV file would read it as two items."""
    if LIST_SEPARATOR in value:
        raise ValidationError(
            "An item holds “%(separator)s”, which separates items in CSV files: put each item "
            "on a line of its own instead.",
            code="list_separator",
            params={"separator": LIST_SEPARATOR},
        )


def _describe(char):
    code = f"U+{ord(char):04X}"
    if char == "\t":
        return f"a tab ({code})"
    if char in "\n\r\u2028\u2029":
        return f"a line break ({code})"
    if _NOT_A_CHARACTER.fullmatch(char):
        return f"{code}, which is not a character"
    return f"a control character ({code})"


class LongTextFormField(forms.CharField):
    """A form's long text: normalised before anything else looks at it.

    Before Django's own checks, so that a NUL pasted from a PDF becomes a space instead of
    "Null characters are not allowed". No `maxlength` on the textarea: a browser would cut a
    longer paste short without a word, where the model's validation says what is wrong.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_long_text(value)
        return super().to_python(value)


class LongTextField(models.TextField):
    """A TextField under the long-text rule: normalised by `to_python`, so by `full_clean`, the
    admin's forms and the import engine's `clean_fields` alike (and by every save, since
    TextField.get_prep_value calls it), and at most LONG_TEXT_MAX long."""

    default_validators = [validate_long_text_length]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_long_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LongTextFormField, **kwargs})


class LinesField(LongTextField):
    """Long text holding a list, one item per line (aliases, authors); stored without surrounding
    spaces or blank lines, so it is the same text after a CSV file has written it `a|b`."""

    default_validators = [*LongTextField.default_validators, validate_list_items]

    def to_python(self, value):
        value = super().to_python(value)
        return "\n".join(lines(value)) if isinstance(value, str) else value
