"""The one way run-time code opens a model artifact: by name, from ``remarks/ml/artifacts/``, with
the file's sha256 checked against the one its meta file records.

The meta file of ``NAME.anything`` is ``NAME.meta.json`` (the part of the file name before the
first dot). It records the digest as ``{"file": "NAME.npz", "sha256": "..."}``, as
``{"sha256": {"NAME.npz": "...", "NAME.vocab.json": "..."}}`` for several files, or as a plain
``"sha256"`` for the model's single ``.npz``. A file whose digest differs - a partial copy, a
file from another training run, a tampered one - is refused with :class:`ArtifactError`
rather than silently giving other scores.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import cache
from pathlib import Path

import numpy as np

from remarks.errors import ConfigError

DIR = Path(__file__).resolve().parent / "artifacts"


class ArtifactError(ConfigError):
    """A model artifact is missing, has no recorded digest, or does not match it."""


def meta_name(name: str) -> str:
    return name.split(".", 1)[0] + ".meta.json"


def meta(name: str, root: Path | None = None) -> dict:
    """The meta file that describes artifact ``name`` (data, command, licence, sha256, scores)."""
    path = (root or DIR) / meta_name(name)
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ArtifactError(f"model artifact {name}: its meta file {path.name} is missing") from None
    except ValueError as exc:
        raise ArtifactError(f"model artifact {name}: its meta file {path.name} is not JSON ({exc})") from None


def expected_sha256(name: str, info: dict) -> str | None:
    digest = info.get("sha256")
    if isinstance(digest, dict):
        return digest.get(name)
    if isinstance(digest, str):
        recorded = info.get("file") or (name.split(".", 1)[0] + ".npz")
        return digest if recorded == name else None
    return None


def read_bytes(name: str, root: Path | None = None) -> bytes:
    """The artifact's bytes, after checking them against the sha256 in its meta file."""
    root = root or DIR
    path = root / name
    want = expected_sha256(name, meta(name, root))
    if want is None:
        raise ArtifactError(f"model artifact {name}: {meta_name(name)} records no sha256 for it")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArtifactError(f"model artifact {name} is missing from {root}") from None
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        raise ArtifactError(f"model artifact {name} does not match its meta file: sha256 {got[:16]}…, "
                            f"recorded {want[:16]}… (retrain it or restore the shipped file)")
    return data


def checked_path(name: str, root: Path | None = None) -> Path:
    """The artifact's path, after checking its bytes against its meta file: for a library that reads the file
    itself (onnxruntime keeps a copy of model bytes handed to it, ~23 MB, for the process's life)."""
    read_bytes(name, root)
    return (root or DIR) / name


def load_npz(name: str, root: Path | None = None) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(read_bytes(name, root)), allow_pickle=False) as data:
        return dict(data)


def load_json(name: str, root: Path | None = None) -> dict:
    return json.loads(read_bytes(name, root).decode("utf-8"))


def load_text(name: str, root: Path | None = None) -> str:
    return read_bytes(name, root).decode("utf-8")


@cache
def shipped_npz(name: str) -> dict[str, np.ndarray]:
    """:func:`load_npz` from the package's own folder, once per process."""
    return load_npz(name)


@cache
def shipped_json(name: str) -> dict:
    return load_json(name)
