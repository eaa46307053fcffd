"""environment.yml installs the packages of pyproject.toml (main list, the lab and dev extras),
with the same version ranges, under their conda-forge names, as tests/data/conda_forge_names.toml
maps them; packages without a conda-forge build come from PyPI under its `pip:` section. It asks
for the Python pyproject.toml claims."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
NAMES = ROOT / "tests" / "data" / "conda_forge_names.toml"


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    name, rest = match.groups()
    return name.lower().replace("_", "-"), rest.replace(" ", "")


def _wanted() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return dict(_split(r) for r in project["dependencies"] + extras["lab"] + extras["dev"])


def _environment() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = dict(
        _split(d)
        for d in env["dependencies"]
        if isinstance(d, str) and re.split(r"[<>=]", d)[0] not in ("python", "pip")
    )
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return conda, pip


def _mapping() -> dict[str, str]:
    return tomllib.loads(NAMES.read_text())["conda-forge"]


def test_every_dependency_has_a_conda_forge_name_and_no_name_is_stale():
    assert set(_mapping()) == set(_wanted())


def test_environment_yml_lists_every_dependency_under_its_conda_forge_name():
    conda, pip = _environment()
    mapping = _mapping()
    expected = {mapping[name]: spec for name, spec in _wanted().items() if mapping[name] != "pip"}
    assert conda == expected
    from_pypi = {name: spec for name, spec in _wanted().items() if mapping[name] == "pip"}
    assert sorted(dict(_split(p) for p in pip if p != "-e .").items()) == sorted(from_pypi.items())
    assert "-e ." in pip


def test_a_pypi_name_that_differs_on_conda_forge_is_never_listed_for_conda():
    """The bug this guards against: `playwright` under conda-forge is not the Python package."""
    conda, _ = _environment()
    renamed = {name for name, forge in _mapping().items() if forge not in (name, "pip")}
    assert "playwright" in renamed
    assert not renamed & set(conda)


def test_environment_yml_asks_for_the_python_pyproject_claims():
    claim = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{claim}" in env["dependencies"]
