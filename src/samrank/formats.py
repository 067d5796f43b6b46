"""Output formats of ``samrank extract``: text, json, jsonl, csv, written as results come."""

from __future__ import annotations

import csv
import json
import sys

FORMATS = ("text", "json", "jsonl", "csv")


class Writer:
    """Writes results in one of FORMATS to ``out`` as they come."""

    def __init__(self, output_format: str, out=None):
        self.format = output_format
        self.out = out or sys.stdout
        self.count = 0
        if output_format == "csv":
            self.csv = csv.writer(self.out, lineterminator="\n")
            self.csv.writerow(["source", "rank", "phrase", "score", "spans"])
        elif output_format == "json":
            self.out.write("[")

    def write(self, source: str, keyphrases, language: str | None = None, reason: str = "") -> None:
        """One input's results; ``reason`` says why there are none (a language not supported)."""
        out = self.out
        record = {"source": source, "language": language, "keyphrases": [k.to_dict() for k in keyphrases],
                  **({"reason": reason} if reason else {})}
        if self.format == "json":
            out.write(("," if self.count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        elif self.format == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.format == "csv":
            for rank, k in enumerate(keyphrases, 1):
                spans = " ".join(f"{s}-{e}" for s, e in k.spans)
                self.csv.writerow([source, rank, k.phrase, f"{k.score:.6g}", spans])
        else:
            if self.count:
                out.write("\n")
            out.write(f"== {source}\n")
            if not keyphrases:
                out.write(f"(no keyphrases found{': ' + reason if reason else ''})\n")
            for k in keyphrases:
                spans = ", ".join(f"{s}-{e}" for s, e in k.spans[:5])
                more = f" (+{len(k.spans) - 5} more)" if len(k.spans) > 5 else ""
                out.write(f"{k.score:10.4f}  {k.phrase}  [{spans}{more}]\n")
        out.flush()
        self.count += 1

    def close(self) -> None:
        if self.format == "json":
            self.out.write("\n]\n")
        self.out.flush()
