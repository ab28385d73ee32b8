"""The benchmark runs in quick mode, so it cannot rot; ours never costs more round trips."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_quick_benchmark_prints_the_table():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    rows = [line.split("|")[1:-1] for line in result.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    names = [r[0].strip() for r in rows[1:]]
    assert names == ["create one token (role and user checked)", "create 20 tokens for 20 users", "list 100 tokens",
                     "audit 100 tokens (10 users)", "start-up: `create_token.py --help` vs `python -c pass`",
                     "client start-up: Core plugin only vs every plugin"]
    for cells in rows[1:5]:
        ours, naive = int(cells[1]), int(cells[3])
        assert ours < naive
    assert [int(rows[i][1]) for i in range(1, 5)] == [2, 3, 1, 2]
