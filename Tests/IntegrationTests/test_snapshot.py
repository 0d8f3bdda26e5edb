"""The labeled corpus gives the verdicts and the bannered bytes recorded in
Tests/CorpusTests/banner-snapshot.txt (scripts/corpus-snapshot): refactors of the pipeline must not
change what a message gets, byte for byte. A deliberate change to detection or banners rewrites the
snapshot with `scripts/corpus-snapshot --update`, in the same commit, so the difference is reviewed."""
import os
import subprocess

from harness import MILTER, ROOT


def test_corpus_verdicts_and_bannered_bytes_match_the_snapshot():
    result = subprocess.run([os.path.join(ROOT, "scripts", "corpus-snapshot"), "--bin", MILTER],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "verdicts and bannered bytes identical to the snapshot" in result.stdout
