"""What is wrong with an interchange file, in plain words: the `Problem` every reader reports.

The engine, the widgets, the file readers and the Zotero import all report a Problem (where, when
known, and why); the admin's preview, `import_data` and `import_zotero` print them as they are.
"""

from dataclasses import dataclass

_PLAIN_DJANGO = {
    "This field cannot be blank.": "a value is required",
    "This field cannot be null.": "a value is required",
}


def plain(message):
    """Django's wording for a missing value, in the words the rest of the messages use."""
    return _PLAIN_DJANGO.get(message, message)


def clause(sentence):
    """A form's message as a clause of a file's problem, after "line 3, column unit:": no stop, and
    a small first letter unless it begins with an abbreviation ("USGS …") or a figure."""
    text = sentence.rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not (len(first) > 1 and first.isupper()):
        text = text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (line and column, when known) and why, in plain words."""

    message: str
    line: int | None = None
    column: str = ""

    def __str__(self):
        where = ", ".join(
            part
            for part in (
                f"line {self.line}" if self.line else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


def missing_message(label, keys, keys_in_file):
    """ "actor 'x' does not exist", with where the key is in the file when it is further down."""
    names = ", ".join(f"'{key}'" for key in keys)
    verb = "does" if len(keys) == 1 else "do"
    message = f"{label} {names} {verb} not exist"
    later = [f"'{key}' is on line {keys_in_file[key]}" for key in keys if key in keys_in_file]
    if later:
        message += f" yet ({', '.join(later)} of this file: put it above the rows that refer to it)"
    return message
