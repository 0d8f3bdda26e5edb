"""The audit log under faults, through real Postfix: a disk that fills (a real tmpfs of a few KB) and
frees again, and a link planted at the log's path. Mail flows throughout; each record is whole or absent;
the error says the system's own words; the daemon, run as root, never appends through a link."""
import json
import os
import subprocess
import tempfile

import pytest

from harness import MILTER, TRUSTED, free_port, milter_and_postfix, parse
import messages

pytestmark = pytest.mark.root


@pytest.fixture()
def small_disk():
    """A tmpfs of 64 KB, unmounted afterwards."""
    mount = tempfile.mkdtemp(prefix="gcm-fulldisk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", mount], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", mount], check=False)


def fill(directory, leave):
    """Fills the file system but for about `leave` bytes; returns the filler's path."""
    filler = os.path.join(directory, "filler")
    stats = os.statvfs(directory)
    free = stats.f_bavail * stats.f_frsize
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_drops_whole_records_says_why_and_resumes(small_disk):
    audit = os.path.join(small_disk, "audit.jsonl")
    port = free_port()
    config = f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {{base}}/state\nAuditLog {audit}\nMetricsListen 127.0.0.1:{port}\n"
    with milter_and_postfix(config, prefix="gcm-audit-full-") as (milter, postfix):
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        # No free block left: records fill the log's last block, one is cut short where it ends (tmpfs
        # writes what fits), the ones after it fail outright.
        filler = fill(small_disk, leave=0)
        during = [parse(postfix.send(m))["X-GiftCard-Verdict"] for m in [messages.spoofed_amazon_callback()] * 12]
        assert during == ["suspicious"] * 12
        log = milter.log_text()
        assert "cannot write the audit log: No space left on device; record dropped" in log, log
        assert "Success" not in log
        os.remove(filler)
        after = [parse(postfix.send(m))["X-GiftCard-Verdict"] for m in (messages.ordinary(), messages.spoofed_amazon_callback())]
        assert after == ["none", "suspicious"]
        exposition = subprocess.run(["curl", "-sS", "--fail", f"http://127.0.0.1:{port}/metrics"], capture_output=True,
                                    text=True, timeout=30, check=True).stdout
    with open(audit, "rb") as f:
        lines = f.read().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]  # every line is one whole record
    verdicts = [r["verdict"] for r in records]
    assert verdicts[0] == "none" and verdicts[-2:] == ["none", "suspicious"], verdicts
    assert 3 < len(records) < 1 + 12 + 2, verdicts  # some written before the disk filled, some dropped
    # Every dropped record counted.
    assert f"giftcard_audit_records_dropped_total {1 + 12 + 2 - len(records)}" in exposition, exposition
    summary = subprocess.run([MILTER, "audit", audit], capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0, summary.stderr
    assert f"messages: {len(records)}" in summary.stdout, summary.stdout


def test_a_link_at_the_audit_path_is_never_followed():
    base = tempfile.mkdtemp(prefix="gcm-audit-link-")
    os.chmod(base, 0o755)
    audit = os.path.join(base, "audit.jsonl")
    target = os.path.join(base, "shadow-copy")
    with open(target, "w") as f:
        f.write("root:x:0:0::/root:/bin/sh\n")
    os.symlink(target, audit)
    config = f"StateDirectory {{base}}/state\nAuditLog {audit}\n"
    with milter_and_postfix(config, prefix="gcm-audit-link2-") as (milter, postfix):
        assert parse(postfix.send(messages.spoofed_amazon_callback()))["X-GiftCard-Verdict"] == "suspicious"
        assert "symbolic link, which the daemon does not follow" in milter.log_text()
        # Rotation puts a real file in place: records go there; a link planted after the next rotation is
        # refused again.
        os.remove(audit)
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        assert os.path.isfile(audit) and not os.path.islink(audit)
        os.rename(audit, audit + ".1")
        os.symlink(target, audit)
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
    with open(target) as f:
        assert f.read() == "root:x:0:0::/root:/bin/sh\n"
    with open(audit + ".1") as f:
        assert len(f.readlines()) == 1
