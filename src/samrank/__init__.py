"""samrank: unsupervised keyphrase extraction from the self-attention maps of transformers."""

from .extractor import KeyphraseExtractor
from .idf import IdfTable
from .pipeline import Keyphrase, Pipeline, WordWeight
from .settings import PRESETS, SAMRANK, Settings

__all__ = ["IdfTable", "Keyphrase", "KeyphraseExtractor", "PRESETS", "Pipeline", "SAMRANK", "Settings",
           "WordWeight", "__version__"]
__version__ = "0.2.0"

