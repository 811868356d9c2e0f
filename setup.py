"""Packaging: the code, with the top-level assets/ folder shipped as amie_desktop.assets."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["amie_desktop*"]), "amie_desktop.assets"],
    package_dir={"amie_desktop.assets": "assets"},
)
