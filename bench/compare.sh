#!/usr/bin/env bash
# Whole-process comparison of `msica lint FILE` with `msiinfo export FILE
# CustomAction` + `msiinfo export FILE InstallExecuteSequence`, measured side
# by side in the same run, per file, plus peak memory of msica.
#
#   bench/compare.sh [FILE_OR_DIR...]      (default: samples/ and ../shared/corpus/msi)
#
# Environment: RUNS (timed runs per command, default 20), WARMUP (default 3),
# SYNTHETIC=0 to skip the synthetic packages, OUT (work directory, default
# bench/out). Needs msitools (installed with apt-get when msiinfo is missing),
# and uses hyperfine and GNU time when present (installed with apt-get when
# possible; otherwise a bash loop and no memory figure).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
OUT=${OUT:-$ROOT/bench/out}
mkdir -p "$OUT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 ..." >&2
    as_root apt-get install -y "$2" >/dev/null 2>&1 || { as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y "$2" >/dev/null 2>&1; } || true
    command -v "$1" >/dev/null 2>&1
}
need msiinfo msitools || { echo "msiinfo (msitools) is required" >&2; exit 2; }
HAVE_HYPERFINE=1; need hyperfine hyperfine || HAVE_HYPERFINE=0
GNU_TIME=/usr/bin/time; [ -x "$GNU_TIME" ] || need time time || GNU_TIME=

cargo build --release --quiet --bin msica --example synthetic
MSICA=$ROOT/target/release/msica

files=()
if [ $# -eq 0 ]; then set -- samples ../shared/corpus/msi; fi
for arg in "$@"; do
    if [ -d "$arg" ]; then
        while IFS= read -r f; do files+=("$f"); done < <(find "$arg" -maxdepth 1 -type f \( -iname '*.msi' -o -iname '*.msm' \) | sort)
    elif [ -f "$arg" ]; then files+=("$arg"); fi
done

if [ "${SYNTHETIC:-1}" != 0 ]; then
    SYN="$OUT/synthetic.msi"; SYN_BIG="$OUT/synthetic-500mb.msi"
    [ -f "$SYN" ] || "$ROOT/target/release/examples/synthetic" "$SYN" --no-stream
    [ -f "$SYN_BIG" ] || "$ROOT/target/release/examples/synthetic" "$SYN_BIG"
    files+=("$SYN" "$SYN_BIG")
fi

# median seconds of one command line (a bash array), ignoring its exit status
measure() {
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        local json="$OUT/hf.json"
        hyperfine -N -i --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
        python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
    else
        local i t0 t1 times=()
        for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
        for ((i = 0; i < RUNS; i++)); do
            t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
            times+=("$(python3 -c "print($t1 - $t0)")")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
    fi
}

peak_kb() { if [ -n "$GNU_TIME" ]; then "$GNU_TIME" -f %M "$@" 2>&1 >/dev/null | tail -1; else echo -; fi; }

printf '%-58s %10s %12s %12s %8s %9s\n' file size msica_ms msiinfo_ms ratio peak_MB
ratios=()
for f in "${files[@]}"; do
    name=$(basename "$f")
    size=$(stat -c %s "$f")
    t_msica=$(measure "$MSICA" lint "$f")
    t_ca=$(measure msiinfo export "$f" CustomAction)
    t_ies=$(measure msiinfo export "$f" InstallExecuteSequence)
    kb=$(peak_kb "$MSICA" lint "$f")
    read -r ms_msica ms_msiinfo ratio mb < <(python3 -c "
import sys
a, b, c, kb = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
mb = '%.1f' % (int(kb) / 1024) if kb.isdigit() else '-'
print('%.2f %.2f %.1f %s' % (a * 1e3, (b + c) * 1e3, (b + c) / a, mb))" "$t_msica" "$t_ca" "$t_ies" "$kb")
    printf '%-58s %10s %12s %12s %8s %9s\n' "${name:0:58}" "$size" "$ms_msica" "$ms_msiinfo" "${ratio}x" "$mb"
    case "$f" in "$OUT"/synthetic*) ;; *) ratios+=("$ratio") ;; esac
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "\ncorpus files: %d   median ratio msiinfo/msica: %.1fx   lowest: %.1fx   highest: %.1fx\n", NR, m, a[1], a[NR] }'
