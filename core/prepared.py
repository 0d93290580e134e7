"""Querysets whose SQL is built and compiled once, then run again with other values.

Django builds and compiles a queryset's SQL anew every time it is evaluated. For the few dozen
rows a public page reads that costs more than the database's work: on the SQLite file of 100k
claims of `make bench`, building, compiling and reading a question's claims took 0.9 ms and
running their SQL 0.17 ms; the two queries of their links 1.2 ms for 0.03 ms of SQL. The first
request after a write renders the page anew (pages.caching), and these are most of its time.

A `Prepared` query is a function of named parameters (ints or strings) that returns a
`values_list()` queryset (of fields, as tuples) whose SQL differs only by those values. At its
first use in a thread on a database it is built and compiled twice, with two sets of stand-in
values: the two SQL texts must be the same and the parameters differ only where the stand-ins
are, else it raises (a parameter that changes the SQL, e.g. a list for `__in`, or that Django
transforms, e.g. `__startswith`, cannot be prepared). Later calls substitute the values given
and run that SQL through Django's cursor (counted by assertNumQueries, wrapped by
execute_wrapper, as every query is), on the database asked for or the one the router names for
the model, and convert the columns with the compiled query's own converters (SQLite's dates and
decimals, as the ORM returns them). A query that Django finds can match nothing (`__in=[]`)
returns no rows without asking the database, as the ORM does.

Compiled queries are kept per thread (a compiler holds its thread's connection) and dropped when
a setting changes (tests override settings such as PUBLIC_CLAIM_STATUSES that SQL embeds).
"""

import itertools
import threading

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models.query import ValuesListIterable

# Bumped when a setting changes: each thread drops what it compiled before.
_generations = itertools.count()
_generation = next(_generations)


class Prepared:
    def __init__(self, build, **kinds):
        """`build(**values)` returns a values_list() queryset; `kinds` gives each value's type,
        int or str."""
        if not kinds or not set(kinds.values()) <= {int, str}:
            raise TypeError("a prepared query takes int or str parameters, at least one")
        self._build = build
        self._kinds = kinds
        self._model = None
        self._local = threading.local()

    def __call__(self, *, using=None, **values):
        """The rows (tuples) of the query for these values, read from the database `using` (by
        default the one the router names for reading its model, as a queryset's)."""
        if values.keys() != self._kinds.keys():
            raise TypeError(f"expected the parameters {sorted(self._kinds)}")
        for name, value in values.items():
            # Not converted: int("5") or str(None) would read rows the ORM would not.
            if type(value) is not self._kinds[name]:
                raise TypeError(f"{name} must be {self._kinds[name].__name__}, not {value!r}")
        if using is None:
            if self._model is None:
                self._model = self._build(**self._stand_ins(1)).model
            using = router.db_for_read(self._model)
        compiled = self._compiled().get(using)
        if compiled is None:
            compiled = self._compiled()[using] = self._compile(using)
        compiler, sql, params, slots = compiled
        if compiler is None:  # no row can match, as the ORM finds without asking the database
            return []
        params = list(params)
        for name, positions in slots.items():
            for position in positions:
                params[position] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return list(compiler.results_iter(results=[rows], tuple_expected=True))

    def _compiled(self):
        """This thread's compiled queries, by database alias."""
        local = self._local
        if getattr(local, "generation", None) != _generation:
            local.generation, local.by_alias = _generation, {}
        return local.by_alias

    def _stand_ins(self, seed):
        # Values no record has: negative keys, text with a NUL.
        return {
            name: -(10**12) - 1000 * seed - index if kind is int else f"\0prepared-{seed}-{index}"
            for index, (name, kind) in enumerate(self._kinds.items())
        }

    def _compile(self, alias):
        first, second = self._stand_ins(1), self._stand_ins(2)
        try:
            compiler, sql, params = self._sql(alias, first)
            _, other_sql, other_params = self._sql(alias, second)
        except EmptyResultSet:  # e.g. status__in=[]: the ORM returns no rows, and so does this
            return None, None, (), {}
        slots = {
            name: [at for at, param in enumerate(params) if param == value]
            for name, value in first.items()
        }
        expected = list(params)
        for name, positions in slots.items():
            for position in positions:
                expected[position] = second[name]
        if other_sql != sql or list(other_params) != expected or not all(slots.values()):
            raise ValueError(
                f"{self._build.__qualname__}: its SQL changes with its values, or a value is not "
                "passed as it is: it cannot be prepared"
            )
        return compiler, sql, tuple(params), slots

    def _sql(self, alias, values):
        queryset = self._build(**values).using(alias)
        query = queryset.query
        # Tuples of fields, as values_list() gives them: not values()' dicts, not flat or named
        # rows, nothing computed (annotations come after the fields in the SQL, in another order).
        plain = queryset._iterable_class is ValuesListIterable
        if not plain or query.annotation_select or query.extra_select:
            raise ValueError(f"{self._build.__qualname__}: not a values_list() of fields")
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        return compiler, sql, params


def _forget(**kwargs):
    global _generation
    _generation = next(_generations)


setting_changed.connect(_forget)
