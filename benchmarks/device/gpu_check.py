"""Device check (on the GPU machine; see prepare.py): CUDA reads against this CPU, GPU throughput."""
import json, os, pickle, sys, time
from pathlib import Path
import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer, BertConfig, BertModel
from samrank import KeyphraseExtractor, models
from samrank.model_defaults import MODEL_DEFAULTS

here = Path(os.environ.get("GPU_INPUTS", Path(__file__).resolve().parents[2] / ".gpu"))
out = Path(os.environ.get("OUT", "/tmp"))
data = pickle.load(open(here / "inputs.pkl", "rb"))
config = BertConfig.from_pretrained(here / "minilm")
model = BertModel(config, add_pooling_layer=False)
state = {k: v.float() for k, v in load_file(here / "minilm" / "weights_fp16.safetensors").items()}
missing = model.load_state_dict(state, strict=False)
print("missing/unexpected", missing, flush=True)
loaded = models.prepare(model.eval(), AutoTokenizer.from_pretrained(here / "minilm"), name="minilm-fp16")
report = {"gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, "torch": torch.__version__}

def timed(extractor, texts, tagged):
    extractor.pipeline.run(texts[0], 10, tagged[0])  # warm-up
    if extractor.settings.device != "cpu":
        torch.cuda.synchronize()
    t = time.perf_counter()
    runs = [extractor.pipeline.run(x, 10, tg) for x, tg in zip(texts, tagged)]
    if extractor.settings.device != "cpu":
        torch.cuda.synchronize()
    return runs, time.perf_counter() - t

n = int(os.environ.get("LIMIT", 300))
docs, tagged, refs = data["docs"][:n], data["tagged"][:n], data["ref"][:n]
for device in os.environ.get("DEVICES", "cuda,cpu").split(","):
    ex = KeyphraseExtractor(loaded, backend="torch", device=device, language="en", **MODEL_DEFAULTS["minilm"])
    runs, seconds = timed(ex, docs, tagged)
    got = [[(k.phrase, k.score) for k in r.keyphrases] for r in runs]
    same = sum([p for p, _ in g] == [p for p, _ in r] for g, r in zip(got, refs))
    diff = max((abs(a[1] - b[1]) / max(abs(b[1]), 1e-12) for g, r in zip(got, refs) for a, b in zip(g, r)), default=0)
    entry = {"abstracts": len(docs), "seconds": round(seconds, 2), "docs_per_s": round(len(docs) / seconds, 1),
             "same_ranking_as_laptop_cpu": same, "max_rel_score_diff": diff}
    huge = data["huge"][: int(os.environ.get("HUGE", 1_000_000))]
    huge_runs, huge_seconds = timed(ex, [docs[0], huge], [tagged[0], data["tagged"][300]])
    entry.update({"huge_chars": len(data["huge"]), "huge_seconds": round(huge_seconds - 0, 2),
                  "huge_top5": [k.phrase for k in huge_runs[1].keyphrases[:5]],
                  "cost_ratio_per_char": round((huge_seconds / len(data["huge"])) / (seconds / sum(map(len, docs))), 2)})
    report[device] = entry
    print(device, json.dumps(entry), flush=True)
    torch.set_num_threads(16)
(out / "gpu.json").write_text(json.dumps(report, indent=1))
