"""The choice grids of benchmarks/names_choices.py as tables for docs/NAMES.md, from the JSON
files each choice wrote."""

from __future__ import annotations

import json

from names_choices import LONG_HEADS_RANKED, RANKED, ROOT


def grid_table(file: str, title: str, prose: str, columns: dict[str, str]) -> list[str]:
    """A choice grid from docs/{file}, best mean first, the chosen row in bold; ``columns``: header
    -> the row's key for each setting."""
    path = ROOT / "docs" / file
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    sets = list(data["rows"][0]["f1@10"])
    peer_text = (" (best peer F1@10: " + ", ".join(f"{s} {v:.2f}" for s, v in data["best_peer_f1@10"].items())
                 + ")" if data["best_peer_f1@10"] else " (no peer ran on these documents)")
    lines = [f"## {title}", "", f"{prose} Machine: {data['machine']}. Rule: {data['rule']}{peer_text}. F1@10 per set:", "",
             "| " + " | ".join([*columns, *sets]) + " | mean | beats peers |",
             "|" + "---|" * (len(columns) + len(sets) + 2)]
    for r in sorted(data["rows"], key=lambda r: -r["mean"]):
        mark = "**" if r == data["chosen"] else ""
        cells = [f"{r[key]:g}" if isinstance(r[key], float) else str(r[key]) for key in columns.values()]
        cells[0] = f"{mark}{cells[0]}{mark}"
        lines.append("| " + " | ".join(cells + [f"{r['f1@10'][s]:.2f}" for s in sets])
                     + f" | {r['mean']:.2f} | " + {True: "yes", False: "no", None: "n/a"}[r["beats_peers"]] + " |")
    return lines + [""]


