"""Packaging beyond pyproject.toml: every `explorer` package as found (none to list by hand),
plus the top-level resources/ folder installed as `explorer.resources`."""

from setuptools import find_packages, setup

# resources/ and its data folders, listed so that setuptools installs their files quietly
RESOURCE_PACKAGES = [
    "explorer.resources",
    "explorer.resources.icons",
    "explorer.resources.icons.actions",
    "explorer.resources.icons.hicolor",
]

setup(
    packages=[*find_packages(include=["explorer", "explorer.*"]), *RESOURCE_PACKAGES],
    package_dir={"explorer.resources": "resources"},
)
