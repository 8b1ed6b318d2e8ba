"""DuckDB SQL translated to PostgreSQL by sqlglot, with the few rewrites sqlglot leaves to us.

Every statement of the platform is written once, in DuckDB's dialect. sqlglot transpiles it; the
rewrites below cover what it cannot express on PostgreSQL 15:

- `arg_max(v, k)` / `arg_min(v, k)`: the first of `array_agg(v ORDER BY k)` over rows where both
  are not NULL, as DuckDB's aggregate ignores them;
- `GROUP BY ALL` / `ORDER BY ALL`: the ordinals of the non-aggregate / of every column;
- a comparison cast to a number: through INT (PostgreSQL casts a boolean to INT only);
- `$x IS NULL`: the parameter (a copy of it, when `$x` is used elsewhere too) cast to TEXT, as
  PostgreSQL cannot type a parameter from an IS NULL test;
- `any_value(x)`: `min(x)` (any value will do; PostgreSQL 15 has no `any_value`);
- `INSERT OR IGNORE` / `INSERT OR REPLACE`: `ON CONFLICT` on the table's primary key;
- a bare column in `ON CONFLICT ... DO UPDATE SET c = f(c)`: the existing row's, by table name;
- a subquery in FROM without an alias gets one (PostgreSQL before 16 requires it);
- `%` is doubled and parameters become `%s` / `%(name)s`, as psycopg reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sqlglot
from sqlglot import exp

PrimaryKey = Callable[[str], Sequence[str]]
"""The primary-key columns of a `schema.table`, to resolve `INSERT OR REPLACE`."""

NULL_TEST_SUFFIX = "__null_test"
_PARAMETER_MARK = "__nbaprops_parameter__"
_MARKED = re.compile(f"{_PARAMETER_MARK}([A-Za-z0-9_]*?){_PARAMETER_MARK}")
_ARG_EXTREME = "(ARRAY_AGG(_v ORDER BY _k {order}) FILTER (WHERE _k IS NOT NULL AND _v IS NOT NULL {extra}))[1]"


class PostgresTranslator:
    """Translates DuckDB statements to PostgreSQL, once per distinct statement text."""

    def __init__(self, primary_key: PrimaryKey) -> None:
        self._primary_key = primary_key
        self._cache: dict[str, list[str]] = {}

    def translate(self, sql: str) -> list[str]:
        """The PostgreSQL statements of `sql` (a script yields several), parameters as `%s` / `%(name)s`."""
        cached = self._cache.get(sql)
        if cached is None:
            cached = [self._one(tree) for tree in sqlglot.parse(sql, read="duckdb") if tree is not None]
            self._cache[sql] = cached
        return cached

    def _one(self, tree: exp.Expr) -> str:
        for rewrite in _REWRITES:
            tree = tree.transform(rewrite)
        tree = _typed_null_test(tree)
        if isinstance(tree, exp.Insert) and tree.args.get("alternative"):
            tree = self._on_conflict(tree)
        if isinstance(tree, exp.Insert):
            _qualify_conflict_update(tree)
        tree = tree.transform(_mark_parameter)
        sql = tree.sql(dialect="postgres", comments=False, unsupported_level=sqlglot.ErrorLevel.RAISE)
        return _psycopg_parameters(sql)

    def _on_conflict(self, insert: exp.Insert) -> exp.Insert:
        alternative = str(insert.args["alternative"]).upper()
        insert = insert.copy()
        insert.set("alternative", None)
        if alternative == "IGNORE":
            clause = "ON CONFLICT DO NOTHING"
        else:
            schema = insert.this
            table = schema.this if isinstance(schema, exp.Schema) else schema
            name = ".".join(part for part in (table.db, table.name) if part)
            keys = list(self._primary_key(name))
            columns = [c.name for c in schema.expressions] if isinstance(schema, exp.Schema) else []
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
            action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
            clause = f"ON CONFLICT ({', '.join(keys)}) {action}"
        template = sqlglot.parse_one(f"INSERT INTO _t (_c) VALUES (1) {clause}", read="postgres")
        insert.set("conflict", template.args["conflict"])
        return insert


def _arg_extreme(node: exp.Expr) -> exp.Expr:
    condition: exp.Expr | None = None
    target = node
    if isinstance(node, exp.Filter) and isinstance(node.this, exp.ArgMax | exp.ArgMin):
        target, condition = node.this, node.expression.this
    if not isinstance(target, exp.ArgMax | exp.ArgMin) or (
        target is node and isinstance(node.parent, exp.Filter)
    ):
        return node
    order = "DESC" if isinstance(target, exp.ArgMax) else "ASC"
    extra = "AND _c" if condition is not None else ""
    template = sqlglot.parse_one("SELECT " + _ARG_EXTREME.format(order=order, extra=extra), read="postgres")
    parts = {"_v": target.this, "_k": target.expression, "_c": condition}

    def fill(part: exp.Expr) -> exp.Expr:
        if isinstance(part, exp.Column) and not part.table and part.name in parts:
            found = parts[part.name]
            return found.copy() if found is not None else part
        return part

    return template.expressions[0].transform(fill)


def _qualify_conflict_update(insert: exp.Insert) -> None:
    """In `ON CONFLICT ... DO UPDATE SET c = f(c, excluded.c)` a bare `c` is ambiguous on
    PostgreSQL (the row or `excluded`); DuckDB means the existing row, named by its table."""
    conflict = insert.args.get("conflict")
    target = insert.this.this if isinstance(insert.this, exp.Schema) else insert.this
    if not isinstance(conflict, exp.OnConflict) or not isinstance(target, exp.Table):
        return
    for assignment in conflict.expressions:
        for column in assignment.expression.find_all(exp.Column):
            if not column.table:
                column.set("table", exp.to_identifier(target.name))


def _by_all(node: exp.Expr) -> exp.Expr:
    """`GROUP BY ALL` / `ORDER BY ALL` as the ordinals DuckDB means by them."""
    if not isinstance(node, exp.Select):
        return node
    group = node.args.get("group")
    if isinstance(group, exp.Group) and group.args.get("all"):
        keys = [exp.Literal.number(i) for i, p in enumerate(node.expressions, 1) if not _aggregates(p)]
        node.set("group", exp.Group(expressions=keys))
    order = node.args.get("order")
    if isinstance(order, exp.Order) and len(order.expressions) == 1:
        ordered = order.expressions[0]
        if isinstance(ordered.this, exp.Var) and ordered.this.name.upper() == "ALL":
            order.set("expressions", [
                exp.Ordered(this=exp.Literal.number(i), desc=ordered.args.get("desc"),
                            nulls_first=ordered.args.get("nulls_first"))
                for i in range(1, len(node.expressions) + 1)
            ])
    return node


def _aggregates(projection: exp.Expr) -> bool:
    return any(agg.find_ancestor(exp.Window) is None for agg in projection.find_all(exp.AggFunc))


def _boolean_to_number(node: exp.Expr) -> exp.Expr:
    """PostgreSQL casts a boolean to INT only; a comparison cast to a number goes through INT."""
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Predicate | exp.Connector | exp.Not):
        target = node.to
        if target.is_type(*exp.DataType.REAL_TYPES, *exp.DataType.INTEGER_TYPES) and not target.is_type("int"):
            inner = exp.Cast(this=node.this.copy(), to=exp.DataType.build("int"))
            return exp.Cast(this=inner, to=target.copy())
    return node


def _typed_null_test(tree: exp.Expr) -> exp.Expr:
    """`$x IS NULL` gives PostgreSQL no type for `$x`; any type will do for the test, so it is cast
    to TEXT. psycopg binds every use of a named parameter to one PostgreSQL parameter, which the
    cast would type TEXT everywhere (`started_at >= $since` fails), so the tested use is renamed
    to `<name>` + `NULL_TEST_SUFFIX`, a copy the backend binds."""
    uses: dict[str, int] = {}
    for placeholder in tree.find_all(exp.Placeholder):
        uses[placeholder.name] = uses.get(placeholder.name, 0) + 1

    def cast(node: exp.Expr) -> exp.Expr:
        if not (isinstance(node, exp.Is) and isinstance(node.this, exp.Placeholder)
                and isinstance(node.expression, exp.Null)):
            return node
        parameter = node.this.copy()
        if parameter.name not in ("", "?") and uses[parameter.name] > 1:
            parameter = exp.Placeholder(this=parameter.name + NULL_TEST_SUFFIX)
        return exp.Is(this=exp.Cast(this=parameter, to=exp.DataType.build("text")), expression=exp.Null())

    return tree.transform(cast)


def _any_value(node: exp.Expr) -> exp.Expr:
    inner = node.this if isinstance(node, exp.IgnoreNulls) else node
    if isinstance(inner, exp.AnyValue):
        return exp.Min(this=inner.this.copy())
    return node


def _alias_subquery(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Subquery) and not node.alias and isinstance(node.parent, exp.From | exp.Join):
        node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_subquery_{node.depth}")))  # in place: the
        # transform goes on into the node it returns, so a nested subquery gets its alias too
    return node


def _mark_parameter(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Placeholder):
        name = node.name if node.name and node.name != "?" else ""
        return exp.var(f"{_PARAMETER_MARK}{name}{_PARAMETER_MARK}")
    return node


def _psycopg_parameters(sql: str) -> str:
    """Double every `%` (psycopg reads `%` as a placeholder), then turn the marks into placeholders."""
    return _MARKED.sub(lambda m: f"%({m.group(1)})s" if m.group(1) else "%s", sql.replace("%", "%%"))


def _json_text(node: exp.Expr) -> exp.Expr:
    """`json_extract_string(text_column, ...)`: the column is VARCHAR holding JSON; PostgreSQL's
    `JSON_EXTRACT_PATH_TEXT` takes json only, so the text is cast first."""
    if isinstance(node, exp.JSONExtractScalar) and not isinstance(node.this, exp.Cast):
        node.set("this", exp.cast(node.this.copy(), exp.DataType.build("json")))
    return node


_REWRITES = (_by_all, _arg_extreme, _any_value, _boolean_to_number, _alias_subquery, _json_text)
