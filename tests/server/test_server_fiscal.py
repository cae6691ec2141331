"""The registers' fiscal journals through the real HTTP app (issue 8): records verified as they
arrive (hashes, sequence, links), what is wrong kept as a conflict for a manager, never edited
nor deleted, queued for the tax agency's sender; the send queue; ``journal --verify``."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from sync.protocol import PushResponse
from sync.server import cli
from sync.server.services._sql import utcnow
from sync.server.services.aeat_sender import DirectorySender, SendResult, send_pending
from sync.server.tables import fiscal_records, fiscal_send_queue

FISCAL = "fiscal.recorded"


@pytest.fixture
def shop(backend):
    backend.store("T01")
    backend.store("T02")
    return backend


class _Register:
    """A register's outbox of fiscal records: each push takes the next sequence numbers."""

    def __init__(self, shop, make_event, make_journal):
        self.shop = shop
        self.register = shop.enroll("T01")
        self.journal = make_journal(self.register)
        self.make_event = make_event
        self.seq = 0
        self.messages: list[str | None] = []

    def events(self, *payloads, type_=FISCAL):
        out = []
        for payload in payloads:
            self.seq += 1
            out.append(self.make_event(self.seq, payload, type_))
        return out

    def send(self, events):
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]

    def __call__(self, *payloads):
        return self.send(self.events(*payloads))


@pytest.fixture
def till(shop, make_event, make_journal):
    return _Register(shop, make_event, make_journal)


def _flipped(record, field="amount_total"):
    """``record`` with one byte of ``field`` changed and its hashes left as they were."""
    changed = dict(record)
    value = changed[field]
    changed[field] = value[:-1] + ("1" if value[-1] != "1" else "2")
    return changed


def test_a_valid_chain_is_applied_kept_and_its_billing_records_queued(till):
    journal = till.journal
    records = [journal.ticket(1210 * n, 210 * n) for n in range(1, 4)]
    records.append(journal.close("till-1"))
    assert till(*records[:2]) == [("applied", None)] * 2
    assert till(*records[2:]) == [("applied", None)] * 2  # the chain goes on across pushes
    shop = till.shop
    assert shop.count(fiscal_records) == 4
    assert shop.count(fiscal_records, fiscal_records.c.conflict.is_not(None)) == 0
    # The Z close is in the journal, not sent to the tax agency.
    assert shop.count(fiscal_send_queue, fiscal_send_queue.c.state == "pending") == 3
    stored = shop.scalar(
        select(fiscal_records.c.fingerprint).where(fiscal_records.c.chain_seq == 2)
    )
    assert stored == records[1]["fingerprint"]


def test_a_record_with_a_flipped_byte_is_kept_as_journal_broken(till):
    journal = till.journal
    first, second, third = journal.ticket(), journal.ticket(500, 87), journal.ticket()
    assert till(first, _flipped(second), third) == [
        ("applied", None),
        ("conflict", "journal_broken"),
        ("applied", None),  # it links to the record as the register made it
    ]
    assert "record 2" in till.messages[1] and "fingerprint does not match" in till.messages[1]
    shop = till.shop
    assert shop.count(fiscal_records) == 3  # kept: a fact, a manager must look
    assert shop.count(fiscal_records, fiscal_records.c.conflict == "journal_broken") == 1


def test_a_flipped_journal_hash_is_journal_broken_too(till):
    first = till.journal.ticket()
    broken = dict(first, journal_hash=first["journal_hash"][:-1] + "0")
    if broken["journal_hash"] == first["journal_hash"]:
        broken["journal_hash"] = first["journal_hash"][:-1] + "1"
    assert till(broken) == [("conflict", "journal_broken")]
    assert "journal hash does not match" in till.messages[0]


def test_a_deleted_record_is_a_journal_gap_and_the_chain_goes_on_after_it(till):
    journal = till.journal
    first, second, third, fourth = (journal.ticket() for _ in range(4))
    del second  # deleted at the register: never pushed
    assert till(first, third, fourth) == [
        ("applied", None),
        ("conflict", "journal_gap"),
        ("applied", None),
    ]
    assert "record 2 is missing" in till.messages[1]


