"""Fold another kernel's saved work into this kernel's copy of a store: a three-way merge, row by row.

In the browser each notebook (kernel) keeps the store in memory and saves it whole (``_browserstore``). A kernel
reloads the file before each change, so two notebooks only collide when both change the store within the same
few milliseconds; then the second to save would write over the first. Instead it merges: the copy both started
from (the *base*), the other kernel's saved file (*theirs*) and its own copy (*ours*).

The store's tables lend themselves to it: nothing is ever deleted, rows have keys, and the two histories only
grow. A row theirs changed and ours did not comes from theirs; a row both changed keeps ours (the later save);
rows theirs appended to a history are appended after ours, in their order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["merge"]

_BASE, _THEIRS = "annotkit_merge_base", "annotkit_merge_theirs"


def merge(db: sqlite3.Connection, base: bytes, theirs: bytes) -> int:
    """Merge ``theirs`` (another copy's image) into ``db``, both descended from the image ``base``.

    Returns how many rows ``db`` now holds that ``theirs`` lacks or holds otherwise (0: the two are the same).
    """
    run = sqlite3.Connection.execute.__get__(db)  # the plain statements: no mirroring while merging
    for name, image in ((_BASE, base or theirs), (_THEIRS, theirs)):
        run(f"ATTACH DATABASE ':memory:' AS {name}")
        db.deserialize(image, name=name)
    try:
        if not base:  # nothing was saved when this copy began: every row of theirs is new
            for table in _tables(run, _BASE):
                run(f'DELETE FROM {_BASE}."{table}"')
        run("BEGIN IMMEDIATE")
        try:
            tables = [table for table in _tables(run, "main") if table in _tables(run, _THEIRS)]
            for table in tables:
                _merge_table(run, table)
            run("COMMIT")
        except BaseException:
            run("ROLLBACK")
            raise
        return sum(_not_in_theirs(run, table) for table in tables)
    finally:
        for name in (_BASE, _THEIRS):
            run(f"DETACH DATABASE {name}")


def _tables(run: Callable[..., sqlite3.Cursor], schema: str) -> list[str]:
    rows = run(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows.fetchall()]


def _merge_table(run: Callable[..., sqlite3.Cursor], table: str) -> None:
    info = run(f'PRAGMA main.table_info("{table}")').fetchall()
    columns = [row[1] for row in info]
    keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    if not keys:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)

    def same(a: str, b: str) -> str:
        return " AND ".join(f'{a}."{c}" IS {b}."{c}"' for c in columns)

    def joined(alias: str) -> str:
        return " AND ".join(f'{alias}."{k}" IS t."{k}"' for k in keys)

    appended = keys == ["seq"]  # a history: rows are only added (and marked undone)
    # Rows theirs changed (or added) and ours left as they were (or never had): take theirs.
    run(
        f'INSERT OR REPLACE INTO main."{table}" ({quoted}) SELECT {", ".join(f"t.{q}" for q in _q(columns))}'
        f' FROM {_THEIRS}."{table}" AS t'
        f' LEFT JOIN {_BASE}."{table}" AS b ON {joined("b")}'
        f' LEFT JOIN main."{table}" AS m ON {joined("m")}'
        f" WHERE NOT (b.rowid IS NOT NULL AND {same('t', 'b')})"
        f" AND (m.rowid IS NULL OR (b.rowid IS NOT NULL AND {same('m', 'b')}))"
        + (f' AND t.seq <= (SELECT coalesce(max(seq), 0) FROM {_BASE}."{table}")' if appended else "")
    )
    if appended:
        # What theirs added to a history since the base goes after what ours added, in the order it happened.
        rest = [c for c in columns if c != "seq"]
        names = ", ".join(_q(rest))
        run(
            f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM {_THEIRS}."{table}"'
            f' WHERE seq > (SELECT coalesce(max(seq), 0) FROM {_BASE}."{table}") ORDER BY seq'
        )


def _not_in_theirs(run: Callable[..., sqlite3.Cursor], table: str) -> int:
    info = run(f'PRAGMA main.table_info("{table}")').fetchall()
    columns = [row[1] for row in info]
    keys = [row[1] for row in info if row[5]] or columns
    on = " AND ".join(f't."{k}" IS m."{k}"' for k in keys)
    same = " AND ".join(f't."{c}" IS m."{c}"' for c in columns)
    query = f'SELECT count(*) FROM main."{table}" AS m LEFT JOIN {_THEIRS}."{table}" AS t ON {on} WHERE NOT ({same})'
    differing: int = run(query).fetchone()[0]
    return differing


def _q(columns: list[str]) -> list[str]:
    return [f'"{c}"' for c in columns]
