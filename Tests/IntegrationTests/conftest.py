import os

import pytest

from harness import TRUSTED, Milter, Postfix

BULK = 5


def pytest_configure(config):
    if os.geteuid() != 0:
        raise pytest.UsageError("integration tests start a real Postfix and must run as root")


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
