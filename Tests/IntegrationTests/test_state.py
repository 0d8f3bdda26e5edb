"""The correlation state through real Postfix when its file is unusable (defect 7): the daemon says so
at start on one line, keeps correlating in memory (a mailing still turns `erroneous`), and every audit
record carries the reason."""
import json
import os
import shutil
import tempfile

import pytest

from harness import Milter, Postfix, TRUSTED, parse, read_audit
import messages

pytestmark = pytest.mark.root


def corrupt(state):
    with open(os.path.join(state, "state.sqlite"), "wb") as f:
        f.write(b"SQLite format 3\0" + b"\xa5" * 8192)


def read_only(state):
    # Written by root, read by the daemon's user: it can open it but not write to it.
    import sqlite3
    db = sqlite3.connect(os.path.join(state, "state.sqlite"))
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    os.chmod(os.path.join(state, "state.sqlite"), 0o644)


@pytest.mark.parametrize("damage, user", [(corrupt, None), (read_only, "nobody")])
def test_an_unusable_state_file_is_reported_and_correlation_goes_on_in_memory(damage, user):
    base = tempfile.mkdtemp(prefix="gcm-state-")
    os.chmod(base, 0o755)
    state = os.path.join(base, "state")
    os.makedirs(state)
    damage(state)
    audit = os.path.join(base, "audit", "audit.jsonl")
    os.makedirs(os.path.dirname(audit))
    if user:
        shutil.chown(os.path.dirname(audit), user)
    config = f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {state}\nBulkRecipients 4\nAuditLog {audit}\n"
    milter = Milter(base, config + (f"UserID {user}\n" if user else ""))
    milter.start()
    postfix = Postfix(milter.port)
    try:
        postfix.start()
        verdicts = []
        for n in range(8):
            recipient = f"reader{n}@example.org"
            verdicts.append(parse(postfix.send(messages.bulk_confirmation(recipient), recipients=[recipient]))["X-GiftCard-Verdict"])
        assert verdicts[0] == "genuine" and verdicts[-1] == "erroneous", verdicts
        assert verdicts.count("erroneous") >= 4, verdicts
        lines = [line for line in milter.log_text().splitlines() if "correlation state" in line and "unusable" in line]
        assert len(lines) == 1, milter.log_text()
        records = read_audit(audit)
        assert len(records) == 8
        assert all(r["correlation_state"].startswith("memory: ") and "unusable" in r["correlation_state"] for r in records)
    finally:
        postfix.stop()
        milter.stop()
        postfix.cleanup()


def test_a_healthy_state_file_leaves_no_note_in_the_audit_log(stack):
    postfix, milter = stack
    postfix.send(messages.ordinary())
    audit = milter.audit_records()
    assert audit and "correlation_state" not in audit[-1]


def test_a_damaged_incident_row_costs_the_message_its_incidents_not_the_daemon():
    """A hand-edited or damaged state file (text where a time belongs) passes SQLite's own check; reading
    it used to trap in the database library, and the daemon died with a long backtrace on every message.
    Now each message is judged without the incidents, the daemon says so on one line, and mail flows."""
    import sqlite3
    base = tempfile.mkdtemp(prefix="gcm-state-")
    os.chmod(base, 0o755)
    state = os.path.join(base, "state")
    milter = Milter(base, f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {state}\n")
    milter.start()
    milter.stop()
    db = sqlite3.connect(os.path.join(state, "state.sqlite"))
    db.execute("INSERT INTO incident (sender_domain, phrase, starts, ends, explanation) VALUES ('amazon.com', 'x', 'soon', 'later', 'e')")
    db.commit()
    db.close()
    milter.start()
    postfix = Postfix(milter.port)
    try:
        postfix.start()
        verdicts = [parse(postfix.send(messages.authenticated_amazon(), recipients=[f"r{n}@example.org"]))["X-GiftCard-Verdict"]
                    for n in range(6)]
        assert verdicts == ["genuine"] * 6, verdicts
        assert milter.process.poll() is None
        log = milter.log_text()
        assert "crashed" not in log.lower()
        lines = [l for l in log.splitlines() if "correlation state unavailable" in l]
        assert len(lines) == 1 and "starts" in lines[0], log
    finally:
        postfix.stop()
        milter.stop()
        postfix.cleanup()
