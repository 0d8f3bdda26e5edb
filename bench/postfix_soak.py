"""Long-run memory through a real Postfix (scripts/bench-soak): giftcard-milter in a release build on a
unix socket, SOAK_MESSAGES messages (default 20,000) in chunks of 1,000, clean newsletters and bannered
scams taking turns, the milter's resident memory read from /proc after each chunk. A leak shows as
growth chunk after chunk; the run fails if memory after the last chunk exceeds that after the first by
more than SOAK_GROWTH_MB (default 20 MB), or if any message was not scanned.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "IntegrationTests"))
from harness import MILTER, Postfix  # noqa: E402
from postfix_throughput import Process, clean_message, scam_message, send  # noqa: E402

TOTAL = int(os.environ.get("SOAK_MESSAGES", "20000"))
CHUNK = 1000
ALLOWED_GROWTH_MB = float(os.environ.get("SOAK_GROWTH_MB", "20"))


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    work = tempfile.mkdtemp(prefix="gcm-soak-")
    os.chmod(work, 0o755)
    files = []
    for name, data in (("clean.eml", clean_message()), ("scam.eml", scam_message())):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(data)
        files.append(path)
    config = os.path.join(work, "giftcard-milter.conf")
    with open(config, "w") as f:
        f.write(f"StateDirectory {work}/state\nLogLevel warning\nSocketMode 0666\nAuditLog {work}/audit.jsonl\n")
    milter = Process([MILTER, "run", "--config", config, "--socket"], work)
    milter.start()
    postfix = Postfix(milter.socket, extra_main="in_flow_delay = 0\nsmtpd_peername_lookup = no\n", dump=False, authenticate=False)
    postfix.start()
    samples = []
    try:
        start = time.monotonic()
        for chunk in range(TOTAL // CHUNK):
            send(postfix, files[chunk % 2], CHUNK)
            samples.append(resident_mb(milter.process.pid))
            print(f"after {(chunk + 1) * CHUNK:6d} messages: {samples[-1]:6.1f} MB resident", flush=True)
        elapsed = time.monotonic() - start
        trouble = [line for line in postfix.maillog_text().splitlines() if "warning" in line and "milter" in line.lower()]
    finally:
        postfix.stop()
        milter.stop()
        postfix.cleanup()
    # Every message reached the milter: one audit record each.
    deadline = time.time() + 10
    while time.time() < deadline:
        with open(os.path.join(work, "audit.jsonl")) as f:
            records = sum(1 for _ in f)
        if records >= TOTAL:
            break
        time.sleep(0.2)
    growth = samples[-1] - samples[0]
    print(f"{TOTAL} messages in {elapsed:.0f} s ({TOTAL / elapsed:.0f} msg/s), {records} audit records; resident "
          f"{samples[0]:.1f} MB after the first {CHUNK}, peak {max(samples):.1f} MB, {samples[-1]:.1f} MB at the end "
          f"(growth {growth:+.1f} MB, allowed {ALLOWED_GROWTH_MB:.0f} MB)")
    if trouble or records < TOTAL:
        sys.exit("soak: not every message was scanned:\n" + "\n".join(trouble[:5]))
    if growth > ALLOWED_GROWTH_MB:
        sys.exit("soak: resident memory kept growing")


if __name__ == "__main__":
    main()
