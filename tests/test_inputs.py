"""samrank.inputs: bounded, checked reads of files, stdin, folders, JSONL and CSV; output checks."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from samrank import inputs
from samrank.inputs import InputError, OutputError, check_output_path, clean_text, decode, iter_inputs, read_text


def test_reads_utf8_and_drops_a_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfcaf\xc3\xa9 graph")
    assert read_text(path) == "café graph"


def test_utf16_with_bom_and_explicit_encodings(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("héllo wörld".encode("utf-16"))
    assert read_text(path) == "héllo wörld"
    path.write_bytes("héllo".encode("latin-1"))
    with pytest.raises(InputError, match=r"u16.txt is not valid utf-8 .*offset 1.*--encoding"):
        read_text(path)
    assert read_text(path, encoding="latin-1") == "héllo"
    path.write_bytes("héllo".encode("utf-16-le"))
    assert read_text(path, encoding="utf-16-le") == "héllo"
    with pytest.raises(InputError, match="unknown encoding"):
        read_text(path, encoding="no-such-codec")


def test_invalid_utf8_names_the_offset_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "CHUNK", 7)
    path = tmp_path / "bad.txt"
    path.write_bytes(b"a" * 8192 + b"bcdefgh\xc3" + b"(")
    with pytest.raises(InputError, match=r"bad.txt is not valid utf-8 \(byte 0xc3 near offset 8,199\)"):
        read_text(path)
    # a character split between chunks is fine
    path.write_bytes(b"a" * 8195 + "é".encode() * 20)
    assert read_text(path).endswith("é" * 20)


@pytest.mark.parametrize("data, why", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "looks like a PDF"),
    (b"PK\x03\x04\x14\x00", "ZIP archive"),
    (b"\x1f\x8b\x08\x00", "gzip"),
    (b"text then a NUL\x00 byte", "NUL bytes"),
    (bytes(range(1, 9)) * 40, "control bytes"),
])
def test_binary_is_refused_from_the_first_chunk(tmp_path, data, why):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=why):
        read_text(path)


def test_size_limit_is_checked_while_reading(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 1000)
    assert len(read_text(path, max_chars=5000)) == 5000
    with pytest.raises(InputError, match=r"long.txt is too long: over 4,999 characters.*--max-chars"):
        read_text(path, max_chars=4999)
    # far too many bytes: refused from the size alone, without reading
    with pytest.raises(InputError, match="too long"):
        read_text(path, max_chars=10)


def test_devices_fifos_folders_missing_files_never_block(tmp_path):
    with pytest.raises(InputError, match="/dev/zero is a device"):
        read_text("/dev/zero")
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = []
    worker = threading.Thread(target=lambda: done.append(pytest.raises(InputError, read_text, fifo)))
    worker.start()
    worker.join(5)
    assert done and "FIFO" in str(done[0].value), "reading a FIFO blocked"


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError, match="secret.txt: cannot read"):
        read_text(path)


def test_stdin_and_binary_streams(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("graph ranking é".encode())))
    assert read_text("-") == "graph ranking é"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\0" * 100_000)))
    with pytest.raises(InputError, match="<stdin> looks binary"):
        read_text("-")
    assert decode(b"abc", max_chars=3) == "abc"


def test_stdin_from_dev_zero_stops_at_once():
    code = ("import sys; from samrank.inputs import read_text, InputError\n"
            "try: read_text('-')\nexcept InputError as e: print(e)")
    with open("/dev/zero", "rb") as zero:
        out = subprocess.run([sys.executable, "-c", code], stdin=zero, capture_output=True, text=True,
                             timeout=60, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "<stdin> looks binary (NUL bytes), not text"


def test_clean_text_keeps_length():
    text = "a\ud800b\udfffc\U0001F600"
    cleaned = clean_text(text)
    assert cleaned == "a\ufffdb\ufffdc\U0001F600" and len(cleaned) == len(text)
    cleaned.encode("utf-8")
    assert clean_text("plain") == "plain"


def test_iter_inputs_files_folders_records(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("first document")
    (tmp_path / "docs" / "sub" / "b.txt").write_text("second document")
    (tmp_path / "docs" / "sub" / "c.md").write_text("# third")
    (tmp_path / "docs" / ".hidden.txt").write_text("hidden")
    (tmp_path / "docs" / "bin.txt").write_bytes(b"\0\0\0")
    records = tmp_path / "r.jsonl"
    records.write_text("\n".join([
        json.dumps({"id": "d1", "text": "one"}),
        "{not json",
        json.dumps({"id": 7, "body": "wrong field"}),
        json.dumps({"text": 5}),
        "",
        json.dumps([1, 2]),
        json.dumps({"text": "lone \ud800 surrogate"}),
        json.dumps({"id": "d9", "text": "last"}),
    ]) + "\n")
    table = tmp_path / "t.csv"
    table.write_text('id,text\nc1,"a, quoted\nmultiline text"\nc2,second row\n,no id\n')
    got = list(iter_inputs([tmp_path / "docs", records, table, tmp_path / "missing.txt"], glob="*.txt"))
    ids = [i for i, _ in got]
    assert ids == [str(tmp_path / "docs" / "a.txt"), str(tmp_path / "docs" / "bin.txt"),
                   str(tmp_path / "docs" / "sub" / "b.txt"),
                   "d1", f"{records}:2", "7", f"{records}:4", f"{records}:6", f"{records}:7", "d9",
                   "c1", "c2", f"{table}:3", str(tmp_path / "missing.txt")]
    values = [v for _, v in got]
    assert values[0] == "first document" and values[2] == "second document"
    assert isinstance(values[1], InputError)
    assert values[3] == "one" and values[9] == "last"
    assert "not valid JSON" in str(values[4])
    assert "no 'text' field (fields: 'id', 'body'" in str(values[5])
    assert "'text' is int, not a string" in str(values[6])
    assert "must be a JSON object" in str(values[7])
    assert values[8] == "lone \ufffd surrogate"
    assert values[10:13] == ["a, quoted\nmultiline text", "second row", "no id"]
    assert isinstance(values[13], InputError) and "no such file" in str(values[13])


def test_iter_inputs_fields_and_failures(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("key\tabstract\nk1\tgraph ranking\n")
    assert list(iter_inputs([table], text_field="abstract", id_field="key")) == [("k1", "graph ranking")]
    [(name, error)] = list(iter_inputs([table]))
    assert "no 'text' column (columns: 'key', 'abstract'" in str(error)
    empty = tmp_path / "empty"
    empty.mkdir()
    [(name, error)] = list(iter_inputs([empty]))
    assert "no files match" in str(error)
    broken = tmp_path / "b.csv"
    broken.write_bytes(b"id,text\n1,fine\n2,caf\xe9\n3,never\n")
    got = list(iter_inputs([broken]))
    assert got[0] == ("1", "fine") and got[2] == ("3", "never")  # only the bad row fails
    assert got[1][0] == "2" and "b.csv:2: not valid utf-8" in str(got[1][1])
    lines = tmp_path / "l.jsonl"
    lines.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n' + b'{"text": "' + b"x" * 2000 + b'"}\n'
                       + b'{"text": "' + b"x" * 100 + b'"}\n{"text": "end"}\n')
    got = list(iter_inputs([lines], max_chars=40))
    assert got[0] == (f"{lines}:1", "ok")
    assert "not valid utf-8" in str(got[1][1])
    assert "line too long" in str(got[2][1])
    assert "'text' is too long: over 40 characters" in str(got[3][1])
    assert got[4] == (f"{lines}:5", "end")


def test_check_output_path(tmp_path):
    check_output_path(None)
    check_output_path("-")
    check_output_path(tmp_path / "new.json")
    check_output_path("/dev/null")
    with pytest.raises(OutputError, match="the folder .*missing.* does not exist"):
        check_output_path(tmp_path / "missing" / "x.html")
    with pytest.raises(OutputError, match="is a folder"):
        check_output_path(tmp_path)
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_path(tmp_path / "file" / "x.json")
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        with pytest.raises(OutputError, match="cannot write"):
            check_output_path(locked / "x.json")


def test_write_atomic_never_leaves_a_partial_file(tmp_path, monkeypatch):
    path = tmp_path / "out.json"
    inputs.write_atomic(path, "old")
    assert path.read_text() == "old"

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(inputs.atomic.Path, "write_bytes", boom)
    with pytest.raises(OutputError, match="out.json: cannot write"):
        inputs.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    monkeypatch.undo()
    inputs.write_atomic(path, "lone \ud800")
    assert path.read_text(encoding="utf-8") == "lone \ufffd"
    inputs.write_atomic("/dev/null", "into a device, not replacing it")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_or_broken_link_in_a_folder_is_named_not_skipped(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("first document")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    got = dict(iter_inputs([folder], glob="*.txt"))
    assert list(got) == [str(folder / "a.txt"), str(folder / "gone.txt"), str(folder / "pipe.txt")]
    assert got[str(folder / "a.txt")] == "first document"
    assert "cannot be read" in str(got[str(folder / "gone.txt")])
    assert "not a regular file" in str(got[str(folder / "pipe.txt")])


def test_a_csv_quote_left_open_is_reported_not_merged_with_the_rows_after_it(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('id,text\na,first row\nb,"a, quoted\nmultiline text"\nc,"unterminated quote\nd,last row\n')
    got = list(iter_inputs([table]))
    assert [i for i, _ in got[:2]] == ["a", "b"] and got[1][1] == "a, quoted\nmultiline text"
    assert len(got) == 3 and isinstance(got[2][1], InputError) and "unreadable CSV after row 2" in str(got[2][1])
