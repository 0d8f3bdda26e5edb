"""Messages per second through a real Postfix on the gift-card load, with the correlation state in the
SQLite file and in PostgreSQL on loopback (scripts/bench-state). The load is authenticated (DKIM-signed,
verified by OpenDKIM in front) gift-card confirmations, 30 mailings of 10 recipients each, so that every
message records and counts a sighting; 4 SMTP sessions send them. Rounds alternate between the two
stores; each store's best round is reported."""
import concurrent.futures
import os
import smtplib
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "IntegrationTests"))
from harness import TRUSTED, Milter, Postfix  # noqa: E402
import messages  # noqa: E402

URL, PASSWORD_FILE = sys.argv[1], sys.argv[2]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "4"))


def load(round_number):
    """Signed confirmations, new mailings each round (the amounts), so no round starts from another's counts."""
    batch = []
    for mailing in range(30):
        amount = f"${round_number * 100 + mailing}.00"
        for reader in range(10):
            recipient = f"reader{reader}@example.org"
            batch.append((recipient, messages.bulk_confirmation(recipient, amount)))
    return batch


def send_all(postfix, batch):
    def send(chunk):
        with smtplib.SMTP("127.0.0.1", postfix.smtp_port, timeout=60) as smtp:
            for recipient, data in chunk:
                smtp.sendmail("sender@example.net", [recipient], data)
    chunks = [batch[i::SESSIONS] for i in range(SESSIONS)]
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(SESSIONS) as pool:
        list(pool.map(send, chunks))
    return len(batch) / (time.monotonic() - began)


def round_with(store, batch):
    base = tempfile.mkdtemp(prefix=f"gcm-bench-{store}-")
    config = f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {base}/state\nBulkRecipients 5\n"
    if store == "postgresql":
        config += f"StateDatabase {URL}\nStateDatabasePasswordFile {PASSWORD_FILE}\n"
    # Unix sockets for both milters: over loopback TCP libmilter peers wait on delayed ACKs (about 45
    # msg/s with 4 sessions, whatever the store), which would measure the network stack instead.
    os.chmod(base, 0o755)
    socket = os.path.join(base, "milter.sock")
    milter = Milter(base, config + "SocketMode 0666\n")
    milter.start_on(socket)
    postfix = Postfix("unix:" + socket, dump=False, unix_authenticator=True)
    try:
        postfix.start()
        send_all(postfix, batch[:20])  # warm-up: connections, caches, the schema
        rate = send_all(postfix, batch[20:])
        assert "correlation state shared" in milter.log_text() or store == "sqlite"
        assert "judging with this host's memory" not in milter.log_text(), milter.log_text()
        return rate
    finally:
        postfix.stop()
        milter.stop()
        postfix.cleanup()


def main():
    print(f"signing {ROUNDS * 2 * 300} confirmations…", flush=True)
    batches = [load(n) for n in range(ROUNDS * 2)]
    best = {"sqlite": 0.0, "postgresql": 0.0}
    for n in range(ROUNDS):
        for index, store in enumerate(("sqlite", "postgresql")):
            rate = round_with(store, batches[n * 2 + index])
            best[store] = max(best[store], rate)
            print(f"round {n + 1} {store:10} {rate:7.1f} msg/s", flush=True)
    print(f"gift-card load, {SESSIONS} sessions: SQLite {best['sqlite']:.1f} msg/s, PostgreSQL {best['postgresql']:.1f} msg/s "
          f"({100 * best['postgresql'] / best['sqlite']:.0f} % of SQLite)")


main()
