"""What a request may carry and what the service answers: the pydantic models, built on first
use so that importing ``samrank.serve`` does not need FastAPI."""

from typing import Annotated, Literal

DEFAULT_MAX_TOP_N = 1000

# Settings a request may change: they need no other model, only a different reading of the
# same attention maps (validated below; layer/head ranges are checked against the model).
REQUEST_SETTINGS = ("layer", "head", "heads", "head_weighting", "names_heads", "names_head_weighting",
                    "long_heads", "long_head_weighting",
                    "mode", "few_names_mode", "single_words", "long_word_count_power",
                    "length_power", "few_names_length_power", "few_names_share", "many_names_share",
                    "position_power", "long_position_power", "long_text_words",
                    "rarity_power", "few_names_rarity_power", "similarity_power",
                    "graph_weight", "few_names_graph_weight", "graph_from_words", "graph_full_words", "max_words",
                    "modifier_tags", "leading_stopwords", "split_time_words", "nominal_gerunds",
                    "drop_measures", "drop_cited_names", "drop_formulas",
                    "drop_addresses", "window_overlap", "dedupe", "nested", "diversity")


def api_models() -> dict:
    """The request and response models, by name."""
    from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictFloat,
                          StrictInt, StrictStr)

    from .. import scoring
    from ..settings import LEADING_STOPWORDS, MODIFIER_TAGS

    Number = StrictFloat | StrictInt
    # JSON may carry lone surrogates ("\\ud800"), which are not text: reject them by name
    Text = Annotated[StrictStr, AfterValidator(_valid_unicode)]

    class Settings(BaseModel):
        """Scoring settings for this request only (see ``KeyphraseExtractor``); the model stays
        the one the service loaded."""

        model_config = ConfigDict(extra="forbid")
        layer: StrictInt | None = Field(None, ge=0)
        head: StrictInt | None = Field(None, ge=0)
        heads: list[tuple[StrictInt, StrictInt]] | None = Field(None, min_length=1)
        head_weighting: Literal["mean", "dynamic"] | None = None
        names_heads: list[tuple[StrictInt, StrictInt]] | None = None  # [] = the heads in every text
        names_head_weighting: Literal["mean", "dynamic"] | None = None
        long_heads: list[tuple[StrictInt, StrictInt]] | None = None  # [] = the heads in long texts too
        long_head_weighting: Literal["mean", "dynamic"] | None = None
        mode: Literal[tuple(scoring.MODES)] | None = None  # type: ignore[valid-type]
        few_names_mode: Literal[(*scoring.MODES, "same")] | None = None  # type: ignore[valid-type]
        single_words: Literal["mean", "sum"] | None = None
        long_word_count_power: Number | None = Field(None, ge=0, le=1)
        length_power: Number | None = None
        few_names_length_power: Number | None = Field(None, ge=0)
        few_names_share: Number | None = Field(None, ge=0, le=1)
        many_names_share: Number | None = Field(None, ge=0, le=1)
        position_power: Number | None = None
        long_position_power: Number | None = Field(None, ge=0)
        long_text_words: Number | None = Field(None, ge=0)
        rarity_power: Number | None = Field(None, ge=0)
        few_names_rarity_power: Number | None = Field(None, ge=0)
        similarity_power: Number | None = Field(None, ge=0)
        graph_weight: Number | None = Field(None, ge=0, le=1)
        few_names_graph_weight: Number | None = Field(None, ge=0, le=1)
        graph_from_words: Number | None = Field(None, ge=0)
        graph_full_words: Number | None = Field(None, ge=0)
        max_words: StrictInt | None = Field(None, ge=1, le=20)
        modifier_tags: list[Literal[MODIFIER_TAGS]] | None = Field(None, min_length=1)  # type: ignore[valid-type]
        leading_stopwords: Literal[LEADING_STOPWORDS] | None = None  # type: ignore[valid-type]
        split_time_words: StrictBool | None = None
        nominal_gerunds: StrictBool | None = None
        drop_measures: StrictBool | None = None
        drop_cited_names: StrictBool | None = None
        drop_formulas: StrictBool | None = None
        drop_addresses: StrictBool | None = None
        window_overlap: Number | None = Field(None, ge=0, lt=1)
        dedupe: StrictBool | None = None
        nested: StrictBool | None = None
        diversity: Number | None = Field(None, ge=0, le=1)

    class ExtractRequest(BaseModel):
        model_config = ConfigDict(extra="forbid", json_schema_extra={
            "examples": [{"text": "Graph-based ranking models for keyphrase extraction rank "
                                  "candidate phrases by their centrality.", "top_n": 5}]})
        text: Text = Field(description="the document (at most max_chars characters)")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N, description="keyphrases to return")
        settings: Settings | None = Field(None, description="scoring settings for this request")

    class BatchRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        texts: list[Text] = Field(description="the documents, answered in this order")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N)
        settings: Settings | None = None

    class KeyphraseOut(BaseModel):
        phrase: str = Field(description="as first written in the text")
        score: float
        spans: list[tuple[int, int]] = Field(description="[start, end) character offsets of "
                                                         "every occurrence, in text order")

    class ExtractResponse(BaseModel):
        keyphrases: list[KeyphraseOut]
        top_n: int

    class Result(BaseModel):
        keyphrases: list[KeyphraseOut]

    class BatchResponse(BaseModel):
        results: list[Result]
        top_n: int

    class Health(BaseModel):
        status: Literal["ok", "loading", "failed"]
        model: str
        version: str
        error: str | None = None
        queued: int = 0

    return dict(Settings=Settings, ExtractRequest=ExtractRequest, BatchRequest=BatchRequest,
                ExtractResponse=ExtractResponse, BatchResponse=BatchResponse, Health=Health)


def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"the text holds an unpaired surrogate {text[error.start]!r} at offset "
                         f"{error.start}; send valid Unicode") from None
    return text
