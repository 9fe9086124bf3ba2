"""One row by its primary key, with the query compiled once per database connection.

The ORM builds the SQL of a query every time it runs it: for the signed-in user (the user, the
organization and two one-to-one rows by ``select_related``) that is about 0.3 ms of Python on every
request, several times the query's own cost (issue 18). :class:`OneRowByKey` compiles the query
the first time each connection runs it, with a placeholder key, and from then on runs the same SQL
with the real key and builds the objects the way the ORM's ``ModelIterable`` does: the same model
instances, the same related objects cached, the same converters.

Kept per connection, and Django's connections are per thread, so a compiled query is only ever
used by the thread (and connection) that compiled it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # not in django-stubs
    RelatedPopulator,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

_ATTRIBUTE = "hypertroq_prepared_queries"


@dataclass
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: list[Any]
    key_index: int
    init_list: list[str]
    model_fields: slice
    related: list[RelatedPopulator]


class OneRowByKey(Generic[M]):
    """``build(key)`` is the query (a queryset filtered by primary key, or by nothing else that
    varies); :meth:`get` runs it for one key and returns the row's object, or ``None``."""

    def __init__(self, name: str, build: Callable[[Any], QuerySet[M]]) -> None:
        self.name = name
        self.build = build

    def get(self, key: Any, using: str = DEFAULT_DB_ALIAS) -> M | None:
        connection = connections[using]
        compiled_queries = getattr(connection, _ATTRIBUTE, None)
        if compiled_queries is None:
            compiled_queries = {}
            setattr(connection, _ATTRIBUTE, compiled_queries)
        compiled = compiled_queries.get(self.name)
        if compiled is None:
            compiled = compiled_queries[self.name] = self._compile(using)
        model = compiled.compiler.klass_info["model"]
        params = list(compiled.params)
        params[compiled.key_index] = model._meta.pk.get_db_prep_value(key, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        (row,) = compiled.compiler.results_iter(results=[[row]])
        obj: M = model.from_db(using, compiled.init_list, row[compiled.model_fields])
        for populator in compiled.related:
            populator.populate(row, obj)
        return obj

    def _compile(self, using: str) -> _Compiled:
        placeholder = uuid.uuid4()
        queryset = self.build(placeholder)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = connections[using]
        prepared_placeholder = queryset.model._meta.pk.get_db_prep_value(placeholder, connection)
        found = [index for index, value in enumerate(params) if value == prepared_placeholder]
        if len(found) != 1:
            raise ValueError(f"{self.name}: the query must use its key exactly once")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        model_fields = slice(fields[0], fields[-1] + 1)
        return _Compiled(
            compiler=compiler,
            sql=sql,
            params=list(params),
            key_index=found[0],
            init_list=[column[0].target.attname for column in select[model_fields]],
            model_fields=model_fields,
            related=get_related_populators(klass_info, select, using),
        )
