"""The change log: what registers pull, in an order no cursor can skip.

Writing. Every writer collects its changes and calls ``record_changes`` as the LAST step of its
transaction. That takes a range of sequence numbers from the single ``change_counter`` row with
``UPDATE change_counter SET value = value + n RETURNING value``. The row lock it takes is held
until the transaction commits, so a second writer waits there until the first has committed:
sequences are handed out in commit order. Hence a reader that sees change ``s`` has already
been able to see every change below ``s`` — the trap of database sequences (a reader seeing
105 committed before 104, and skipping 104 forever) cannot happen. Taking the range last keeps
the serialized part of each writer short: a few inserts and the commit itself.

Compaction. A STOCK change (the level of a product at a store) supersedes the earlier one of
the same product and store, so the earlier row is deleted when the new one is written; every
other change is kept. A new register therefore pulls one stock row per product, not the whole
sales history. Readers are not hurt: a row that moves, moves to a higher sequence, which every
cursor has still ahead of it. Product rows are never moved, so a product always comes before its
stock (the register drops the stock of a product it does not know yet).

Reading. ``pull`` returns the changes after ``since`` that are global or of the reader's store,
in sequence order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from sync.protocol import ChangeOp, Entity
from sync.server.errors import CursorAhead
from sync.server.services._sql import dumps, one_of, utcnow
from sync.server.tables import change_counter, change_log

GLOBAL = ""  # the scope of changes every register pulls


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    entity: Entity
    key: str
    data: dict[str, Any] = field(default_factory=dict)
    scope: str = GLOBAL  # GLOBAL, or the store code whose registers see it
    op: ChangeOp = ChangeOp.UPSERT


def record_changes(
    conn: Connection, entries: Sequence[ChangeEntry], *, now: datetime | None = None
) -> range:
    """Append ``entries`` to the change log; call it last in the transaction.

    Returns the sequences given (empty when there was nothing to record).
    """
    # Within one transaction the last entry of a key wins (a sale with two lines of a product).
    latest: dict[tuple[Entity, str, str], ChangeEntry] = {}
    for entry in entries:
        latest.pop((entry.entity, entry.scope, entry.key), None)
        latest[(entry.entity, entry.scope, entry.key)] = entry
    if not latest:
        return range(0)
    count = len(latest)
    top = conn.execute(
        update(change_counter)
        .where(change_counter.c.id == 1)
        .values(value=change_counter.c.value + count)
        .returning(change_counter.c.value)
    ).scalar_one()
    first = int(top) - count + 1
    stamp = now or utcnow()
    rows = [
        {
            "seq": first + i,
            "entity": entry.entity.value,
            "op": entry.op.value,
            "key": entry.key,
            "scope": entry.scope,
            "data": dumps(entry.data),
            "changed_at": stamp,
        }
        for i, entry in enumerate(latest.values())
    ]
    stock_by_scope: dict[str, list[str]] = {}
    for entry in latest.values():
        if entry.entity is Entity.STOCK:
            stock_by_scope.setdefault(entry.scope, []).append(entry.key)
    for scope, keys in stock_by_scope.items():
        conn.execute(
            delete(change_log).where(
                and_(
                    change_log.c.entity == Entity.STOCK.value,
                    change_log.c.scope == scope,
                    one_of(conn, change_log.c.key, keys),
                )
            )
        )
    conn.execute(insert(change_log), rows)
    return range(first, first + count)


def last_sequence(conn: Connection) -> int:
    return int(
        conn.execute(select(change_counter.c.value).where(change_counter.c.id == 1)).scalar_one()
    )


def pull(conn: Connection, *, store_code: str, since: int, limit: int) -> bytes:
    """The next ``limit`` changes after ``since`` for a register of ``store_code``, as the JSON
    body of a ``PullResponse``.

    Run in one read transaction. The counter is read first: every change up to it is committed,
    so when the page is not full the cursor may jump to it (a register then does not scan again
    past the other stores' changes).

    The body is written from the stored JSON of each change, not built as protocol objects and
    serialized again: a page of 5,000 products took ~140 ms that way and takes ~10 ms this way
    (a first sync of 1,000,000 products is 200 pages). The stored data is the compact JSON
    ``record_changes`` wrote; tests check the body against ``PullResponse``.
    """
    top = last_sequence(conn)
    if since > top:
        raise CursorAhead(
            f"cursor {since} is ahead of this backend's change log (last {top}): this register "
            "was synced with another backend database; pull again from 0"
        )
    rows = conn.execute(
        select(
            change_log.c.seq,
            change_log.c.entity,
            change_log.c.op,
            change_log.c.key,
            change_log.c.data,
        )
        .where(change_log.c.seq > since, change_log.c.scope.in_((GLOBAL, store_code)))
        .order_by(change_log.c.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    if has_more:
        cursor = int(rows[-1].seq)
    else:
        cursor = max([since, top, *(int(r.seq) for r in rows[-1:])])
    changes = ",".join(
        f'{{"seq":{int(r.seq)},"entity":{_ENTITY_JSON[r.entity]},"op":{_OP_JSON[r.op]},'
        f'"key":{json.dumps(r.key, ensure_ascii=False)},"data":{r.data}}}'
        for r in rows
    )
    body = (
        f'{{"changes":[{changes}],"cursor":"{cursor}",'
        f'"has_more":{"true" if has_more else "false"}}}'
    )
    return body.encode("utf-8")


# The JSON of each entity and operation name, checked against the enums when imported.
_ENTITY_JSON = {e.value: json.dumps(e.value) for e in Entity}
_OP_JSON = {o.value: json.dumps(o.value) for o in ChangeOp}
