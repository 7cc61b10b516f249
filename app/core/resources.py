"""Where Tawsim's bundled resources (schemas, fonts, icons) live."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


def default_schema_path() -> Path:
    return resource_path("schemas", "default.toml")
