"""What the first bytes of an input say: whether it is text at all, and which Unicode encoding
its byte-order mark names."""

from __future__ import annotations

import codecs
import re

SNIFF = 8192  # bytes looked at to tell text from binary

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
          (b"\x1f\x8b", "gzip-compressed"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"\x7fELF", "an executable"), (b"GGUF", "a GGUF model"),
          (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"BZh", "bzip2-compressed"),
          (b"\xfd7zXZ", "xz-compressed"), (b"\x93NUMPY", "a numpy array"))
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27)) + b"\x7f"


def looks_binary(head: bytes, name: str, encoding: str | None) -> str | None:
    """Why ``head`` (the first bytes) is not text, or None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"{name} looks like {what}, not text"
    wide = encoding is not None and re.search(r"utf[-_]?(16|32)", encoding, re.I)
    if not wide and not any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        if b"\0" in head:
            return f"{name} looks binary (NUL bytes), not text"
        controls = sum(head.count(c) for c in _CONTROL)
        if head and controls > max(8, len(head) // 10):
            return f"{name} looks binary ({controls} control bytes in the first {len(head)}), not text"
    return None


def bom_encoding(head: bytes) -> str | None:
    """The encoding whose byte-order mark ``head`` starts with, or None."""
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
