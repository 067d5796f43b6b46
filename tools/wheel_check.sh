#!/usr/bin/env bash
# pip's route for users, checked from scratch: build the wheel, install it into a clean venv
# (dependencies pinned by requirements.txt as constraints), see the first extract fail with the
# exact install command, run that model step (`samrank models install minilm`), extract.
#   tools/wheel_check.sh [PYTHON]     (make test runs it after the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
WORK=build/wheel-check
rm -rf "$WORK" && mkdir -p "$WORK"
"$PYTHON" -m pip wheel -q --disable-pip-version-check --no-deps -w "$WORK" .
"$PYTHON" -m venv "$WORK/venv"
PIP=("$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check)
"${PIP[@]}" -c requirements.txt "$WORK"/samrank-*.whl  # the README's pip route
TEXT="Attention maps of transformers rank keyphrases."
cd "$WORK"  # away from the source tree: the installed wheel is what runs
if message=$(echo "$TEXT" | venv/bin/samrank extract - 2>&1); then
  echo "wheel check: extract worked before any model was installed" >&2; exit 1
fi
echo "$message" | grep -q "samrank models install minilm" \
  || { echo "wheel check: no install command in the error: $message" >&2; exit 1; }
venv/bin/samrank models install minilm
# the same keyphrases as the development install gives for the README's example
venv/bin/samrank extract -q -f json ../../examples/sample.txt > from_wheel.json
(cd ../.. && .venv/bin/samrank extract -q -f json examples/sample.txt) > from_source.json
venv/bin/python - <<'PY'
import json
wheel, source = (json.load(open(name))[0]["keyphrases"] for name in ("from_wheel.json", "from_source.json"))
phrases = [k["phrase"] for k in wheel]
assert len(phrases) >= 5 and phrases == [k["phrase"] for k in source], (phrases, source)
print("wheel check: a clean venv with the wheel and `samrank models install minilm` extracts", phrases[:4])
PY
