"""Columns applied once every row of the file is written: the hook for what a row cannot settle.

Most cells are settled by their own row: a value, or a natural key of a record in the database or
further up the file. A few need the whole file: a claim's `links` may name a claim on a later
line, and whether links close a cycle is only known once all of them are read. A resource
declares such a column with a widget derived from `LateColumn`; the engine (run.py) parses its
cells with the other cells of the row, and hands the cells that change something back to the
widget once the file's last batch is written, inside the import's transaction.
"""

from import_export import widgets


class LateColumn(widgets.Widget):
    """The widget of a column applied once every row of the file is written.

    The engine calls, for a field with such a widget:

    1. `parse(cell, key)` on each row, in plain Python: the cell's value as a tuple (() for an
       empty cell), or ValueError with the row's problem on this column;
    2. `current(ids)` once per batch: {id: value} of what the batch's records in the database have
       now (records with nothing left out), so that a row whose cell says what is there already is
       unchanged, and a row whose cell alone changes counts as updated: it gets a history row and
       refreshes what is derived from the records, as a change of any other column would;
    3. once every row is written (and no key was written twice), `check(importer, rows)` with the
       rows whose cell changes something, as (line, key, id, value) in file order: it returns
       (what `write` needs, [(line, message)]); `importer.lines` maps every key of the file to its
       line, written or not;
    4. `write(importer, resolved)`, only when the file has no problem at all: any problem rolls
       the import back, so writing would be wasted. History rows go through
       interchange.engine.write.insert_history, with the run's time, reason and user.

    On export `cells(ids)` gives {id: cell} for a chunk of records in one query, and `render` the
    cell of one record for import-export's own export (the admin's).
    """

    def parse(self, cell, key):
        raise NotImplementedError

    def current(self, ids):
        raise NotImplementedError

    def check(self, importer, rows):
        raise NotImplementedError

    def write(self, importer, resolved):
        raise NotImplementedError

    def cells(self, ids):
        raise NotImplementedError
