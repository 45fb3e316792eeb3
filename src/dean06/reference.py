"""The reference data shipped inside the package (units, unit groups, the 25 services) and the
seed documents the demo uses."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def reference_path(name: str) -> Path:
    return Path(str(resources.files("dean06") / "data" / "reference" / name))


def seed_path(name: str) -> Path:
    return Path(str(resources.files("dean06") / "data" / "seeds" / name))


UNITS_CSV = "units-bac-giang-2024.csv"
GROUPS_CSV = "unit-groups.csv"
SERVICES_CSV = "dvc-thiet-yeu-25.csv"