def choice_tables() -> list[str]:
    return ["The choice grids below are kept as each choice ran: later changes to the code (e.g. a "
            "stop word that opens a name kept in it, after the third and fourth looks) move their "
            "numbers by hundredths; the tables above are re-run with the code as it is.", ""] + grid_table(
        "NAMES_choice.json", "How the settings were chosen",
        "`--choose` on the English development sets. Length power 1 for few names is the rule switched off.",
        {"names heads": "names_heads", "length power, few names": "few_names_length_power",
         "few names up to": "few_names_share", "many names from": "many_names_share"}) + grid_table(
        "NAMES_graph_choice.json", "How the word graph's weights were chosen (second stage)",
        "`--choose-graph`, the names settings of the first stage fixed. Krapivin documents 101-400 were "
        "declared development data for this choice (1-100 stay held out).",
        {"graph weight": "graph_weight", "few names": "few_names_graph_weight",
         "long position power": "long_position_power"}) + grid_table(
        "NAMES_heads_choice.json", "Which heads read the texts the names heads do not (third stage)",
        "`--choose-heads`, the first two stages fixed; heads ranked on the development sets in "
        "docs/DEFAULTS.json (" + ", ".join(f"{a}-{b}" for a, b in RANKED[:8]) + ").",
        {"heads (names share below 0.3)": "heads", "length power, few names": "few_names_length_power"}) + grid_table(
        "NAMES_news_choice.json", "Two levers on which the news sets disagree",
        "`--choose-news`, every other setting the default's.",
        {"length power (many names)": "length_power", "graph from words": "graph_from_words",
         "graph in full from": "graph_full_words"}) + grid_table(
        "NAMES_spanish_choice.json", "The names rule for Spanish (e5-small)",
        "`--choose-spanish` on the Spanish development documents (wicc_es 1-100); length power 1 is the rule off.",
        {"length power, few names": "few_names_length_power"}) + grid_table(
        "NAMES_rarity_choice.json", "The words' rarity in general language (a prior without a corpus)",
        "`--choose-rarity`: each phrase weighed by the mean of max(1, 7 - Zipf frequency) over its words "
        "(wordfreq) to a power, by the share of names as the length power; every other setting the default's.",
        {"rarity power, few names": "few_names_rarity_power", "rarity power, many names": "rarity_power"}) + grid_table(
        "NAMES_spanish_rarity_choice.json", "The words' rarity for Spanish (e5-small)",
        "`--choose-spanish-rarity` on the Spanish development documents (wicc_es 1-100).",
        {"rarity power, few names": "few_names_rarity_power", "rarity power, many names": "rarity_power"}) + grid_table(
        "NAMES_long_heads_choice.json", "Which heads read long texts with few names (papers)",
        "`--rank-long-heads` then `--choose-long-heads`: texts of at least 300 words with a share of names "
        "below 0.3 read by the best heads of each head alone on Krapivin 101-400 (" + long_heads_ranking() + "); "
        "every other setting the default's.",
        {"long heads": "long heads", "heads": "heads", "weighting": "long_head_weighting"}) + grid_table(
        "NAMES_grammar_choice.json", "Which words may stand before a phrase's nouns (English candidates)",
        "`--choose-grammar`: the candidates <NN.*|TAGS>*<NN.*> with each set of modifier tags (JJ alone is "
        "SAMRank's); every other setting the default's.", {"modifier tags": "modifier tags"}) + grid_table(
        "NAMES_similarity_choice.json", "The phrase's nearness to its text in the model's embedding space",
        "`--choose-similarity`: each phrase weighed by its cosine with the text (each read alone by minilm, "
        "mean-pooled), over the mean of the phrases with as many words, to a power; every other setting the default's.",
        {"similarity power": "similarity_power"}) + grid_table(
        "NAMES_spanish_similarity_choice.json", "The nearness to the text for Spanish (e5-small)",
        "`--choose-spanish-similarity` on the Spanish development documents (wicc_es 1-100).",
        {"similarity power": "similarity_power"}) + grid_table(
        "NAMES_stopwords_choice.json", "English phrases that open with a stop word (a fix)",
        "`--choose-stopwords`: a chunk whose first word is on SAMRank's stop-word list dropped (SAMRank's "
        "reference code) or trimmed (a noun of the list kept before more of the phrase); every other setting "
        "the default's.", {"leading stop words": "leading_stopwords"}) + grid_table(
        "NAMES_generic_choice.json", "English phrases that open with a generic adjective",
        "`--choose-generic`: the stop words trimmed as above (trim), or the adjectives and participles of "
        "SMART's stop list as well (trim_generic: 'a novel neural network' -> 'neural network'); every other "
        "setting the default's.", {"leading stop words": "leading_stopwords"}) + grid_table(
        "NAMES_time_words_choice.json", "A time adverbial at the end of an English chunk (a fix)",
        "`--choose-time-words`: 'Exxon officials Monday', 'the storm last week' kept whole (SAMRank's chunks) "
        "or cut to the noun phrase before the time words; every other setting the default's.",
        {"split time words": "split_time_words"}) + grid_table(
        "NAMES_readout_choice.json", "The token score readout",
        "`--choose-readout`: both (SAMRank: global + proportional), global, proportional, forward, cls, "
        "fusion (KeyAtten's: cls x global); every other setting the default's.", {"readout": "mode"}) + grid_table(
        "NAMES_few_names_readout_choice.json", "The readout of texts with few names",
        "`--choose-few-names-readout`: texts whose share of names is below 0.3 read with each readout, the "
        "others with both; every other setting the default's.", {"readout, few names": "few_names_mode"}) + grid_table(
        "NAMES_gerunds_choice.json", "A gerund inside a noun phrase (a fix)",
        "`--choose-gerunds`: the tagger's tags as they are (SAMRank's chunks), or a gerund between a noun, an "
        "adjective or a determiner and a noun read as a noun where the text tags the same word as a noun "
        "elsewhere ('message passing protocol'); every other setting the default's.",
        {"gerunds as nouns": "nominal_gerunds"}) + grid_table(
        "NAMES_measures_choice.json", "A measure as a one-word phrase (a fix)",
        "`--choose-measures`: one-word phrases as chunked, or without the measures: a number with its unit, "
        "decade or ordinal in one word ('30ml', '1.2bn', '1960s', '10th') and a unit symbol that follows a number "
        "wherever the text has it ('5 GeV'); every other setting the default's.",
        {"measures dropped": "drop_measures"}) + grid_table(
        "NAMES_non_topics_choice.json", "Cited authors, formulas and addresses (a fix)",
        "`--choose-non-topics`: the candidates as chunked, or without the proper-noun phrases every occurrence "
        "of which is a cited author ('Kussin and Sommerfeld (2002)', 'Wu et al.') in a text that cites by author "
        "and year, and without the phrases that hold a formula ('N=2', '|x|', 'O(log n', a lone 'P') or an e-mail, "
        "handle or web address; every other setting the default's.",
        {"dropped": "drop_cited_names"}) + grid_table(
        "NAMES_word_count_choice.json", "How a one-word phrase's occurrences add up in a long text (stage 9)",
        "`--choose-word-count`: in texts of at least 300 words with few names, a one-word phrase's summed "
        "occurrences divided by their count to 1 - power (1: the sum, 0: the mean), the power rising to 1 by the "
        "share of names; every other setting the default's.", {"count power": "long_word_count_power"}) + grid_table(
        "NAMES_datelines_choice.json", "A news dateline glued after its headline (a fix)",
        "`--choose-datelines`: the candidates as chunked ('calorie counts on menus WASHINGTON - Like it or not': "
        "'menus washington'), or a new sentence at each dateline (a run of upper-case words, an optional state and "
        "agency, a dash or bullet, a capitalised first word); every other setting the default's.",
        {"split": "split_datelines"})


def long_heads_ranking() -> str:
    path = ROOT / "docs" / LONG_HEADS_RANKED
    if not path.exists():
        return "not run"
    ranked = json.loads(path.read_text())["heads_f1@10"]
    return ", ".join(f"{l}-{h} {f1:.2f}" for (l, h), f1 in ranked[:6])
