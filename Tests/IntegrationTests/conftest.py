import os
import shutil

import pytest

from harness import SENDMAIL, TRUSTED, Milter, Postfix

BULK = 5


def pytest_configure(config):
    config.addinivalue_line("markers", "root: starts Postfix, OpenDKIM or a booted system, or drops privileges (needs root)")
    config.addinivalue_line("markers", "postfix: asks Postfix's own tools (postconf, postmap)")
    config.addinivalue_line("markers", "sendmail: runs Debian's Sendmail, unpacked by scripts/install-deps")


def pytest_collection_modifyitems(config, items):
    """Without root (or without Postfix installed) the tests that need them are skipped, each with the
    reason (`-rs` lists them); the rest (check, configtest, the corpus snapshot) still run."""
    missing_root = os.geteuid() != 0
    missing_postfix = shutil.which("postmap") is None
    missing_sendmail = not (os.access(SENDMAIL, os.X_OK) and os.path.exists("/usr/share/sendmail/cf/m4/cf.m4"))
    for item in items:
        if missing_root and item.get_closest_marker("root"):
            item.add_marker(pytest.mark.skip(reason="needs root: starts Postfix or drops privileges (run as root, after scripts/install-deps)"))
        elif missing_postfix and (item.get_closest_marker("postfix") or item.get_closest_marker("root")):
            item.add_marker(pytest.mark.skip(reason="needs Postfix installed (scripts/install-deps)"))
        elif missing_sendmail and item.get_closest_marker("sendmail"):
            item.add_marker(pytest.mark.skip(reason=f"needs Debian's Sendmail at {SENDMAIL} and sendmail-cf (scripts/install-deps)"))


@pytest.fixture(scope="module")
def stack():
    """A running milter behind a running Postfix; torn down after the module."""
    postfix = None
    milter = None
    base = None
    try:
        import tempfile
        base = tempfile.mkdtemp(prefix="gcm-milter-")
        milter = Milter(base, f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {base}/state\nBulkRecipients {BULK}\n"
                              f"AuditLog {base}/audit.jsonl\n")
        milter.start()
        postfix = Postfix(milter.port)
        postfix.start()
        yield postfix, milter
    finally:
        if postfix:
            postfix.stop()
        if milter:
            milter.stop()
        if postfix:
            postfix.cleanup()
