"""Subcommands contributed to `dean06` by the domain modules (extract, import-plan, reports ...).

Each registrar adds one subparser; the CLI stays a thin list of entry points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REGISTRARS: list[Callable[[Any], None]] = []
