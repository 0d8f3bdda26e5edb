"""Runs the miltertest Lua script against a live milter: protocol-level header actions."""
import pytest
import os
import subprocess
import tempfile

from harness import Milter, ROOT

pytestmark = pytest.mark.root

SCRIPT = os.path.join(ROOT, "Tests", "ProtocolTests", "verdict-headers.lua")


def test_miltertest_header_actions():
    milter = Milter(tempfile.mkdtemp(prefix="gcm-mt-"))
    milter.start()
    try:
        env = dict(os.environ, GIFTCARD_MILTER_SOCKET=f"inet:{milter.port}@127.0.0.1")
        result = subprocess.run(["miltertest", "-s", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "miltertest: all checks passed" in output, output
        assert "PROTO1: verdict=suspicious" in milter.log_text()
    finally:
        milter.stop()
