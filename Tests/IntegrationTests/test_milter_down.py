"""With the milter stopped, Postfix's per-milter default_action=accept keeps mail flowing."""
import pytest
import tempfile

from harness import Milter, Postfix, parse
import messages

pytestmark = pytest.mark.root


def test_mail_flows_when_milter_is_down():
    milter = Milter(tempfile.mkdtemp(prefix="gcm-down-"))
    milter.start()
    postfix = Postfix(milter.port)
    try:
        postfix.start()
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        assert milter.stop() == 0, "SIGTERM should stop the milter cleanly"
        delivered = parse(postfix.send(messages.spoofed_amazon_callback()))
        assert delivered.get_all("X-GiftCard-Verdict") is None
        assert "giftcard-milter stopped" in milter.log_text()
    finally:
        postfix.stop()
        milter.stop()
        postfix.cleanup()
