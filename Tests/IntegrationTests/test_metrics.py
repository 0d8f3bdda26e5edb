"""The Prometheus endpoint (issue 13): scraped with curl after known messages went through a real
Postfix, its counters match what was sent (and the audit log line for line); reloads are counted by
outcome; the processing-time histogram and the state store's latency count every message; with no
MetricsListen the daemon listens on its milter socket alone."""
import pytest
import collections
import json
import os
import re
import signal
import subprocess
import time

from harness import free_port, milter_and_postfix, parse
import messages

pytestmark = pytest.mark.root

SAMPLE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')


def scrape(port):
    result = subprocess.run(["curl", "-sS", "--fail", "-D", "-", f"http://127.0.0.1:{port}/metrics"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition("\n\n")  # text mode has made CRLF into LF
    assert "text/plain; version=0.0.4" in head, head
    samples = {}
    for line in body.splitlines():
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, f"not exposition format: {line!r}"
        name, labels, value = match.groups()
        samples[(name, tuple(sorted(re.findall(r'(\w+)="([^"]*)"', labels or ""))))] = float(value)
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_counters_match_what_was_sent():
    port = free_port()
    config = f"StateDirectory {{base}}/state\nAuditLog {{base}}/audit.jsonl\nMetricsListen 127.0.0.1:{port}\n"
    with milter_and_postfix(config, prefix="gcm-metrics-") as (milter, postfix):
        assert milter.wait_for_log(f"metrics on http://127.0.0.1:{port}/metrics")
        before = scrape(port)
        assert value(before, "giftcard_build_info", version=milter_version()) == 1
        assert not [key for key in before if key[0] == "giftcard_messages_total"]

        sent = [messages.spoofed_amazon_callback(), messages.spoofed_amazon_callback(), messages.ordinary(),
                messages.german_reward_lure(), messages.ordinary(), messages.ordinary()]
        verdicts = [parse(postfix.send(m))["X-GiftCard-Verdict"] for m in sent]
        assert collections.Counter(verdicts) == {"suspicious": 3, "none": 3}, verdicts
        samples = scrape(port)

        audit = milter.audit_records()
        assert len(audit) == len(sent)
        # Every message, by verdict, action and banner outcome, as the audit log has it.
        expected = collections.Counter((r["verdict"], r["action"], r["banner"]) for r in audit)
        exposed = {tuple(dict(labels)[k] for k in ("verdict", "action", "banner")): v
                   for (name, labels), v in samples.items() if name == "giftcard_messages_total"}
        assert exposed == expected, (exposed, expected)
        assert sum(v for (v_, a, b), v in exposed.items() if v_ == "suspicious") == 3
        assert exposed[("none", "header", "none")] == 3
        # Reason tokens, as many times as the audit records name them.
        reasons = collections.Counter(reason for r in audit for reason in r["reasons"])
        assert reasons, audit
        for reason, count in reasons.items():
            assert value(samples, "giftcard_reasons_total", reason=reason) == count, reason
        # One processing time per message; the SQLite store's record latency for each recorded confirmation.
        assert value(samples, "giftcard_processing_seconds_count") == len(sent)
        assert value(samples, "giftcard_processing_seconds_bucket", le="+Inf") == len(sent)
        assert value(samples, "giftcard_state_errors_total", store="sqlite", operation="record") == 0
        assert value(samples, "giftcard_state_seconds_count", store="sqlite", operation="incidents") >= 1

        # Reloads by outcome: one applied, one refused.
        milter.process.send_signal(signal.SIGHUP)
        assert milter.wait_for_log("SIGHUP: configuration reloaded")
        with open(milter.config, "a") as f:
            f.write("OnSuspicious explode\n")
        milter.process.send_signal(signal.SIGHUP)
        assert milter.wait_for_log("SIGHUP: configuration refused")
        samples = scrape(port)
        assert value(samples, "giftcard_config_reloads_total", result="applied") == 1
        assert value(samples, "giftcard_config_reloads_total", result="refused") == 1
        # Other paths and methods are refused; the endpoint answers on, and mail still flows.
        status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}/"],
                                capture_output=True, text=True, timeout=30).stdout
        assert status == "404"
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        assert value(scrape(port), "giftcard_messages_total", verdict="none", action="header", banner="none") == 4


