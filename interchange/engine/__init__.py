"""The import engine every interchange file goes through: admin, `import_data` and `load_demo`.

A file's rows are read as a stream and handled in batches (BATCH_SIZE rows), so a 100,000-row
claims.csv imports at a good fraction of PostgreSQL's own COPY and in bounded memory. One module
per step, all driven by run.BulkImporter, which holds the plan of a resource's columns and the
state of one file's run:

1. run: the header is checked before any row (by the resource); then, per batch, one query
   fetches the rows already in the database under the batch's keys (and their many-to-many links).
2. keys: natural keys of other records (slugs, symbols) are looked up in maps loaded once per file
   (`KeyMap`), so no row costs a query of its own.
3. check: each row is checked in plain Python, with the same messages as ever: the resource's
   fields and widgets parse the cells (interchange/widgets.py), natural keys must exist, the
   model's field validation runs (`clean_fields`), its check constraints are evaluated in Python
   (constraints: `Condition`), the resource's own check of whole rows runs (`row_check`) and its
   conditional unique constraints are checked against the batch and the database.
4. write: the batch is written in bulk: new rows inserted (COPY on PostgreSQL, bulk_create
   elsewhere), changed rows updated, many-to-many links replaced where they changed, and one
   history row per created or changed record, its links included, with the change reason and user
   of the surrounding `core.history.change_reason` block.
5. late: once every batch is written, the cells of the resource's late columns (a claim's links,
   which may name a claim further down) are checked against the whole file and applied.
6. Rows with problems are not written; the caller (an outer transaction) rolls everything back if
   there is any problem, so an import is still all or nothing.

Only the problems, the key maps and the late cells that change something are kept from batch to
batch (and, for the admin's preview, one small result per row when `keep_rows` is set).
"""
