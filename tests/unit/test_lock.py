"""requirements.lock (exact versions for `make setup`) agrees with pyproject.toml: every declared
dependency, of the package and of its dev, spark and lab extras, is pinned once, at a version
inside the declared range; so a lock left behind after a range changes is caught. Every pinned
package installs on the oldest Python the project claims (its Requires-Python, read from the
installed package's metadata, admits pyproject.toml's minimum). DuckDB 2, which the pins keep
out, is refused with an error that says why."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from workbench.engine import check_duckdb_version
from workbench.errors import WorkbenchError

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        assert match, f"requirements.lock: not an exact pin: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"requirements.lock pins {name} twice"
        pins[name] = Version(match.group(2))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [
        Requirement(r)
        for r in project["dependencies"] + extras["dev"] + extras["spark"] + extras["lab"]
    ]


def _oldest_python() -> Version:
    """The lowest version pyproject.toml's requires-python admits, as an exact version."""
    claim = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    (spec,) = SpecifierSet(claim)
    assert spec.operator == ">=", f"requires-python {claim!r}: expected a single >= bound"
    release = Version(spec.version).release
    return Version(".".join(str(n) for n in (*release, 0, 0)[:3]))


def _requires_python(name: str, pinned: Version) -> str | None:
    """The Requires-Python of the installed ``name`` when it is the pinned version; "" when
    the package declares none; None when another version (or none) is installed here."""
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    if Version(dist.version) != pinned:
        return None
    return dist.metadata.get("Requires-Python") or ""


@pytest.mark.skipif(not LOCK.exists(), reason="no requirements.lock: make setup uses the ranges")
def test_every_declared_dependency_is_pinned_inside_its_range():
    pins = _pins()
    problems = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name} is not in requirements.lock: run make lock")
        elif pins[name] not in requirement.specifier:
            problems.append(
                f"{name}=={pins[name]} is outside pyproject.toml's {requirement.specifier}: "
                "run make lock"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not LOCK.exists(), reason="no requirements.lock")
def test_the_lock_holds_the_engine_stack_that_the_tests_passed_on():
    pins = _pins()
    assert pins["ibis-framework"] == Version("12.0.0")
    assert pins["duckdb"] < Version("2")  # DuckDB 2.0 breaks Ibis 12
    assert "chs-workbench" not in pins  # the project itself is installed editable


@pytest.mark.skipif(not LOCK.exists(), reason="no requirements.lock")
def test_every_pinned_package_installs_on_the_oldest_python_the_project_claims():
    """The bug this guards against: soupsieve 4.1.3 needs Python 3.11.5 while the project said
    3.11, so `make setup` failed on Debian 12's 3.11.2."""
    oldest = _oldest_python()
    problems, unchecked = [], []
    for name, version in _pins().items():
        needs = _requires_python(name, version)
        if needs is None:
            unchecked.append(name)
        elif needs and oldest not in SpecifierSet(needs):
            problems.append(f"{name}=={version} needs Python {needs}, the project claims {oldest}")
    assert not problems, "\n".join(problems) + "\nnarrow requires-python or pin older versions"
    # the check reads installed metadata: it means something only in the locked environment
    assert len(unchecked) <= len(_pins()) // 10, f"not installed at the pinned version: {unchecked}"


def test_the_oldest_python_is_read_as_an_exact_version():
    assert _oldest_python() >= Version("3.11.5")
    assert Version("3.11.2") < _oldest_python()


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0-dev12", "10.0"])
def test_duckdb_2_is_refused_with_the_reason_and_the_fix(version):
    with pytest.raises(WorkbenchError) as caught:
        check_duckdb_version(version)
    message = str(caught.value)
    assert f"DuckDB {version}" in message and "fetch_arrow_table" in message
    assert "duckdb>=1.5,<1.6" in message


@pytest.mark.parametrize("version", ["1.5.6", "1.5.0"])
def test_the_duckdb_the_lock_pins_is_accepted(version):
    check_duckdb_version(version)
    check_duckdb_version()  # the one installed here
