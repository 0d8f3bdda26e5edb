"""The packaged systemd unit (issue 13, first steps): systemd-analyze verifies it, with its command
lines pointed at the built binary and its manual page found, and its offline security exposure is
below 2.0 ("OK"). The figure is printed."""
import pytest
import os
import re
import shutil
import subprocess
import tempfile

from harness import MILTER, ROOT

pytestmark = pytest.mark.root

UNIT = os.path.join(ROOT, "packaging", "systemd", "giftcard-milter.service")


def installed_copy(directory):
    with open(UNIT) as f:
        text = f.read().replace("/usr/local/bin/giftcard-milter", MILTER)
    path = os.path.join(directory, "giftcard-milter.service")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_the_unit_verifies():
    directory = tempfile.mkdtemp(prefix="gcm-unit-")
    try:
        unit = installed_copy(directory)
        env = dict(os.environ, MANPATH=os.path.join(ROOT, "packaging", "man"))
        result = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, env=env, timeout=60)
        problems = [line for line in (result.stdout + result.stderr).splitlines()
                    if "giftcard-milter" in line and "Unknown user" not in line]
        assert result.returncode == 0 and not problems, result.stdout + result.stderr
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_the_unit_is_hardened():
    result = subprocess.run(["systemd-analyze", "security", "--offline=true", UNIT], capture_output=True, text=True, timeout=60)
    match = re.search(r"Overall exposure level for giftcard-milter\.service: ([0-9.]+) (\w+)", result.stdout)
    assert match, result.stdout + result.stderr
    print(f"systemd-analyze security --offline=true: exposure {match.group(1)} {match.group(2)}")
    assert float(match.group(1)) < 2.0 and match.group(2) == "OK", result.stdout
    # What the daemon needs stays allowed: unix and TCP sockets, the chown of its socket's group.
    with open(UNIT) as f:
        text = f.read()
    assert "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" in text and "SystemCallFilter=@chown" in text


def test_the_manual_pages_render_and_the_configuration_page_matches_the_readme():
    """giftcard-milter.conf(5) is written from docs/configuration.md's reference (itself from the code's key table); the committed page
    must be what scripts/make-manpages writes now, and both pages must render without a warning."""
    assert subprocess.run([os.path.join(ROOT, "scripts", "make-manpages"), "--check"], timeout=60).returncode == 0, \
        "packaging/man/man5/giftcard-milter.conf.5 is stale: run scripts/make-manpages"
    for page in ("man8/giftcard-milter.8", "man5/giftcard-milter.conf.5"):
        # -Wbreak: long URLs and paths cannot always be adjusted; that is layout, not an error.
        result = subprocess.run(["groff", "-k", "-Tutf8", "-man", "-ww", "-Wbreak", "-z", os.path.join(ROOT, "packaging", "man", page)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stderr == "", (page, result.stderr)
    with open(os.path.join(ROOT, "packaging", "man", "man5", "giftcard-milter.conf.5")) as f:
        text = f.read()
    assert "StateDatabase" in text and "OnSuspicious" in text
