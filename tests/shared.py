"""Slack's own reference files, read in place from the steering repo's shared/ beside the checkout.

A user's clone has no shared/: each of these is then None, and the tests that need it skip
saying why.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_SLACK = ROOT.parent / "shared" / "slack"


def _present(name: str) -> Path | None:
    path = SHARED_SLACK / name
    return path if path.is_file() else None


OPENAPI_SPEC = _present("slack_web_openapi_v2.json")
MANIFEST_SCHEMA = _present("manifest.schema.1.0.0.json")