def milter_version():
    from harness import MILTER
    return subprocess.run([MILTER, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()


def listening_ports(pid):
    """The TCP ports `pid` listens on: its socket descriptors matched against the kernel's table."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_no_port_is_open_without_metrics_listen():
    with milter_and_postfix("StateDirectory {base}/state\n", prefix="gcm-nometrics-") as (milter, postfix):
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        assert listening_ports(milter.process.pid) == {milter.port}
        assert "metrics on" not in milter.log_text()


def test_a_port_in_use_is_logged_and_mail_still_flows():
    with milter_and_postfix("StateDirectory {base}/state\n", prefix="gcm-busy-") as (first, _):
        # The first milter's own port is taken: the second cannot have it for metrics.
        config = f"StateDirectory {{base}}/state\nMetricsListen 127.0.0.1:{first.port}\n"
        with milter_and_postfix(config, prefix="gcm-busy2-") as (milter, postfix):
            assert parse(postfix.send(messages.spoofed_amazon_callback()))["X-GiftCard-Verdict"] == "suspicious"
            assert milter.wait_for_log(f"MetricsListen 127.0.0.1:{first.port}: cannot listen")


def test_idle_metrics_connections_cannot_starve_the_milter():
    """Defect: the endpoint had no cap and no idle timeout, and shared the descriptor table with the
    milter: 1,042 idle connections under a 1,024 limit made the next messages wait 40 s and pass unscanned,
    with nothing in the log. Now past 16 connections a new one is closed at once, counted and said once,
    idle ones are closed after 10 s, and mail flows throughout."""
    import socket
    port = free_port()
    config = f"StateDirectory {{base}}/state\nMetricsListen 127.0.0.1:{port}\n"
    with milter_and_postfix(config, prefix="gcm-metrics-cap-") as (milter, postfix):
        assert milter.wait_for_log(f"metrics on http://127.0.0.1:{port}/metrics")
        held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(16)]
        # Each held connection is served once (a keep-alive scrape answered) before the next ones arrive:
        # the endpoint's own answer says it accepted and kept it, not a pause that a slow machine outruns.
        for conn in held:
            conn.sendall(b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = conn.recv(4096)
                assert chunk, "a held connection was closed before the cap was reached"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200"), answer
        extra = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(40)]
        started = time.monotonic()
        for conn in extra:
            assert conn.recv(1) == b"", "a connection past the cap was kept"
        assert time.monotonic() - started < 3
        started = time.monotonic()
        assert parse(postfix.send(messages.spoofed_amazon_callback()))["X-GiftCard-Verdict"] == "suspicious"
        assert time.monotonic() - started < 3
        assert milter.wait_for_log("metrics endpoint: 16 connections open")
        assert milter.log_text().count("metrics endpoint: 16 connections open") == 1
        # Idle ones are closed by the endpoint within its 10 s; then scraping works again.
        started = time.monotonic()
        for conn in held:
            conn.settimeout(20)
            assert conn.recv(1) == b""
        assert 8 < time.monotonic() - started < 15
        for conn in held + extra:
            conn.close()
        samples = scrape(port)
        assert value(samples, "giftcard_metrics_connections_refused_total") == 40


def test_the_exposition_passes_promtool():
    """Every family has its # HELP and # TYPE (`promtool check metrics`, Prometheus's own linter)."""
    port = free_port()
    config = f"StateDirectory {{base}}/state\nMetricsListen 127.0.0.1:{port}\n"
    with milter_and_postfix(config, prefix="gcm-promtool-") as (milter, postfix):
        assert milter.wait_for_log(f"metrics on http://127.0.0.1:{port}/metrics")
        for m in (messages.spoofed_amazon_callback(), messages.ordinary(), messages.german_reward_lure()):
            postfix.send(m)
        text = subprocess.run(["curl", "-sS", "--fail", f"http://127.0.0.1:{port}/metrics"], capture_output=True, text=True,
                              timeout=30, check=True).stdout
        checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        families = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
        assert len(families) >= 8 and all(f"# HELP {f} " in text for f in families)
