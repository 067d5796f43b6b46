"""The prose at the head of docs/NAMES.md (benchmarks/names_rule.py renders the page)."""

INTRO = """\
**What it is.** Three settings now follow the share of proper nouns among a text's nouns (the
tagger's NNP/NNPS, PROPN, NE): the *length power* — a phrase's summed token scores are divided by
its token count to that power, so a high power favours single words and a low one longer
phrases —, the *heads* read, and in long texts the *word graph's weight* (docs/GRAPH.md). Up to
`few_names_share` (0.2) a text takes `few_names_length_power` (0: phrases keep their token sums,
as in SAMRank) and `few_names_graph_weight` (0.15); from `many_names_share` (0.3) on it takes
`length_power` (1) and `graph_weight` (0.6) and is read by `names_heads` (every head of minilm,
weighted per document by `names_head_weighting` dynamic) instead of `heads` (5-5); the two
numbers are linear between. Code: `samrank/names.py`; `Pipeline.heads`, `Pipeline.length_power`,
`Pipeline.with_graph`.

**Why.** Texts about named people, places and firms (news) are annotated with short keyphrases,
often single words and names; texts with few names (abstracts, technical papers) with multi-word
terms, and the head that reads abstracts best (5-5) is not the best reader of news (every head,
dynamically weighted, led on 500N-KPCrowd dev in docs/DEFAULTS.md); the word graph that news
wire needs (DUC2001) cost long papers (Krapivin) three points. One setting for both was a
compromise that lost on each. A study of signals read off the text (length, proper-noun and
capital shares, sentence length, repetition, type-token ratio) on the development sets found
the proper-noun share the one that tells them apart; a learned router over all ten did no better
on the sets it was fitted on and did not carry from two sets to the third.

**What it costs.** News texts are read through every layer's attention (slower than one head:
docs/NAMES.md's speed line). The development sets had to keep beating every peer, so the
500N-KPCrowd crowd keys (single words) held the length power back; KPCrowd is still where a peer
comes close. The choice was made in two stages (first the length power, the shares and the
heads with the graph as it was; then the graph's two weights and the long texts' position power
with those fixed), not jointly. A third look (which heads read the texts the names heads do not: the
best 3, 5 or 8 heads ranked on the development sets, mean or dynamic, instead of 5-5) and a fourth
(the length power of texts with many names; the text lengths over which the word graph comes
in) found nothing that beats the default's mean by the margin (tables at the end). The fourth
shows why news holds the default back: the two news sets pull those levers in opposite
directions — 500N-KPCrowd (49 crowd keys a story, mostly single words) gains with a higher
length power or a later graph (14.42 at length power 1.5, +0.75), DUC2001 (8 short phrases,
many names) loses more (28.55, -1.22). The gold of a set is never read: the rule sees only the text's tags.

**The words' rarity (stage 4, taken by the rule, and what held-out data said).** Each phrase's
score is multiplied by the mean rarity of its words in general language — `max(1, 7 - Zipf
frequency)` from wordfreq, a prior that needs no corpus (`samrank/rarity.py`) — to a power that
follows the share of names like the length power: `few_names_rarity_power` 1.5 up to
`few_names_share`, `rarity_power` 1 from `many_names_share` on. The grid (`--choose-rarity`, last
table) was scored on the four development sets with the rule declared before it ran (the
default so far stays unless a row beats its mean by 0.2); the chosen row beat it by 0.201
(24.14 -> 24.34: SemEval2017 +0.40, Krapivin 101-400 +0.60, 500N-KPCrowd dev -0.16, DUC2001
-0.04), so it became the default. Held out, when it was chosen, it did not carry: Inspec -0.34,
SemEval2010 -0.60, 500N-KPCrowd test -0.03, Krapivin 1-100 +0.31 (what it moves now: "What the
later stages move", below). A margin of 0.2 in the dev mean was too thin to tell this lever from
noise. It stays because the rule chose it on
development data; dropping it on the strength of held-out numbers would be choosing on them. For Spanish (e5-small)
the same prior lost on every row of its grid on the Spanish development documents
(`--choose-spanish-rarity`: wicc_es 1-100 26.30 without, 25.09-25.92 with), so it stays off for
e5-small, the model of every language but English.

**Heads for long papers (stage 5, taken by the rule).** A text of at least `long_text_words` (300)
words whose share of names is below `many_names_share` is read by `long_heads` (5-7, 5-9, 5-1,
5-6, 5-4, mean) instead of `heads` (5-5, chosen on abstracts and news). The heads were ranked each
alone, under the default scoring, on the long development papers (Krapivin 101-400:
`--rank-long-heads`; the nine best are all in the last layer, 5-5 ninth), and the best 1, 3 and 5
(mean; the best 5 dynamic too) and the whole last layer were scored on the four development sets
with the rule declared before it ran (`--choose-long-heads`, last table): the best 5 beat the
default so far by 0.35 in the mean (24.34 -> 24.69: Krapivin 101-400 +0.59, in sample for the
ranking; DUC2001 dev +0.81, whose long stories with few names take them; SemEval2017 and
500N-KPCrowd dev -0.01). Held out, when it was chosen: SemEval2010 +0.23, Krapivin 1-100 +0.26,
500N-KPCrowd test +0.11, Inspec -0.01. After the bracket-escape fix below, SemEval2010 moved the
other way for a while (without the long heads it would then have passed its target; today's
moves: "What the later stages move"). They stay: the rule chose them on development data, and
SemEval2010 is held out. Code: `Pipeline.heads`.

**Bracket escapes (a fix, not a choice).** SemEval 2010's papers, as SAMRank read them, carry
CoreNLP's escapes for brackets (`-LRB-`, `-RSB-`: about 41 per paper; no other set here has
them). The tagger took them for proper nouns: they entered phrases ("Receiver-driven Overlay
-LRB-") and raised the share of names, which sent some papers to the settings for news. The
English tagger now reads them as the brackets they stand for (`candidates/escapes.py`; offsets stay
the text's own). Only SemEval2010's numbers moved (default 17.97 -> 20.47 with the fix, measured
once after it; no setting was chosen on it).

**HTML character references (a fix, not a choice).** Some news texts carry the escapes of the
page they were scraped from ("&#039;Dark Shadows&#039;", "&amp;": 48 in 31 of 500N-KPCrowd's 500
stories, 10 in DUC2001 dev, 14 in Krapivin 1-400; none in the scientific abstracts). The tagger
took "&#039" and "amp" for words, and "Shadows&#039" came out as a keyphrase. Every tagger now
reads them as their characters (`candidates/escapes.py`, offsets the text's own; a phrase's
surface form reads them too). Measured once after it, with the time-word fix in: 500N-KPCrowd dev
13.62 -> 13.70, test 16.07 -> 16.14, the whole set 14.84 -> 14.92 (`samrank evaluate -d
500n_kpcrowd --cache`); DUC2001 dev and Krapivin 1-100 did not move; no setting was chosen on it.

**Compounds written with an en dash (a fix, not a choice).** Scientific typesetting writes
compounds with an en dash ("gas–solid channel flow", "oil–water", "group III–V materials":
166 of SemEval2017's 8,485 gold phrases hold one). spaCy splits the word there, so "gas–solid
channel flow" was no candidate ("solid channel flow" was). An en dash glued to word characters
on both sides now joins a compound as a hyphen does (`candidates/en.py`, `_HYPHENS`; the method's
own note asks for hyphenated compounds kept whole); a spaced en dash and an em dash still part the
words. Measured once after it (`names_rule.py --split dev|test`): SemEval2017 37.96 -> 38.73;
500N-KPCrowd dev, DUC2001 dev and wicc_es 1-100 unchanged, as is every held-out set (Inspec
39.69, SemEval2010 20.69, 500N-KPCrowd test 16.14, Krapivin 1-100 19.56). Neither news set has
an en dash between two words, Krapivin 1-400 has no en dash at all, and wicc_es 1-100's 17 did not
move its scores. A scratch run of the same toggle on the development sets came first. No
setting: like the hyphen, it holds in every preset, `samrank` included. The issue's targets did
not move with it.

**The token score readout (tried; not taken by the rule).** Stage 1 took SAMRank's readout,
both (attention received plus the proportional share), and reported the others on the held-out
sets only; it was never chosen on development data. The grid (`--choose-readout`, last table:
both, global, proportional, forward, cls, fusion; every other setting the default's) ran with
the usual rule, stated before it ran (both stays unless a readout beats its mean by 0.2 and every
peer by 0.2); the held-out table of stage 1, where global led on Inspec, was known when the grid
was proposed. Global, forward and cls gained on SemEval2017 (+0.5 to +0.6) and Krapivin 101-400
(+0.1 to +0.4) but lost 0.4 on 500N-KPCrowd dev, under MultipartiteRank's 13.21 plus the margin;
cls gained in the mean (+0.22) and failed the peer margin, so both stays in texts with many names.

**Texts with few names read by cls (stage 8, taken by the rule).** The readout grid split by
genre as the length power did, so the next grid followed the names rule: a text whose share of
names is below `many_names_share` (0.3) is read with `few_names_mode`, the others with `mode`
(both). It was proposed after the readout grid above, with the usual rule stated before it ran
(`--choose-few-names-readout`, last table: both stays unless a readout beats its mean by 0.2 and
every peer by 0.2). cls beat both by 0.21 (25.94 -> 26.15: SemEval2017 +0.61, 500N-KPCrowd dev
-0.05, DUC2001 dev +0.01, Krapivin 101-400 +0.29), the best mean (forward +0.21, global
+0.13). cls is KeyAtten's readout: the attention the window's first token (minilm's
[CLS]) pays each token, the sink's share dropped. A margin this thin did not tell the rarity prior
from noise (stage 4), and held out this one lost on all four sets when it was taken: Inspec
39.69 -> 39.23, SemEval2010 20.69 -> 20.51 (under PromptRank's 20.66 again, until the gerund fix
below), 500N-KPCrowd test 16.14 -> 16.11, Krapivin 1-100 19.56 -> 19.06. The bootstrap intervals
of "What the later stages move" put both sides in proportion: its development gain on SemEval2017
barely clears 0 and every held-out loss holds 0, so the documents tell neither the gain nor the
losses from chance. It stays, as the rarity prior
stayed: the rule chose it on development data, and undoing it on the strength of the held-out
sets would make them the sets that choose. With the model's own heads only (a user's `heads` keep
`mode` in every text); e5-small,
mpnet and smollm2 keep both in every text (no choice was made for them), as does the `samrank`
preset. Code: `Settings.few_names_mode`, `Pipeline.mode`.

**Which words stand before a phrase's nouns (stage 6, taken by the rule).** SAMRank's candidates
are `<NN.*|JJ>*<NN.*>` (EmbedRank's grammar): a past participle (spaCy's VBN: "distributed
systems", "embedded processors") or a superlative ("largest prime numbers") cut the phrase, leaving
"systems". `modifier_tags` names the Penn tags that may stand before the nouns; the grid
(`--choose-grammar`, last table: JJ; with JJR/JJS; with VBN; with VBG; and their unions) was
scored on the four development sets with the rule of stages 4 and 5 (the default so far, JJ,
stays unless a row beats its mean by 0.2). JJ, JJR, JJS and VBN beat it by 0.25 (24.69 -> 24.93:
SemEval2017 +0.35, 500N-KPCrowd dev +0.05, DUC2001 dev +0.16, Krapivin 101-400 +0.43); gerunds
(VBG: "using", "learning") lost on both news sets and failed the peer margin. I had run most of
these rows once in a scratch script before the grid was committed; the grid and its rule are the
standing ones of stages 4 and 5. Held out, it moved the sets both ways ("What the later stages
move"). The samrank preset keeps JJ. Code: `candidates/en.py` (`noun_phrase_spans`).

**The phrase's nearness to its text (stage 7, taken by the rule).** Each phrase's score is
multiplied by its cosine with the text in minilm's own embedding space — the phrase read alone and
the text's first two windows, each mean-pooled from the last layer, as EmbedRank and KeyBERT
score phrases — divided by the mean cosine of the text's phrases with as many words (1, 2, 3 or
more), to `similarity_power`. The division is what made it work: an earlier study
(docs/EMBEDDING_FUSION.md: the cosine of the phrase's tokens in context, fused by product or
rank) gained on DUC2001 and lost up to three points on 500N-KPCrowd, because single words and
phrases sit at different distances from a text's vector and the raw cosine moved the balance
between them that the length settings hold (500N-KPCrowd's crowd keys are single words). Read
within its own length, the similarity only reorders phrases of one length. The grid
(`--choose-similarity`, last table: 0, 0.5, 1, 2) was scored on the four development sets with
the rule of stages 4 to 6; 0.5 beat the default so far by 0.62 in the mean (24.93 -> 25.55:
SemEval2017 +1.45, 500N-KPCrowd dev +0.04, DUC2001 dev +1.09, Krapivin 101-400 -0.10); power 1
failed the peer margin on 500N-KPCrowd dev (13.39). Exploration first: I scored phrases read
alone and in context, with and without the division, once in a scratch script on SemEval2017,
500N-KPCrowd dev and DUC2001 dev before this grid was committed. Cost: one more forward pass over
the text's distinct phrases, through ONNX Runtime like the attention; the text's vector (its
first two windows) comes from the attention pass itself where the heads read end at the model's
last layer, as minilm's do, else from one more pass (speed below: the row `similarity_power=0`). Code: `samrank/similarity.py` (pure),
`readers/embedder.py`, `Pipeline.similarity_weights`; the cosines are kept in the disk cache.
Held out it moved Inspec +0.13, SemEval2010 +0.46, Krapivin 1-100 +0.56 and 500N-KPCrowd test
-0.33 ("What the later stages move"). For Spanish (e5-small, its phrases without e5's "query: "
prefix) it lost on the Spanish development documents (`--choose-spanish-similarity`: wicc_es
1-100 26.30 without, 26.05-26.18 with), so it stays off for e5-small.

**Phrases that open with a stop word (a fix, not a choice).** SAMRank's reference code leaves out
a chunk whose first word is on its 319-word stop list. With the default grammar that lost every
phrase after "more", "most", "other", "such", "several", "first", "last" ("Depp could be back for
more Pirates" had no "Pirates"), and the list holds nouns, so "computer vision", "fire
department" and "system identification" were lost whole (in the first 150 texts of each set,
3-5% of the chunks: 154 of 4,710 in Inspec, 812 of 15,866 in 500N-KPCrowd, 1,450 of 28,143 in
DUC2001 dev; scratch count). `leading_stopwords` trim (the default) takes the stop words off the
front of the chunk and keeps a noun of the list that stands before more of the phrase; a stop
word alone ("others", "part") still goes. The rule was stated before the grid ran: the fix is
taken unless it fails the peer margin or costs 0.2 of the development mean
(`--choose-stopwords`, last table); it cost nothing (25.55 -> 25.61: SemEval2017 +0.01,
500N-KPCrowd dev +0.01, DUC2001 dev +0.10, Krapivin 101-400 +0.12). Scratch runs of two
variants on the three short development sets came first. The samrank preset keeps dropping
them. Code: `candidates/edges.py` (`trim_leading_stopwords`).

**Phrases that open with a generic adjective (tried; not taken by the rule).** A chunk such as
"a novel neural network", "the new method" or "different image segmentation tasks" is found
with its qualifier, and the gold phrase ("neural network") is then no candidate at all: in the
first 200 texts, a strict tail of a chunk in 116 of Inspec's gold phrases, 209 of SemEval2017's
and 1,027 of 500N-KPCrowd dev's, its leading word most often an adjective ("new", "different",
"appropriate", "novel", "particular"; scratch count). `leading_stopwords` trim_generic also takes
off the chunk's leading adjectives and participles on a general stop list, SMART's (Salton's
571 words, as YAKE ships them: `data/smart_stopwords.txt`; a word of it tagged as a noun,
"example sentences", stays). The rule was stated before the grid ran: a choice, so trim stays
unless trim_generic beats its mean by 0.2 (`--choose-generic`, last table). It gained on all
four development sets (SemEval2017 +0.30, 500N-KPCrowd dev +0.19, DUC2001 dev +0.02, Krapivin
101-400 +0.14) but the mean by 0.16, under the margin, so the default stays trim and
trim_generic is a setting. A scratch run on the three short development sets came first.

**A time adverbial at a chunk's end (a fix, not a choice).** The grammar joins adjacent nouns,
so a subject and the time adverbial after it ("Exxon officials Monday said", "the storm last week
hurt", "Hurricane Hugo Monday night") came out as one phrase, and "Exxon officials" was no
candidate. `split_time_words` (the default; off in the samrank preset) cuts a day of the week,
"today"/"yesterday"/"tomorrow"/"tonight" (with a following "morning", "night" ...) and "last/next/
this ... week/month/year/season" off a chunk's end, down to its last noun; a chunk of time words
alone ("last year", "Monday") stays whole, and the word graph leaves such phrases out where it
weighs. Declared a fix for a chunking error before its grid ran (`--choose-time-words`, last
table: taken unless it fails the peer margin or costs 0.2 of the mean), after a scratch run on
the three short development sets; it moved the mean by +0.11 (DUC2001 dev +0.42, 500N-KPCrowd
dev +0.03, SemEval2017 and Krapivin 101-400 +0.00), which the margin for a choice (0.2) would not
have passed. Code: `candidates/edges.py` (`trim_trailing_time_words`).

**A gerund inside a noun phrase (a fix, not a choice).** spaCy's tagger reads many gerunds
within a compound as verbs ("message/NN passing/VBG protocol/NN", "LexA binding sites", "model
checking algorithms", "fire fighting policies"), which cuts the phrase in two: of Krapivin
101-400's gold phrases that were in the text but no candidate, 50 had such a gerund inside.
`nominal_gerunds` (the default; off in the samrank preset) reads a gerund as a noun where it
stands between a noun, an adjective or a determiner and a noun of the same sentence, and the same
text tags the word as a noun somewhere ("the passing of messages"); a gerund the text never uses
as a noun stays a verb ("people using computers"). Declared a fix for a tagging error before its
grid ran (`--choose-gerunds`, last table: taken unless it fails the peer margin or costs 0.2 of
the mean), after scratch runs on the four development sets of five variants (between nouns only,
or after a determiner too, each with and without the text's own evidence; the evidence and the
determiner was the one gaining on all four); it moved the mean by +0.07 (SemEval2017 +0.05,
500N-KPCrowd dev +0.01, DUC2001 dev +0.14, Krapivin 101-400 +0.09). Code: `candidates/edges.py`
(`gerunds_as_nouns`).

**A measure is no one-word phrase (a fix, not a choice).** The tokenizer keeps a number and a unit
it does not know in one word ("30ml", "0.5Hz", "1.2bn"), and a decade or an ordinal is one word
("1960s", "10th"); a unit it knows it splits off ("5 GeV", "10 km"), and the unit becomes a noun
of its own. As phrases of one word they name quantities, not topics (the issue: "no dates, months
or units unless they are the topic"). `drop_measures` (the default; off in the samrank preset)
leaves out a one-word phrase that is a number glued to a unit symbol, a decade's "s" or an
ordinal's ending, or a unit symbol that follows a number wherever the text has it; a longer
phrase keeps its measure ("5GHz band"), a symbol the text also uses without a number stays ("the
GeV scale"), one letter glued to a number is read as a unit only for m and h ("4G", "3D",
"401k", "747s" name things) and an "s" only after a decade. Spelled-out words ("percent",
"miles", "acres") stay: in news they are counted things, and 500N-KPCrowd's crowd picks
"percent"; it picked eight measures too ("1980s", "70s", "19th", "mph"), now out of reach, and
the numbers below carry that loss. It works in every language, Chinese too (jieba splits a unit
off its number as spaCy does).
Declared a fix before its grid ran (`--choose-measures`, last table: taken unless it fails the
peer margin or costs 0.2 of the mean), after a scratch run of the glued forms alone on the four
development sets (mean +0.04); it moved the mean by +0.04 (SemEval2017 +0.09, 500N-KPCrowd dev
+0.01, DUC2001 dev +0.08, Krapivin 101-400 +0.00). Code: `candidates/measures.py`.

**Cited authors, formulas and addresses are no phrases (a fix, not a choice).** Reading the
default's wrong top-10 phrases on the development sets (SemEval2017, Krapivin 101-400, 500N-KPCrowd
dev) turned up three kinds that name no topic. Surnames in author-year citations ("Mallouppas and
van Wachem (2013)", "Kussin and Sommerfeld (2002)", "(Triplett, 2006)"): the tagger reads them as
proper nouns and a name cited twice draws attention like a term. `drop_cited_names` leaves out a
proper-noun phrase every occurrence of which is followed by "et al.", a year in brackets or after
a comma, or a co-author and then one of those, in a text that cites that way at all (an "et al."
or an author and year in brackets), and a phrase that holds the "et al." itself ("Wu et al.",
three proper nouns to the tagger); a name the text also uses in a sentence of its own stays, a
number in brackets ("Gill [16]") is no sign (tools are cited so too), and a film before its year
in a review that cites nobody stays. Pieces of formulas: `drop_formulas` leaves out a phrase with
an operator sign ("N=2", "|ω−ωf|", "\\Delta"), with a bracket it does not close or never opened
("O(log n", "L(-"), or, in a text that writes formulas (a "=", "<" or ">" somewhere), that is one
letter alone (a variable: "P", "f"; "X" the firm in a news story stays); chemical formulas, arrows
and whole brackets ("PuO2", "μ→eγ", "tetrakis(pentafluorophenyl)porphyrin") stay. And addresses:
`drop_addresses` leaves out a phrase with an e-mail address, a handle or a web address
("dwhitehouse1@bloomberg.net", "http://www..."); "Amazon.com" stays. All three are on by default
and off in the samrank preset. Declared a fix before its grid ran (`--choose-non-topics`, last
table: taken unless it fails the peer margin or costs 0.2 of the mean), after scratch runs of
each part on the four development sets; the grid ran first without the addresses (mean +0.20:
SemEval2017 39.48 -> 40.11, Krapivin 101-400 19.33 -> 19.52, neither news set moved), again
with them (+0.21), and last with the one-letter rule narrowed to texts that write formulas, so
that a one-letter name stays in news (a choice for users made before that run, not for the
numbers: SemEval2017 -0.05 against the rule in every text): mean +0.20 (SemEval2017 39.48 ->
40.06, 500N-KPCrowd dev 13.68 -> 13.70, Krapivin 101-400 19.33 -> 19.52, DUC2001 dev unchanged;
the Spanish development documents, wicc_es 1-100, 26.30 -> 26.43 in `--split dev`). Held out,
measured after (`--split test`): Inspec 39.32 -> 39.43, 500N-KPCrowd test
16.12 -> 16.16, Krapivin 1-100 18.82 -> 18.97; SemEval2010 and the Spanish wicc_es 101-200 did
not move. A follow-up, a fix like the rest: a phrase that holds the "et al." itself ("wu et al." had
reached SemEval2017's top tens); no development F1@10 moved (SemEval2017 F1@5 / F1@15 28.29 / 43.61
-> 28.30 / 43.58), and measured after, Inspec 39.43 -> 39.47, no other held-out set moved. Code:
`candidates/non_topics.py`.

**A one-word phrase's repetition in a long text (stage 9, taken by the rule).** One in four of
the default's top-10 phrases on Krapivin 101-400 was one word ("algorithm", "processors", "nodes",
"data"), and few were right (6.5 % of the NN, 3.4 % of the NNS, against 25 % of "NN NN"; a scratch
count, in the session's note on issue 14), where 16 % of the gold is one word: a paper repeats its field's common nouns hundreds of times, and a
one-word phrase summed over its stand-alone occurrences rises by that alone. In a text of at least
`long_text_words` (300) words, `long_word_count_power` divides that sum by the count to 1 - power
(0: the mean, so frequency no longer counts for one word; a phrase of more words keeps its sum),
the power rising to 1 by the share of names as the length power does, so news keeps its repeated
names (`scoring.repetition_discount`, `Pipeline.word_count_power`). Scratch runs on the four
development sets came first (variants in the session's note on issue 14: the power in every text
with few names, short ones too, lost on SemEval2017; SAMRank's mean per window keeps the count,
summed over a long paper's windows, and lost on Krapivin). The grid (`--choose-word-count`, last
table) ran with the usual rule, stated before it ran (1 stays unless a row beats its mean by 0.2 and every peer by 0.2): the power
0 beat it by 0.37 (SemEval2017 40.06 unchanged, 500N-KPCrowd dev 13.70 -> 13.66, DUC2001 dev 32.59
-> 33.03, Krapivin 101-400 19.52 -> 20.60). Held out, measured after (`--split test`): SemEval2010
20.71 -> 21.39, Krapivin 1-100 18.97 -> 19.40, Inspec 39.47 -> 39.50, 500N-KPCrowd test 16.16 ->
16.05 (whole 500N-KPCrowd 14.93 -> 14.86); on Krapivin 1-100 the no-attention control, which takes
the stage too, scores 19.43. For minilm only (the other models
keep the sum: not measured for them); off in the `samrank` preset.

**A news dateline glued after its headline (a fix, not a choice).** A story copied from a news
page often loses the line break between its headline and its dateline ("FDA proposes calorie
counts on menus WASHINGTON - Like it or not, ..."), and the tagger reads "menus WASHINGTON" as one
noun phrase; on 500N-KPCrowd dev such phrases reached the top tens ("menus washington", "star los
angeles") and hid their words, which the crowd picks. `split_datelines` (the default; off in the
samrank preset) starts a new sentence at a run of upper-case words of letters on one line, one of
three letters or more, followed by an optional state and agency ("MEMPHIS, Tenn.", "DUBLIN (AP)"),
a dash or a bullet and a capitalised first word that is no acronym, in every language
(`layout.py`). Declared a fix before its grid ran (`--choose-datelines`, last table: taken unless
it fails the peer margin or costs 0.2 of the mean), after a scratch run on the development sets
(66 datelines in 500N-KPCrowd dev's 250 stories; in Krapivin 101-400 and the Spanish wicc_es 1-100
3 and 24 acronyms before a dash split, none moving F1); it moved the mean by +0.04 (500N-KPCrowd
dev 13.66 -> 13.83; SemEval2017, DUC2001 dev and Krapivin 101-400 unchanged). Held out, measured
after (`--split test`): 500N-KPCrowd test 16.05 -> 16.27, ahead of pke MultipartiteRank's 16.24
there for the first time (whole 500N-KPCrowd 14.86 -> 15.05, `samrank evaluate -d 500n_kpcrowd
--cache`); Inspec, SemEval2010, Krapivin 1-100 and the Spanish wicc_es 101-200 did not move.

**Other languages and models.** e5-small, the model for every language but English, takes the
length power part alone (`few_names_length_power` 0.25, chosen on the Spanish development
documents: wicc_es 1-100 25.31 -> 26.30; on the held-out 101-200 it moved 22.23 -> 22.24, so
the dev gain did not carry); it has no word graph and no names heads. The Spanish tagger marks
proper nouns as German's and jieba's do, but only Spanish was measured. The rule is off for
mpnet and smollm2 (their `few_names_length_power` is their `length_power`), and the `samrank`
preset keeps SAMRank's one head and length power 0.
"""
