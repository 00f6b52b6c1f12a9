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

# "WALL CPU" in seconds for one command line (a bash array), ignoring its
# exit status: the median wall time, and the mean CPU time (user + system).
# On a shared machine CPU time is the steadier figure.
measure() {
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        local json="$OUT/hf.json"
        hyperfine -N -i --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["user"] + r["system"])' "$json"
    else
        local i t0 t1 times=()
        for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
        for ((i = 0; i < RUNS; i++)); do
            t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
            times+=("$(python3 -c "print($t1 - $t0)")")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print ((NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2), "nan"}'
    fi
}

peak_kb() { if [ -n "$GNU_TIME" ]; then { "$GNU_TIME" -f %M "$@" 2>&1 >/dev/null || true; } | tail -1; else echo -; fi; }

printf '%-46s %9s | %9s %11s %7s | %9s %11s %7s | %7s\n' file bytes msica_ms msiinfo_ms ratio msica_cpu msiinfo_cpu ratio peak_MB
wall=(); cpu=()
for f in "${files[@]}"; do
    name=$(basename "$f")
    size=$(stat -c %s "$f")
    m_msica=$(measure "$MSICA" lint "$f")
    m_ca=$(measure msiinfo export "$f" CustomAction)
    m_ies=$(measure msiinfo export "$f" InstallExecuteSequence)
    kb=$(peak_kb "$MSICA" lint "$f")
    line=$(python3 -c "
import sys
a, b, c = (list(map(float, x.split())) for x in sys.argv[1:4])
kb = sys.argv[4]
mb = '%.1f' % (int(kb) / 1024) if kb.isdigit() else '-'
wall = (b[0] + c[0]) / a[0]
cpu = (b[1] + c[1]) / a[1] if a[1] == a[1] and a[1] > 0 else float('nan')
print('%.2f %.2f %.1f %.2f %.2f %.1f %s' % (a[0] * 1e3, (b[0] + c[0]) * 1e3, wall, a[1] * 1e3, (b[1] + c[1]) * 1e3, cpu, mb))" "$m_msica" "$m_ca" "$m_ies" "$kb")
    read -r w1 w2 wr c1 c2 cr mb <<<"$line"
    printf '%-46s %9s | %9s %11s %6sx | %9s %11s %6sx | %7s\n' "${name:0:46}" "$size" "$w1" "$w2" "$wr" "$c1" "$c2" "$cr" "$mb"
    case "$f" in "$OUT"/synthetic*) ;; *) wall+=("$wr"); cpu+=("$cr") ;; esac
done
summary() { # LABEL VALUES...
    local label=$1; shift
    printf '%s\n' "$@" | sort -g | awk -v label="$label" '{a[NR]=$1} END {
        m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
        printf "%-10s files: %d   median msiinfo/msica: %.1fx   lowest: %.1fx   highest: %.1fx\n", label, NR, m, a[1], a[NR] }'
}
echo
summary "wall time" "${wall[@]}"
summary "CPU time" "${cpu[@]}"
