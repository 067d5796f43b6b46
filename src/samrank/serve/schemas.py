"""What a request may carry and what the service answers: the pydantic models, built on first
use so that importing ``samrank.serve`` does not need FastAPI."""

import dataclasses
from typing import Annotated, Literal

from ..settings import HEAD_SETS, INTEGER_SETTINGS, MODIFIER_TAGS, OTHER_HEADS, Settings, field_names

DEFAULT_MAX_TOP_N = 1000

# Settings a request may not change: they choose or load another model, or are the service's
# own. Every other setting only reads the same attention maps another way, so a request may
# change it (``layer``/``head`` are ``Settings.create``'s shorthand for ``heads``).
FIXED_SETTINGS = ("model", "language", "max_length", "stopwords", "use_idf", "backend", "device", "cache")
REQUEST_SETTINGS = ("layer", "head", *(name for name in field_names() if name not in FIXED_SETTINGS))
# where the service is stricter than the library: longer candidates cost every request's
# tagging, and overlapping windows its forward passes (0.5: twice those of side by side)
SERVICE_LIMITS = {"max_words": {"le": 20}, "window_overlap": {"le": 0.5}}


def api_models() -> dict:
    """The request and response models, by name."""
    from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, create_model

    Number = StrictFloat | StrictInt
    # JSON may carry lone surrogates ("\\ud800"), which are not text: reject them by name
    Text = Annotated[StrictStr, AfterValidator(_valid_unicode)]

    RequestSettings = create_model(
        "Settings", __config__=ConfigDict(extra="forbid"),
        __doc__="Scoring settings for this request only (see ``KeyphraseExtractor``); the model "
                "stays the one the service loaded.",
        layer=(StrictInt | None, Field(None, ge=0)), head=(StrictInt | None, Field(None, ge=0)),
        **{f.name: _request_field(f, Number) for f in dataclasses.fields(Settings)
           if f.name in REQUEST_SETTINGS})

    class ExtractRequest(BaseModel):
        model_config = ConfigDict(extra="forbid", json_schema_extra={
            "examples": [{"text": "Graph-based ranking models for keyphrase extraction rank "
                                  "candidate phrases by their centrality.", "top_n": 5}]})
        text: Text = Field(description="the document (at most max_chars characters)")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N, description="keyphrases to return")
        settings: RequestSettings | None = Field(None, description="scoring settings for this request")  # type: ignore[valid-type]

    class BatchRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        texts: list[Text] = Field(description="the documents, answered in this order")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N)
        settings: RequestSettings | None = None  # type: ignore[valid-type]

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

    return dict(Settings=RequestSettings, ExtractRequest=ExtractRequest, BatchRequest=BatchRequest,
                ExtractResponse=ExtractResponse, BatchResponse=BatchResponse, Health=Health)


def _request_field(f: dataclasses.Field, number) -> tuple:
    """A request's field for one setting, typed and bounded as ``Settings`` declares it (its
    own checks run again when the request's extractor is made)."""
    from pydantic import Field, StrictBool, StrictInt

    meta = f.metadata
    bounds = {key: meta[name] for name, key in (("minimum", "ge"), ("maximum", "le"), ("below", "lt"))
              if name in meta}
    bounds.update(SERVICE_LIMITS.get(f.name, {}))
    if f.name in HEAD_SETS:  # [] for another head set: the heads in those texts too
        kind, bounds = list[tuple[StrictInt, StrictInt]], {"min_length": 0 if f.name in OTHER_HEADS else 1}
    elif f.name == "modifier_tags":
        kind, bounds = list[Literal[MODIFIER_TAGS]], {"min_length": 1}  # type: ignore[valid-type]
    elif isinstance(f.default, bool):
        kind = StrictBool
    elif "choices" in meta:
        kind = Literal[meta["choices"]]  # type: ignore[valid-type]
    elif f.name in INTEGER_SETTINGS:
        kind = StrictInt
    else:
        kind = number
    return kind | None, Field(None, description=meta["help"], **bounds)


def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"the text holds an unpaired surrogate {text[error.start]!r} at offset "
                         f"{error.start}; send valid Unicode") from None
    return text
