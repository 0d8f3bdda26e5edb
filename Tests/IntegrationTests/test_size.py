"""The shipped daemon carries Foundation's ICU data reduced (Sources/CFoundationICUData), not the 34 MB one,
and what it asks of Foundation still works with it."""
import os
import re
import subprocess
import tempfile

from harness import MILTER, ROOT

DATA_DIR = os.path.join(ROOT, "Sources", "CFoundationICUData")


def reduced_package():
    [name] = [n for n in os.listdir(DATA_DIR) if re.fullmatch(r"icudt\d+l\.dat", n)]
    return os.path.join(DATA_DIR, name)


def test_the_daemon_links_the_reduced_icu_data_and_not_the_toolchains():
    # Every ICU data entry point the binary defines, with its size: exactly one, ours, byte for byte. A
    # toolchain with another ICU would leave ours unused and link its own (icudt77_dat, 34 MB).
    symbols = subprocess.run(["nm", "-S", MILTER], capture_output=True, text=True, check=True).stdout
    points = re.findall(r"^[0-9a-f]+ ([0-9a-f]+) \w (icudt\d+_dat)$", symbols, re.M)
    package = reduced_package()
    version = re.search(r"icudt(\d+)l\.dat$", package).group(1)
    assert points == [(format(os.path.getsize(package), "016x"), f"icudt{version}_dat")], points
    # Foundation linked statically, as the package ships it: a dynamic Foundation has its own data.
    linked = subprocess.run(["ldd", MILTER], capture_output=True, text=True).stdout
    assert "libFoundation" not in linked and "lib_FoundationICU" not in linked, linked


def test_the_reduced_package_is_this_toolchains_data_reduced():
    checked = subprocess.run([os.path.join(ROOT, "scripts", "make-foundation-icu-data"), "--check"],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    assert "ICU" in checked.stdout, checked.stdout


def test_icu_reads_the_reduced_package_and_misses_only_dictionaries():
    # icupkg (Debian's ICU tools) reads the package's table and checks each item's dependencies; it exits 2
    # for a missing one, and the only ones missing must be the dictionaries left out on purpose.
    listed = subprocess.run(["icupkg", "-l", reduced_package()], capture_output=True, text=True, timeout=60)
    assert listed.returncode in (0, 2), listed.stderr
    items = listed.stdout.split()
    for needed in ("root.res", "en_US_POSIX.res", "supplementalData.res", "zoneinfo64.res", "pool.res",
                   "brkitr/word.brk", "coll/ucadata.icu"):
        assert needed in items, f"{needed} missing from {items}"
    assert not [i for i in items if i.endswith(".cnv") or i.startswith("translit/")], items
    missing = re.findall(r"depends on missing item (\S+)", listed.stderr)
    assert missing and all(m.endswith(".dict") for m in missing), listed.stderr


def test_what_the_daemon_asks_of_foundation_works_with_the_reduced_data():
    # Dates in and out (incident), JSON and number text (audit), with a locale the data does not carry:
    # the same text as in the C locale, and no crash.
    with tempfile.TemporaryDirectory() as work:
        state = os.path.join(work, "state.sqlite")
        for lang in ("C.UTF-8", "ar_EG.UTF-8"):
            env = dict(os.environ, LANG=lang, LC_ALL=lang)
            added = subprocess.run([MILTER, "incident", "add", "--state", state, "--sender-domain", "shop.example",
                                    "--phrase", "gift card", "--from", "2026-11-28", "--until", "2026-11-30T12:00:00Z",
                                    "--explanation", "sent in error"], capture_output=True, text=True, env=env, timeout=60)
            assert added.returncode == 0, added.stderr
            assert "2026-11-28T00:00:00Z to 2026-11-30T12:00:00Z" in added.stdout, added.stdout
        listed = subprocess.run([MILTER, "incident", "list", "--state", state], capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.count("2026-11-28T00:00:00Z\t2026-11-30T12:00:00Z") == 2, listed.stdout
        audit = os.path.join(work, "audit.log")
        record = ('{"time":"2026-11-28T10:00:00Z","queue_id":"Q1","envelope_sender":"a@shop.example",'
                  '"recipient_count":1,"recipients":["b@example.org"],"from_domain":"shop.example","subject":"s",'
                  '"verdict":"none","score":0,"reasons":[],"action":"accept","banner":"none","limits_reached":[],'
                  '"lang":"en","processing_ms":1.0,"version":"test"}\n')
        with open(audit, "w") as f:
            f.write(record * 1234)
        summary = subprocess.run([MILTER, "audit", audit], capture_output=True, text=True, timeout=60,
                                 env=dict(os.environ, LANG="ar_EG.UTF-8", LC_ALL="ar_EG.UTF-8"))
        assert summary.returncode == 0, summary.stderr
        assert summary.stdout.startswith("messages: 1234"), summary.stdout
        assert re.search(r"^  1234 +shop\.example$", summary.stdout, re.M), summary.stdout
