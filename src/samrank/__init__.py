"""samrank: unsupervised keyphrase extraction from the self-attention maps of transformers."""

from .extractor import SAMRANK, Keyphrase, KeyphraseExtractor, WordWeight

__all__ = ["SAMRANK", "Keyphrase", "KeyphraseExtractor", "WordWeight", "__version__"]
__version__ = "0.1.0"