def test_two_records_swapped_are_both_flagged(till):
    journal = till.journal
    first, second, third = (journal.ticket() for _ in range(3))
    assert till(first, third, second) == [
        ("applied", None),
        ("conflict", "journal_gap"),
        ("conflict", "journal_broken"),
    ]
    assert "arrived after record 3" in till.messages[2]


def test_a_record_not_linked_to_the_previous_one_is_journal_broken(till, make_journal):
    other = make_journal(till.register)  # a second journal of the same register: a fork
    first = till.journal.ticket()
    other.ticket()
    second_of_other = other.ticket()
    assert till(first, second_of_other) == [("applied", None), ("conflict", "journal_broken")]
    assert "not linked" in till.messages[1]


def test_duplicates_are_duplicates_and_a_record_sent_again_is_refused(till):
    journal = till.journal
    first, second = journal.ticket(), journal.ticket()
    events = till.events(first, second)
    assert till.send(events) == [("applied", None)] * 2
    assert till.send(events) == [("duplicate", None)] * 2  # the same events: nothing twice
    # The same record in a new event: refused, the first one stands.
    assert till(second) == [("rejected", "duplicate_record")]
    # Another record with a number the backend holds: the journal forked.
    fork = dict(journal.ticket(), chain_seq=2)
    assert till(fork) == [("rejected", "journal_fork")]
    assert till.shop.count(fiscal_records) == 2
    assert till.shop.count(fiscal_send_queue) == 2


def test_a_record_of_another_register_is_rejected(till):
    record = dict(till.journal.ticket(), store_code="T02")
    assert till(record) == [("rejected", "wrong_store")]
    assert till.shop.count(fiscal_records) == 0


def test_an_invalid_record_is_rejected_with_what_is_wrong(till):
    record = dict(till.journal.ticket(), amount_total="12,10")
    assert till(record) == [("rejected", "invalid_payload")]
    assert "amount_total" in till.messages[0]


def test_an_issue_record_without_its_invoice_type_is_rejected_and_the_queue_goes_on(till):
    journal = till.journal
    first, second = journal.ticket(), journal.ticket()
    assert till(dict(first, invoice_type=None), second) == [
        ("rejected", "invalid_payload"),
        ("conflict", "journal_gap"),
    ]
    assert "invoice_type" in till.messages[0]


def test_the_database_refuses_to_edit_or_delete_a_record(till):
    assert till(till.journal.ticket()) == [("applied", None)]
    database = till.shop.database
    with pytest.raises(DBAPIError, match="never edited"), database.writing() as conn:
        conn.execute(update(fiscal_records).values(amount_total="0.01"))
    with pytest.raises(DBAPIError, match="never edited"), database.writing() as conn:
        conn.execute(delete(fiscal_records))
    assert till.shop.count(fiscal_records, fiscal_records.c.amount_total == "12.10") == 1


class _FailingSender:
    def __init__(self):
        self.batches = []

    def send(self, records):
        self.batches.append([r.record_id for r in records])
        return [SendResult(r.record_id, False, "503 Servicio no disponible") for r in records]


class _BrokenSender:
    def send(self, records):
        raise ConnectionError("no route to host")


