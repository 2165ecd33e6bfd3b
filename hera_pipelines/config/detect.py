"""What can be learned from the checkout instead of asked: the GitHub repository and the gates.

Only local, read-only git calls; never the network.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

__all__ = ["detect_gates", "git_root", "repository_from_git", "repository_from_url"]

_URL_PATTERNS = (
    re.compile(r"^https?://(?:[^@/]+@)?github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$"),
    re.compile(r"^(?:ssh://)?git@github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?/?$"),
)

# (marker file, gate name, command), in the order the gates run.
_GATES: tuple[tuple[str, str, str], ...] = (
    ("Cargo.toml", "cargo-fmt", "cargo fmt --all -- --check"),
    (
        "Cargo.toml",
        "clippy",
        "cargo clippy --all-targets --all-features -- -D warnings -W clippy::pedantic",
    ),
    ("Cargo.toml", "cargo-test", "cargo test --all --all-features"),
    ("pyproject.toml", "ruff-format", "ruff format --check ."),
    ("pyproject.toml", "ruff", "ruff check ."),
    ("pyproject.toml", "mypy", "mypy ."),
    ("pyproject.toml", "pytest", "pytest"),
    ("package.json", "npm-lint", "npm run lint"),
    ("package.json", "npm-test", "npm test"),
    ("Chart.yaml", "helm-lint", "helm lint ."),
    ("Chart.yaml", "yamllint", "yamllint ."),
    (".yamllint", "yamllint", "yamllint ."),
    (".yamllint.yaml", "yamllint", "yamllint ."),
    (".yamllint.yml", "yamllint", "yamllint ."),
)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def repository_from_url(url: str) -> str | None:
    """`owner/name` from a GitHub remote URL in https, ssh or scp-like form."""
    for pattern in _URL_PATTERNS:
        match = pattern.match(url.strip())
        if match:
            return f"{match.group(1)}/{match.group(2)}"
    return None


def repository_from_git(directory: Path) -> str | None:
    """The repository named by the `origin` remote of the checkout holding `directory`."""
    url = _git(directory, "remote", "get-url", "origin")
    return repository_from_url(url) if url else None


def git_root(directory: Path) -> Path | None:
    top = _git(directory, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def detect_gates(root: Path) -> list[tuple[str, str]]:
    """Gate (name, command) pairs for the build files present in `root`, without repeats."""
    gates: list[tuple[str, str]] = []
    seen: set[str] = set()
    for marker, name, command in _GATES:
        if (root / marker).is_file() and name not in seen:
            seen.add(name)
            gates.append((name, command))
    return gates
