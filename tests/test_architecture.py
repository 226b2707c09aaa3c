"""The house rules hold: the import contracts in pyproject.toml, and the sandbox stays out of
the product. A contract that breaks fails the test suite, not only `make lint`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "scheduler", "sandbox")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_import_contract_is_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "BROKEN" not in done.stdout


def test_a_storage_module_importing_the_bot_breaks_the_build(tmp_path: Path) -> None:
    """The contracts bite: the same check fails on a copy where storage reaches up."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clock = tmp_path / "storage" / "clock.py"
    clock.write_text(clock.read_text() + "\nfrom bot.text import counted  # noqa\n")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "storage is the bottom" in done.stdout and "BROKEN" in done.stdout
    assert "storage.clock -> bot.text" in done.stdout


def test_importing_the_product_loads_no_sandbox_module() -> None:
    code = (
        "import sys, bot, bot.app, bot.cli, handlers, storage, scheduler, scheduler.runner;"
        "print(sorted(m for m in sys.modules if m == 'sandbox' or m.startswith('sandbox.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