def test_the_send_queue_retries_after_failures_and_marks_what_was_sent(till, tmp_path):
    journal = till.journal
    records = [journal.ticket(), journal.ticket(), journal.close("till-1")]
    till(*records)
    database = till.shop.database
    now = utcnow()
    failing = _FailingSender()
    summary = send_pending(database, failing, now=now)
    assert (summary.sent, summary.failed) == (0, 2)
    assert failing.batches == [[records[0]["record_id"], records[1]["record_id"]]]  # in order
    with database.reading() as conn:
        rows = conn.execute(select(fiscal_send_queue)).all()
    assert {(r.state, r.attempts, r.last_error) for r in rows} == {
        ("failed", 1, "503 Servicio no disponible")
    }
    # Not due again at once: backed off.
    assert send_pending(database, failing, now=now + timedelta(seconds=30)) == (
        send_pending(database, failing, now=now)
    )
    assert len(failing.batches) == 1
    # A sender that raises: the whole batch failed, counted, backed off longer.
    later = now + timedelta(minutes=2)
    summary = send_pending(database, _BrokenSender(), now=later)
    assert summary.failed == 2 and "no route to host" in summary.errors[0]
    with database.reading() as conn:
        attempts = conn.execute(select(fiscal_send_queue.c.attempts)).scalars().all()
    assert attempts == [2, 2]
    # The stand-in sender writes the batch to a directory for IT, and marks it sent.
    outbox = tmp_path / "aeat"
    summary = send_pending(database, DirectorySender(outbox), now=later + timedelta(minutes=3))
    assert (summary.sent, summary.failed) == (2, 0)
    (written,) = outbox.glob("batch-*.json")
    document = json.loads(written.read_text(encoding="utf-8"))
    assert [r["fingerprint"] for r in document["records"]] == [
        records[0]["fingerprint"],
        records[1]["fingerprint"],
    ]
    assert till.shop.count(fiscal_send_queue, fiscal_send_queue.c.state == "sent") == 2
    assert send_pending(database, DirectorySender(outbox), now=later + timedelta(days=1)) == (
        send_pending(database, failing, now=later + timedelta(days=1))
    )
    assert len(list(outbox.glob("batch-*.json"))) == 1  # nothing sent twice


def test_cli_send_records_writes_the_queue_to_a_directory(till, database_url, tmp_path, capsys):
    till(till.journal.ticket(), till.journal.ticket())
    outbox = tmp_path / "out"
    assert cli.main(["send-records", "--database", database_url, "--to", str(outbox)]) == 0
    assert "sent 2, failed 0" in capsys.readouterr().out
    assert len(list(outbox.glob("batch-*.json"))) == 1
    assert cli.main(["send-records", "--database", database_url, "--to", str(outbox)]) == 0
    assert "sent 0, failed 0; queue: 0 pending, 0 failed (tried again later), 2 sent" in (
        capsys.readouterr().out
    )


def test_cli_journal_verify_names_the_first_broken_record(till, database_url, capsys):
    journal = till.journal
    records = [journal.ticket(100 * n, 17 * n) for n in range(1, 6)]
    records[2] = _flipped(records[2], "tax_total")
    till(*records)
    args = ["journal", "--database", database_url, "--store", "T01"]
    args += ["--register", till.register.register_code]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "SEQ" in out and out.count("F2") == 5 and "journal_broken" in out
    assert cli.main([*args, "--verify"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN: record 3 (" in out and "fingerprint does not match" in out


def test_cli_journal_verify_passes_an_intact_chain(till, database_url, capsys):
    journal = till.journal
    till(*(journal.ticket() for _ in range(3)), journal.close("till-1"))
    code = cli.main(
        [
            "journal",
            "--database",
            database_url,
            "--store",
            "T01",
            "--register",
            till.register.register_code,
            "--verify",
        ]
    )
    assert code == 0
    assert "the chain holds: 4 record(s) verified" in capsys.readouterr().out


def test_cli_journal_of_an_unknown_register_says_so(till, database_url, capsys):
    args = ["journal", "--database", database_url, "--store", "T01", "--register", "C99"]
    assert cli.main(args) == 2
    assert "no fiscal records of register T01/C99" in capsys.readouterr().err


def test_a_chain_of_thousands_of_records_is_taken_and_verified(till, database_url, capsys):
    journal = till.journal
    records = [journal.ticket(100 + n, 17) for n in range(2000)]
    for start in range(0, len(records), 500):
        assert till(*records[start : start + 500]) == [("applied", None)] * 500
    assert till.shop.count(fiscal_records, fiscal_records.c.conflict.is_(None)) == 2000
    args = ["journal", "--database", database_url, "--store", "T01"]
    assert cli.main([*args, "--register", till.register.register_code, "--verify"]) == 0
    assert "the chain holds: 2000 record(s) verified" in capsys.readouterr().out
