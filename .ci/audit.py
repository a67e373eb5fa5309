#!/usr/bin/env python
"""`make audit`: bandit on the source, then pip-audit on the locked packages, with plain figures.

bandit must report no high and no unreviewed medium issue (a reviewed one carries `# nosec` and its
reason on the line above). pip-audit asks PyPI's vulnerability data about every locked package; when
that service does not answer, this says so and names the packages left unchecked: it never reports
"no known vulnerabilities" for packages it could not check.
Exit status: 1 when bandit finds a high or medium issue or pip-audit finds a vulnerability, else 0.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SOURCE = ["accounts", "communes", "inspections", "reports", "cchc_inspect"]
EXCLUDED = "*/tests/*,*/migrations/*"
LOCK = "requirements-test.lock"


def bandit_counts() -> dict[str, int]:
    """Issues by severity (nosec-reviewed lines excluded), from bandit's JSON report."""
    result = subprocess.run(
        [str(BIN / "bandit"), "-q", "-r", *SOURCE, "-x", EXCLUDED, "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    counts = {"HIGH": 0, "MEDIUM": 0, "LOW": 0}
    for issue in report["results"]:
        counts[issue["issue_severity"]] = counts.get(issue["issue_severity"], 0) + 1
        if issue["issue_severity"] in {"HIGH", "MEDIUM"}:
            print(f"  {issue['issue_severity']} {issue['test_id']} {issue['filename']}:{issue['line_number']}")
    return counts


def summarise_pip_audit(report: dict) -> tuple[str, bool]:
    """One plain paragraph about a pip-audit JSON report, and whether it found a vulnerability."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    checked = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in checked if d.get("vulns")]
    lines = []
    if not checked:
        lines.append(
            f"pip-audit: NOT CHECKED. The vulnerability service did not answer for any of the {len(dependencies)} "
            "locked packages, so nothing is known about their vulnerabilities. Run `make audit` where pypi.org "
            "is reachable."
        )
    else:
        lines.append(f"pip-audit: {len(checked)} of {len(dependencies)} locked packages checked.")
        if vulnerable:
            for dependency in vulnerable:
                ids = ", ".join(v["id"] for v in dependency["vulns"])
                lines.append(f"  VULNERABLE {dependency['name']} {dependency.get('version', '')}: {ids}")
        else:
            lines.append(f"  No known vulnerabilities in the {len(checked)} packages checked.")
        if skipped:
            names = ", ".join(d["name"] for d in skipped)
            lines.append(f"  NOT CHECKED ({len(skipped)}, the service did not answer for them): {names}")
    return "\n".join(lines), bool(vulnerable)


def pip_audit() -> tuple[str, bool]:
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "-r",
            LOCK,
            "--require-hashes",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "-f",
            "json",
            "--timeout",
            os.environ.get("AUDIT_TIMEOUT", "15"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"pip-audit: NOT CHECKED. It stopped before checking anything: {reason}", False
    return summarise_pip_audit(report)


def main() -> int:
    counts = bandit_counts()
    print(f"bandit: high {counts['HIGH']}, medium {counts['MEDIUM']} (unreviewed), low {counts['LOW']}")
    text, vulnerable = pip_audit()
    print(text)
    return 1 if counts["HIGH"] or counts["MEDIUM"] or vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
