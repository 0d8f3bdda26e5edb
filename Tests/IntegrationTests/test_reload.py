"""Reload without restart (issue 13): SIGHUP re-reads the configuration and new connections use it,
under load, losing and deferring nothing; a configuration that does not parse is refused, logged, and
the old behaviour stays."""
import pytest
import signal
import smtplib
import threading
import time

from harness import milter_and_postfix, parse
import messages

pytestmark = pytest.mark.root

CONFIG = "StateDirectory {base}/state\nOnSuspicious banner\n"


def send_scam(postfix):
    """The scam over SMTP: 'delivered' with its verdict, or 'rejected' with its reply code."""
    try:
        with smtplib.SMTP("127.0.0.1", postfix.smtp_port, timeout=60) as smtp:
            smtp.sendmail("load@example.net", ["alice@example.org"], messages.spoofed_amazon_callback())
        return "delivered"
    except smtplib.SMTPDataError as error:
        return f"rejected {error.smtp_code}"


def test_sighup_switches_banner_to_reject_under_load_and_refuses_a_broken_file():
    with milter_and_postfix(CONFIG, prefix="gcm-reload-") as (milter, postfix):
        assert send_scam(postfix) == "delivered"
        outcomes, stop = [], threading.Event()

        def load():
            while not stop.is_set():
                try:
                    outcomes.append((time.time(), send_scam(postfix)))
                except Exception as error:  # a deferral (4xx) or a dropped connection is a lost message
                    outcomes.append((time.time(), repr(error)))

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        # Timeout cannot change live: the reload says so and keeps the running value.
        text = open(milter.config).read().replace("OnSuspicious banner", "OnSuspicious reject") + "Timeout 120\n"
        with open(milter.config, "w") as f:
            f.write(text)
        reloaded_at = time.time()
        milter.process.send_signal(signal.SIGHUP)
        assert milter.wait_for_log("SIGHUP: configuration reloaded")
        assert "changed but applied only at a restart: Timeout" in milter.log_text()
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        kinds = {outcome for _, outcome in outcomes}
        # Nothing lost or deferred: every message was delivered (before) or rejected with 550 (after).
        assert kinds <= {"delivered", "rejected 550"}, kinds
        assert any(o == "delivered" for t, o in outcomes if t < reloaded_at)
        assert any(o == "rejected 550" for _, o in outcomes)
        assert send_scam(postfix) == "rejected 550"
        assert milter.process.poll() is None

        # A broken file is refused with its reason, and the running (reject) settings stay.
        with open(milter.config, "w") as f:
            f.write(text.replace("OnSuspicious reject", "OnSuspicious explode"))
        milter.process.send_signal(signal.SIGHUP)
        assert milter.wait_for_log("SIGHUP: configuration refused")
        assert "OnSuspicious" in milter.log_text().split("SIGHUP: configuration refused")[1].splitlines()[0]
        assert send_scam(postfix) == "rejected 550"
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        assert milter.process.poll() is None
