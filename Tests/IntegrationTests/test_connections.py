"""Connections through real Postfix: 1,100 idle connections from a local user no longer exhaust the
milter's descriptors (defect 8). Past MaximumConnections new ones are closed at once, so Postfix answers
with default_action without waiting; connections that never start the milter protocol are closed after
HandshakeTimeout, and mail gets its verdict again."""
import pytest
import os
import resource
import socket
import tempfile
import time

from harness import Milter, Postfix, parse
import messages

pytestmark = pytest.mark.root


def test_idle_connections_do_not_exhaust_the_milter():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    base = tempfile.mkdtemp(prefix="gcm-conns-")
    milter = Milter(base, f"StateDirectory {base}/state\nMaximumConnections 200\nHandshakeTimeout 3\n")
    milter.start()
    postfix = Postfix(milter.port)
    idle = []
    try:
        postfix.start()
        for _ in range(1100):
            idle.append(socket.create_connection(("127.0.0.1", milter.port), timeout=5))
        time.sleep(0.5)
        assert milter.process.poll() is None
        descriptors = len(os.listdir(f"/proc/{milter.process.pid}/fd"))
        assert descriptors < 400, f"milter holds {descriptors} descriptors"
        # With the cap full, Postfix is answered at once (default_action), not after a wait.
        started = time.time()
        parse(postfix.send(messages.ordinary()))
        assert time.time() - started < 5
        # The silent connections are closed after HandshakeTimeout: they read the end of the stream.
        time.sleep(5)
        idle[0].settimeout(2)
        assert idle[0].recv(1) == b""
        delivered = parse(postfix.send(messages.spoofed_amazon_callback()))
        assert delivered["X-GiftCard-Verdict"] == "suspicious"
        log = milter.log_text()
        assert "refused" in log and "at MaximumConnections (200)" in log, log
        # The sessions Postfix did open were recognised as negotiated, so reaping stayed on.
        assert "HandshakeTimeout is off" not in log
    finally:
        for s in idle:
            s.close()
        postfix.stop()
        milter.stop()
        postfix.cleanup()
