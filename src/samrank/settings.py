"""Every setting of the pipeline, spelled once: names, types, defaults, help and validation.

``Settings`` is what ``KeyphraseExtractor``, ``evaluate``, the command line (its options are
generated from the fields below) and the other drivers pass around. A field left at ``None``
where the help says "model's default" takes the value chosen for the model on development data
(``model_defaults.MODEL_DEFAULTS``), or the rule for models without one (``generic_heads``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable

from .model_defaults import (AUTO_MODEL_OTHER, AUTO_MODELS, FEW_NAMES_SHARE, GENERIC_DEFAULTS,  # noqa: F401
                             GRAPH_FROM_WORDS, GRAPH_FULL_WORDS, LONG_TEXT_WORDS, MANY_NAMES_SHARE,
                             MODEL_DEFAULTS, MODEL_DEPENDENT, auto_model, generic_heads)
from .scoring import MODES  # noqa: F401  (the readouts scoring.py implements)
from .settings_checks import field_problem

HEAD_WEIGHTINGS = ("mean", "dynamic")
SINGLE_WORDS = ("mean", "sum")
BACKENDS = ("auto", "torch", "onnx")
# Penn tags that may stand before an English phrase's nouns (Settings.modifier_tags)
MODIFIER_TAGS = ("JJ", "JJR", "JJS", "VBN", "VBG")
DEFAULT_MODIFIER_TAGS = ("JJ", "JJR", "JJS", "VBN")  # chosen on the development sets (docs/NAMES.md)
LEADING_STOPWORDS = ("trim", "drop", "trim_generic")  # candidates/edges.py
DEFAULT_LEADING_STOPWORDS = "trim"  # a fix taken on the development sets (docs/NAMES.md)
# head sets read in some texts instead of ``heads`` (``Pipeline.heads``), and their weightings
OTHER_HEADS = {"names_heads": "names_head_weighting", "long_heads": "long_head_weighting"}
HEAD_SETS = ("heads", *OTHER_HEADS)
INTEGER_SETTINGS = ("max_words", "max_length")  # the fields with a minimum that take whole numbers only


def _help(text: str, **extra) -> dict:
    return {"help": text, **extra}


@dataclass(frozen=True)
class Settings:
    """One extraction configuration. ``None`` in a model-dependent field means the model's default."""

    model: Any = field(default="auto", metadata=_help(
        "auto (minilm for English, e5-small for other languages), a packaged alias (minilm, "
        "smollm2, mpnet, e5-small), Hugging Face model id, local folder or .gguf file.", short="-m"))
    language: str = field(default="auto", metadata=_help(
        "Language of the text: auto (detected per text; English when unsure), or a code such as "
        "en, es, fr, de, pt, it, zh (docs/LANGUAGES.md)."))
    heads: tuple[tuple[int, int], ...] | None = field(default=None, metadata=_help(
        "Attention heads to read, e.g. 5-5,3-11 (0-based layer-head); one forward pass serves all. "
        "Default: the model's."))
    head_weighting: str | None = field(default=None, metadata=_help(
        "How several heads combine: mean, or per-document dynamic weights. Default: the model's.",
        choices=HEAD_WEIGHTINGS))
    names_heads: tuple[tuple[int, int], ...] | None = field(default=None, metadata=_help(
        "Heads read in texts with many names (proper nouns at least --many-names-share of the "
        "nouns: news); none = --heads in every text. Default: the model's (minilm: every head), or "
        "--heads when that is given."))
    names_head_weighting: str | None = field(default=None, metadata=_help(
        "How --names-heads combine. Default: the model's, or --head-weighting when that is given.",
        choices=HEAD_WEIGHTINGS))
    long_heads: tuple[tuple[int, int], ...] | None = field(default=None, metadata=_help(
        "Heads read in texts of at least --long-text-words words with fewer names than "
        "--many-names-share (papers); none = --heads. Default: the model's, or --heads when that is "
        "given."))
    long_head_weighting: str | None = field(default=None, metadata=_help(
        "How --long-heads combine. Default: the model's, or --head-weighting when that is given.",
        choices=HEAD_WEIGHTINGS))
    mode: str = field(default="both", metadata=_help(
        "Token score readout: both = SAMRank (global + proportional); global / proportional alone; "
        "forward; received / cls / fusion (KeyAtten's); uniform = every token 1 (a no-attention "
        "control).", choices=MODES))
    few_names_mode: str | None = field(default=None, metadata=_help(
        "The readout of texts whose share of names is below --many-names-share (abstracts, papers); "
        "same = --mode. Default: the model's (minilm: cls) when --mode is both and --heads the model's, "
        "else same.", choices=(*MODES, "same")))
    single_words: str | None = field(default=None, metadata=_help(
        "One-word phrases: mean (SAMRank) or sum over their stand-alone occurrences. Default: the "
        "model's.", choices=SINGLE_WORDS))
    long_word_count_power: float | None = field(default=None, metadata=_help(
        "In texts of at least --long-text-words words, a one-word phrase's summed occurrences are "
        "divided by their count to 1 - this power: 1 keeps the sum, 0 takes the mean, so that a long "
        "paper's common nouns do not rise by repetition alone; with few names (--few-names-share) this, "
        "rising to 1 at --many-names-share. Default: the model's (minilm 0, else 1).",
        minimum=0.0, maximum=1.0))
    length_power: float | None = field(default=None, metadata=_help(
        "Divide each occurrence's score by its token count to this power (0 = SAMRank); in texts "
        "with few names see --few-names-length-power. Default: the model's.", minimum=0.0))
    few_names_length_power: float | None = field(default=None, metadata=_help(
        "length_power for texts whose nouns are at most --few-names-share proper nouns (abstracts, "
        "technical text), rising to --length-power at --many-names-share (news). Default: the "
        "model's, or --length-power when that is given.", minimum=0.0))
    few_names_share: float = field(default=FEW_NAMES_SHARE, metadata=_help(
        "Share of proper nouns among a text's nouns up to which it takes --few-names-length-power, "
        "--few-names-graph-weight and --few-names-rarity-power.",
        minimum=0.0, maximum=1.0))
    many_names_share: float = field(default=MANY_NAMES_SHARE, metadata=_help(
        "Share of proper nouns among a text's nouns from which it takes --length-power, --graph-weight, "
        "--rarity-power and --names-heads.",
        minimum=0.0, maximum=1.0))
    position_power: float | None = field(default=None, metadata=_help(
        "Weigh phrases by (1 + first offset / 100) ** -power (0 = off). Default: the model's.",
        minimum=0.0))
    long_position_power: float | None = field(default=None, metadata=_help(
        "position_power for texts of at least --long-text-words words. Default: the model's, or "
        "--position-power when that is given.",
        minimum=0.0))
    long_text_words: float = field(default=LONG_TEXT_WORDS, metadata=_help(
        "From this many words (with a letter or digit) on, a text takes --long-position-power and "
        "--long-heads.",
        minimum=0.0))
    rarity_power: float | None = field(default=None, metadata=_help(
        "Weigh each phrase by the mean rarity of its words in general language (wordfreq: max(1, 7 - "
        "Zipf frequency); no corpus needed) to this power; 0 = off. In texts with few names see "
        "--few-names-rarity-power. Default: the model's (0 but for minilm).", minimum=0.0))
    few_names_rarity_power: float | None = field(default=None, metadata=_help(
        "rarity_power for texts with few names (abstracts, technical text), moving to --rarity-power "
        "by the share of names as --few-names-length-power does. Default: the model's, or --rarity-power when "
        "that is given.", minimum=0.0))
    similarity_power: float | None = field(default=None, metadata=_help(
        "Weigh each phrase by its cosine with the text in the model's embedding space (EmbedRank, "
        "KeyBERT: each read alone, mean-pooled from the last layer), over the mean of the phrases with "
        "as many words, to this power; 0 = off. Reads the text and its phrases once more. Default: the "
        "model's (0 but for minilm).", minimum=0.0))
    graph_weight: float | None = field(default=None, metadata=_help(
        "Weight of a word graph (PositionRank: co-occurring nouns and adjectives, jumps favouring "
        "early words) in a rank fusion with the attention's ranking, in long texts: 0 = the "
        "attention alone; in texts with few names see --few-names-graph-weight. Default: the model's.",
        minimum=0.0, maximum=1.0))
    few_names_graph_weight: float | None = field(default=None, metadata=_help(
        "graph_weight for texts whose nouns are at most --few-names-share proper nouns (papers), "
        "rising to --graph-weight at --many-names-share (news wire). Default: the model's, or "
        "--graph-weight when that is given.", minimum=0.0, maximum=1.0))
    graph_from_words: float = field(default=GRAPH_FROM_WORDS, metadata=_help(
        "Texts of at most this many words keep the attention's ranking; from there the graph's "
        "weight grows with the log of the length, to the full --graph-weight at --graph-full-words.",
        minimum=0.0))
    graph_full_words: float = field(default=GRAPH_FULL_WORDS, metadata=_help(
        "Text length, in words, from which the graph has its full weight.", minimum=0.0))
    max_words: int = field(default=5, metadata=_help("Longest candidate phrase, in words.", minimum=1))
    modifier_tags: tuple[str, ...] = field(default=DEFAULT_MODIFIER_TAGS, metadata=_help(
        "English candidates <NN.*|TAGS>*<NN.*>: the Penn tags of the words that may stand before a "
        "phrase's nouns, comma-separated, from " + ", ".join(MODIFIER_TAGS) + " (VBN: 'distributed "
        "systems'). SAMRank's grammar: JJ."))
    leading_stopwords: str = field(default=DEFAULT_LEADING_STOPWORDS, metadata=_help(
        "English candidates that open with a stop word: trim takes the stop words off ('more Pirates' "
        "-> 'Pirates') but keeps a noun of the list before more of the phrase ('computer vision'); "
        "drop leaves the phrase out, as SAMRank's reference code does; trim_generic also trims the "
        "adjectives of SMART's stop list ('a novel neural network' -> 'neural network').",
        choices=LEADING_STOPWORDS))
    split_time_words: bool = field(default=True, metadata=_help(
        "English chunks lose a time adverbial glued to their end ('Exxon officials Monday' -> 'Exxon "
        "officials', 'the storm last week'); off: SAMRank's chunks."))
    split_datelines: bool = field(default=True, metadata=_help(
        "No phrase runs from the text before a news dateline into it ('calorie counts on menus "
        "WASHINGTON - Like it or not': 'menus', not 'menus WASHINGTON'), in every language; off: "
        "SAMRank's chunks."))
    nominal_gerunds: bool = field(default=True, metadata=_help(
        "An English gerund that the tagger reads as a verb inside a noun phrase joins the phrase "
        "where the text uses the same word as a noun elsewhere ('message passing protocol'); off: "
        "SAMRank's chunks."))
    drop_measures: bool = field(default=True, metadata=_help(
        "No one-word candidate is a measure: a number with its unit, decade or ordinal in one word "
        "('30ml', '1.2bn', '1960s', '10th') or a unit symbol that follows a number wherever the "
        "text has it ('5 GeV'); a longer phrase keeps it ('5GHz band'); off: SAMRank's candidates."))
    drop_cited_names: bool = field(default=True, metadata=_help(
        "No candidate is a name cited as an author ('Kussin and Sommerfeld (2002)', 'Wu et al.') in a "
        "text that cites by author and year; off: SAMRank's candidates."))
    drop_formulas: bool = field(default=True, metadata=_help(
        "No candidate holds a formula: an operator sign ('N=2', '|x|', '\\Delta'), a bracket left open "
        "('O(log n') or, in a text that writes formulas, one letter alone (a variable: 'P'); off: SAMRank's "
        "candidates."))
    drop_addresses: bool = field(default=True, metadata=_help(
        "No candidate holds an e-mail, a handle or a web address ('x@y.org', 'http://...', 'www.'); "
        "off: SAMRank's candidates."))
    max_length: int | None = field(default=None, metadata=_help(
        "Tokens per forward pass, special tokens included. Default: the model's limit.", minimum=8))
    window_overlap: float = field(default=0.0, metadata=_help(
        "Long texts: share of each window that the next repeats (0 = side by side; at most 0.75, "
        "four times the forward passes: nearer 1 a window per token).",
        minimum=0.0, maximum=0.75))
    stopwords: frozenset[str] | None = field(default=None, metadata=_help(
        "Words that may not start a candidate, comma-separated. Default: SAMRank's 319-word list."))
    dedupe: bool = field(default=True, metadata=_help(
        "Leave out a phrase whose stemmed form ranked higher already."))
    nested: bool = field(default=True, metadata=_help(
        "Keep phrases that lie inside a higher-ranked phrase."))
    diversity: float = field(default=0.0, metadata=_help(
        "MMR-style re-ranking by word overlap: 0 = by score alone, 1 = novelty alone.",
        minimum=0.0, maximum=1.0))
    use_idf: bool = field(default=False, metadata=_help(
        "Weigh each phrase by the mean IDF of its words (needs a fitted IDF table: --idf FILE)."))
    backend: str = field(default="auto", metadata=_help(
        "auto: ONNX Runtime on the CPU when installed (the same attention maps to float tolerance, "
        "faster, and a start without loading the weights), else PyTorch; torch; or onnx.",
        choices=BACKENDS))
    device: str = field(default="cpu", metadata=_help(
        "Where the model runs: cpu, cuda, cuda:N, mps, or auto (the first of cuda, mps, cpu). "
        "Off the CPU the windows of a text run in padded batches."))
    cache: bool = field(default=False, metadata=_help(
        "Keep token scores on disk (~/.cache/samrank/scores) so a re-run repeats no forward pass."))

    def __post_init__(self):
        problems = [p for p in (field_problem(self, f) for f in dataclasses.fields(self)) if p]
        if problems:
            raise ValueError("; ".join(problems))
        for name in HEAD_SETS:
            if getattr(self, name) is not None:
                object.__setattr__(self, name, tuple((int(l), int(h)) for l, h in getattr(self, name)))
        if self.stopwords is not None:
            object.__setattr__(self, "stopwords", frozenset(w.lower() for w in self.stopwords))
        object.__setattr__(self, "modifier_tags", tuple(t for t in MODIFIER_TAGS if t in self.modifier_tags))

    @classmethod
    def create(cls, preset: str | None = None, layer: int | None = None, head: int | None = None,
               **values) -> "Settings":
        """Settings from a preset (``"default"`` or ``"samrank"``) and keyword overrides;
        ``layer`` and ``head`` are shorthand for ``heads=((layer, head),)``."""
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        if (layer is None) != (head is None):
            raise ValueError("layer and head go together")
        if layer is not None:
            if values.get("heads"):
                raise ValueError("give heads or layer/head, not both")
            values["heads"] = ((layer, head),)
        if preset is not None:
            if preset not in PRESETS:
                raise ValueError(f"preset must be one of {', '.join(PRESETS)}; got {preset!r}")
            values = {**PRESETS[preset], **values}
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    def resolved(self, num_layers: int, num_heads: int) -> "Settings":
        """These settings with every model-dependent field filled in and the heads checked
        against the model's shape."""
        alias = self.model if isinstance(self.model, str) else None
        defaults = MODEL_DEFAULTS.get(alias) or {**GENERIC_DEFAULTS,
                                                  "heads": generic_heads(num_layers, num_heads)}
        # a power given for every text holds for long texts / texts with few names too
        given = {"long_position_power": self.position_power, "few_names_length_power": self.length_power,
                 "few_names_graph_weight": self.graph_weight, "few_names_rarity_power": self.rarity_power}
        given = {name: value for name, value in given.items() if value is not None}
        filled = self.replace(**{name: given.get(name, defaults.get(name)) for name in MODEL_DEPENDENT
                                 if getattr(self, name) is None})
        for heads, weighting in OTHER_HEADS.items():
            # none (none given, given heads, none for the model, or ()): the heads in these texts too
            if getattr(self, heads) == () or (getattr(self, heads) is None and (self.heads is not None
                                                                                or not defaults.get(heads))):
                filled = filled.replace(**{heads: filled.heads,
                                           weighting: getattr(self, weighting) or filled.head_weighting})
            elif getattr(filled, weighting) is None:
                filled = filled.replace(**{weighting: filled.head_weighting})
        # few_names_mode: the model's, chosen for its own heads, under the default readout; a readout
        # given for every text (the uniform control) or other heads read every text alike
        few_names_mode = self.few_names_mode
        if few_names_mode is None:
            few_names_mode = defaults.get("few_names_mode", "same") if self.mode == "both" and self.heads is None \
                else "same"
        filled = filled.replace(few_names_mode=self.mode if few_names_mode == "same" else few_names_mode)
        for power, off in (("rarity_power", 0.0), ("similarity_power", 0.0), ("long_word_count_power", 1.0)):
            if getattr(filled, power) is None:
                filled = filled.replace(**{power: off})
        for few_names, every in (("few_names_length_power", "length_power"), ("few_names_graph_weight", "graph_weight"),
                                 ("few_names_rarity_power", "rarity_power")):
            if getattr(filled, few_names) is None:  # models without a names rule: one value for every text
                filled = filled.replace(**{few_names: getattr(filled, every)})
        for layer, head in filled.heads + filled.names_heads + filled.long_heads:
            for what, value, limit in (("layer", layer, num_layers), ("head", head, num_heads)):
                if not 0 <= value < limit:
                    raise ValueError(f"{what} must be an integer from 0 to {limit - 1} for "
                                     f"{model_name(self.model)} ({num_layers} layers x {num_heads} "
                                     f"heads, 0-based); got {value!r}")
        return filled

    def describe(self) -> str:
        """The settings in one line, for output headers."""
        def listed(pairs):
            if pairs is None:
                return "model's"
            return ",".join(f"{l}-{h}" for l, h in pairs) if len(pairs) <= 6 else f"{len(pairs)} heads"

        number = lambda v: "model's" if v is None else f"{v:g}"  # noqa: E731
        other_heads = "".join(
            "" if getattr(self, heads) is not None and getattr(self, heads) in ((), self.heads) else
            f"; {which} {listed(getattr(self, heads))} ({getattr(self, weighting) or 'model'})"
            for (heads, weighting), which in zip(OTHER_HEADS.items(), ("with many names", "long texts")))
        return (f"model {model_name(self.model)} ({self.backend}), heads {listed(self.heads)} "
                f"({self.head_weighting or 'model'}{other_heads}), mode {self.mode}, single words "
                f"{self.single_words or 'model'}"
                + ("" if self.long_word_count_power == 1 else f" (long texts: count power {number(self.long_word_count_power)})")
                + f", length power {number(self.length_power)} (few names "
                f"{number(self.few_names_length_power)}), "
                f"position power {number(self.position_power)} (long texts "
                f"{number(self.long_position_power)}), graph weight {number(self.graph_weight)} (few names "
                f"{number(self.few_names_graph_weight)})"
                + (f", rarity power {number(self.rarity_power)} (few names {number(self.few_names_rarity_power)})"
                   if self.rarity_power != 0 or self.few_names_rarity_power not in (0, 0.0) else "")
                + (f", similarity power {number(self.similarity_power)}" if self.similarity_power != 0 else "")
                + ("" if self.modifier_tags == DEFAULT_MODIFIER_TAGS else f", modifier tags {','.join(self.modifier_tags)}")
                + ("" if self.leading_stopwords == DEFAULT_LEADING_STOPWORDS else f", leading stop words {self.leading_stopwords}")
                + ("" if self.split_time_words else ", time words kept")
                + ("" if self.split_datelines else ", datelines glued")
                + ("" if self.nominal_gerunds else ", gerunds as tagged")
                + ("" if self.drop_measures else ", measures kept")
                + ("" if self.drop_cited_names else ", cited names kept")
                + ("" if self.drop_formulas else ", formulas kept")
                + ("" if self.drop_addresses else ", addresses kept")
                + ("" if self.few_names_mode in (None, "same", self.mode) else f", few names read by {self.few_names_mode}"))


def model_name(model) -> str:
    return model if isinstance(model, str) else getattr(model, "name", type(model).__name__)


# SAMRank as published (Kang & Shin, 2023): the scoring settings that differ from our defaults.
SAMRANK = {"modifier_tags": ("JJ",), "leading_stopwords": "drop", "split_time_words": False, "split_datelines": False,
           "nominal_gerunds": False,
           "drop_measures": False, "drop_cited_names": False, "drop_formulas": False, "drop_addresses": False,
           "single_words": "mean", "long_word_count_power": 1.0, "length_power": 0.0, "few_names_length_power": 0.0,
           "names_heads": (), "long_heads": (),
           "position_power": 0.0, "long_position_power": 0.0, "graph_weight": 0.0, "rarity_power": 0.0,
           "similarity_power": 0.0, "few_names_mode": "same"}
PRESETS: dict[str, dict[str, Any]] = {"default": {}, "samrank": SAMRANK}


def field_names() -> Iterable[str]:
    return [f.name for f in dataclasses.fields(Settings)]
