"""`make bench`: run every bench/bench_*.py in turn; each prints its own figures and ratios."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
scripts = sorted(here.glob("bench_*.py"))
if not scripts:
    sys.exit("no benchmarks found in bench/")
failed = 0
for script in scripts:
    print(f"=== {script.name} ===", flush=True)
    failed += subprocess.call([sys.executable, str(script)], cwd=here.parent) != 0
sys.exit(1 if failed else 0)
