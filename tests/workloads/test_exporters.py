"""Exporters without their heavy packages: a clear message naming the package and the requirements file, exit 2.
Sentences and Fashion-MNIST come from Debian packages; the sentence source yields real, distinct English text."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed here")
@pytest.mark.parametrize("module", ["export_minilm", "export_efficientnet"])
def test_missing_model_packages_are_reported(module):
    r = subprocess.run([sys.executable, "-m", f"workloads.realtensors.{module}", "metrics"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: Python package") and "requirements-export.txt" in r.stderr
    assert "Traceback" not in r.stderr


def test_english_sentences():
    from workloads.realtensors.sources import FORTUNES, english_sentences
    if not FORTUNES[0].exists():
        pytest.skip("Debian fortunes-min not installed")
    s = english_sentences(300)
    assert len(s) == 300 and len(set(s)) == 300
    assert all(20 <= len(x) <= 400 for x in s)
