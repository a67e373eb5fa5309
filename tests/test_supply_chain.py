"""The dependency locks cover every pin with a hash; the audit never claims what it did not check; bandit is clean."""

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\[\]-]+?)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / ".ci" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            pins[_normal(match.group(1).split("[")[0])] = match.group(2)
    return pins


def _locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    text = path.read_text().replace("\\\n", " ")
    locked = {}
    for line in text.splitlines():
        if match := PIN.match(line.strip()):
            locked[_normal(match.group(1))] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
    return locked


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-test.txt", "requirements-test.lock")],
)
def test_every_pin_is_locked_at_its_version_with_a_hash(requirements, lock):
    """A pin added (or changed) in requirements*.txt, say by a merge, needs `make lock` before it installs."""
    pins, locked = _pins(ROOT / requirements), _locked(ROOT / lock)
    stale = {name: version for name, version in pins.items() if locked.get(name, ("",))[0] != version}
    assert not stale, f"Run `make lock`: {stale}"
    assert all(hashes for _version, hashes in locked.values())
    # Transitive packages are locked too, not only the pins.
    assert len(locked) > len(pins)


def test_install_checks_the_hashes_of_the_locked_files():
    dry_run = subprocess.run(["make", "-n", "-B", "install-test"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--require-hashes --build-constraint constraints-build.txt -r requirements.lock" in dry_run
    assert "--require-hashes --build-constraint constraints-build.txt -r requirements-test.lock" in dry_run
    assert ".ci/lock.py" in subprocess.run(["make", "-n", "lock"], cwd=ROOT, capture_output=True, text=True).stdout


def test_audit_says_not_checked_when_the_service_answered_for_nothing():
    audit = _load("audit")
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}] * 3}
    text, vulnerable = audit.summarise_pip_audit(report)
    assert "NOT CHECKED" in text and "no known vulnerabilities" not in text.lower() and not vulnerable


def test_audit_names_the_packages_it_could_not_check_and_the_vulnerable_ones():
    audit = _load("audit")
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "pillow", "version": "1.0", "vulns": [{"id": "PYSEC-2099-1"}]},
            {"name": "polib", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    text, vulnerable = audit.summarise_pip_audit(report)
    assert vulnerable and "2 of 3" in text and "VULNERABLE pillow 1.0: PYSEC-2099-1" in text
    assert "NOT CHECKED (1" in text and "polib" in text
    clean, found = audit.summarise_pip_audit({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})
    assert "No known vulnerabilities in the 1 packages checked" in clean and not found


def test_audit_on_this_machine_prints_a_true_statement():
    result = subprocess.run([".venv/bin/python", ".ci/audit.py"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "bandit: high 0, medium 0" in result.stdout
    if "NOT CHECKED. The vulnerability service did not answer for any" in result.stdout:
        assert "no known vulnerabilities" not in result.stdout.lower()
    else:
        assert "locked packages checked" in result.stdout


def test_every_bandit_exception_carries_its_reason_on_the_line_above():
    audit = _load("audit")
    for path in (file for folder in audit.SOURCE for file in (ROOT / folder).rglob("*.py")):
        if "tests" in path.parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "# nosec" in line:
                # The reason is a comment naming Bandit's check, just above this line or its group.
                above = "\n".join(lines[max(0, number - 4) : number])
                assert re.search(r"#\s*Bandit B\d+.{20,}", above), f"{path}:{number + 1} needs its reason above"
