import json, sys, pickle, numpy as np
sys.path.insert(0, sys.argv[1])
from samrank.candidates import tag, select_candidates, stem_phrase
docs=[json.loads(l) for l in open('/work/shared/datasets/inspec.jsonl')][:150]+[json.loads(l) for l in open('/work/shared/datasets/semeval2010.jsonl')][:8]
out=[]
for d,t in zip(docs, tag([d['text'] for d in docs])):
    c=select_candidates(t)
    out.append((c.phrases, c.n_words.tolist(), c.occ_phrase.tolist(), c.occ_start.tolist(), c.occ_end.tolist(), c.occ_standalone.tolist(), [stem_phrase(p) for p in c.phrases], t.words, t.tags, t.starts.tolist(), t.sentences.tolist()))
pickle.dump(out, open(sys.argv[2],'wb'))
