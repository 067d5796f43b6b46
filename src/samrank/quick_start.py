"""The command line's start: spaCy imported without torch.

Importing spaCy imports thinc, and thinc's compatibility module imports torch whenever it is
installed (1.7-2.7 s on a 2-core machine: most of a one-sentence `samrank extract`), only so
that thinc's own PyTorch wrappers could work. The command line never uses them: the tagger runs
on thinc's numpy ops, and the model is read by ONNX Runtime, or by torch imported by samrank
itself. So `samrank extract` and `samrank highlight` import spaCy with torch hidden from thinc,
then un-hide it: a later ``import torch`` works as always (thinc alone keeps believing it has no
torch). Only the command line does this; in a library user's process nothing is hidden.
"""

from __future__ import annotations

import sys


def import_spacy_without_torch() -> None:
    """Import spaCy with torch hidden from thinc, unless torch or thinc is loaded already."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        return
    sys.modules["torch"] = None  # while this stands, `import torch` raises ImportError
    try:
        import spacy  # noqa: F401
    except ImportError:
        pass  # no spaCy: the tagger says so, with the command that installs it
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
