#!/usr/bin/env bash
# Scale figures, each measured side by side in one run:
#   1. many files: peak memory and files per second of `msica lint` over 200
#      and over 2,000 packages (hard links to the corpus files, about 40
#      distinct ones), and the ratio of the two peaks;
#   2. a large package: the synthetic 10,000-action package linted (JSON and
#      human output) against `msiinfo export` of its CustomAction and
#      InstallExecuteSequence tables;
#   3. start-up: a lint of a small sample against an empty process
#      (/bin/true) and `msica --version`;
#   4. the corpus: the median ratio of msiinfo's two exports to `msica lint`
#      over every corpus file (bench/compare.sh's summary; goal 10x).
#
#   bench/scale.sh        (RUNS, default 20; OUT, default bench/out)
#
# Needs msitools, hyperfine and GNU time (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-20}
OUT=${OUT:-$ROOT/bench/out}
CORPUS=${CORPUS:-$ROOT/../shared/corpus/msi}
mkdir -p "$OUT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    as_root apt-get install -y "$2" >/dev/null 2>&1 || { as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y "$2" >/dev/null 2>&1; } || true
    command -v "$1" >/dev/null 2>&1 || { echo "$1 ($2) is required" >&2; exit 2; }
}
need msiinfo msitools
need hyperfine hyperfine
[ -x /usr/bin/time ] || need time time

cargo build --release --quiet --bin msica --example synthetic
MSICA=$ROOT/target/release/msica

# hyperfine's median and mean CPU (user + system) in ms for each command.
hf() {
    hyperfine -N -i --style none --warmup 3 --runs "$RUNS" --export-json "$OUT/hf.json" "$@" >/dev/null 2>&1
    python3 - "$OUT/hf.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%s\t%.2f\t%.2f" % (r["command"], r["median"] * 1e3, (r["user"] + r["system"]) * 1e3))
PY
}

echo "== many files"
copies="$OUT/many/copies"
rm -rf "$OUT/many"; mkdir -p "$copies"
# The small and medium corpus packages, copied once: the runs link to them.
find "$CORPUS" -maxdepth 1 -type f -iname '*.msi' -size -3M | sort | head -40 | while read -r f; do cp "$f" "$copies/"; done
distinct=$(ls "$copies" | wc -l)
for n in 200 2000; do
    dir="$OUT/many/$n"; mkdir -p "$dir"
    i=0
    while [ "$i" -lt "$n" ]; do
        for f in "$copies"/*; do
            [ "$i" -lt "$n" ] || break
            ln "$f" "$dir/$(printf '%05d' "$i")-$(basename "$f")"
            i=$((i + 1))
        done
    done
done
printf '%-8s %10s %10s %12s\n' files seconds peak_MB files_per_s
declare -A peak
for n in 200 2000; do
    start=$(date +%s.%N)
    kb=$({ /usr/bin/time -f %M "$MSICA" lint --no-config --format json "$OUT/many/$n" >/dev/null 2>"$OUT/time.txt" || true; } ; tail -1 "$OUT/time.txt")
    end=$(date +%s.%N)
    peak[$n]=$kb
    python3 -c "import sys; n,s,e,kb=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]),int(sys.argv[4]); print('%-8d %10.2f %10.1f %12.0f' % (n, e-s, kb/1024, n/(e-s)))" "$n" "$start" "$end" "$kb"
done
python3 -c "import sys; print('peak 2000 / peak 200 = %.2f (target <= 1.5); %s distinct files' % (int(sys.argv[1]) / int(sys.argv[2]), sys.argv[3]))" "${peak[2000]}" "${peak[200]}" "$distinct"

echo
echo "== the 10,000-action package"
SYN="$OUT/synthetic.msi"
[ -f "$SYN" ] || "$ROOT/target/release/examples/synthetic" "$SYN" --no-stream
printf '%s\n' "command	median_ms	cpu_ms"
hf "$MSICA lint --no-config --format json $SYN" "$MSICA lint --no-config $SYN" \
   "msiinfo export $SYN CustomAction" "msiinfo export $SYN InstallExecuteSequence" | tee "$OUT/large.tsv"
python3 - "$OUT/large.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
json_ms, human_ms, ca, ies = (float(r[1]) for r in rows)
msiinfo = ca + ies
print("msiinfo (both exports) / msica: JSON %.2fx, human %.2fx (target >= 2x)" % (msiinfo / json_ms, msiinfo / human_ms))
PY

echo
echo "== start-up"
SMALL=$ROOT/samples/clean-minimal.msi
hf /bin/true "$MSICA --version" "$MSICA lint --no-config $SMALL" | tee "$OUT/startup.tsv"
python3 - "$OUT/startup.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
true_ms, version_ms, lint_ms = (float(r[1]) for r in rows)
print("lint of a small package / empty process: %.2fx (target <= 1.8x); --version: %.2fx" % (lint_ms / true_ms, version_ms / true_ms))
PY

echo
echo "== the corpus (bench/compare.sh, summary only)"
SYNTHETIC=0 RUNS=$(( RUNS < 5 ? RUNS : 5 )) WARMUP=1 OUT="$OUT" "$ROOT/bench/compare.sh" "$CORPUS" | tail -2
