#!/usr/bin/env bash
# Rebuild the sample packages in this folder from the sources in src/.
#
#   samples/build.sh            rebuild every sample
#   samples/build.sh NAME...    rebuild only these (e.g. clean-app MCA101-deferred-outside-script)
#
# Needs cargo (the code the samples carry is built by examples/sample_code.rs)
# and wixl and msibuild from msitools (Debian/Ubuntu package "wixl" and
# "msitools"). Each sample is built in two steps:
#   1. wixl compiles src/NAME.wxs into the package skeleton (files,
#      components, features, Binary streams, properties, standard sequences);
#   2. msibuild runs the statements of src/NAME.sql against it, which add the
#      custom actions and their sequence rows (and any other rows wixl cannot
#      author). Statements end with ';' at the end of a line; lines starting
#      with '--' are comments.
# ProductCode and UpgradeCode are fixed in the sources; the package code and
# timestamps in the summary information change with every build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"

for tool in wixl msibuild; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' not found; install msitools (wixl, msibuild)" >&2
        exit 1
    fi
done

tmpdir="$(mktemp -d)"
trap 'rm -rf "$tmpdir"' EXIT

# The code the packages' Binary rows and files carry: real PE images built by
# msica's test support (examples/sample_code.rs), and a VBScript. The sources
# refer to them as $(var.CodeDir)/NAME.
code="$tmpdir/code"
(cd "$here/.." && cargo run --quiet --example sample_code -- "$code")
# wixl resolves sources relative to the cwd and refuses absolute paths.
code_rel="$(realpath --relative-to="$src" "$code")"

# Samples that are built as 64-bit packages (Template summary property "x64").
declare -A arch=(
    [MCA208-x64-script-flag]=x64
)

# Run the statements of one .sql file against one package, one by one.
apply_sql() {
    local msi="$1" sql="$2" line stmt="" n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
        # Drop comment lines and blank lines.
        [[ "$line" =~ ^[[:space:]]*(--|$) ]] && continue
        # Trim leading whitespace of continuation lines.
        line="${line#"${line%%[![:space:]]*}"}"
        stmt="${stmt:+$stmt }$line"
        if [[ "$stmt" == *";" ]]; then
            n=$((n + 1))
            if ! msibuild "$msi" -q "${stmt%;}" >/dev/null; then
                echo "build.sh: $(basename "$sql"): statement $n failed:" >&2
                echo "  ${stmt%;}" >&2
                return 1
            fi
            stmt=""
        fi
    done < "$sql"
    if [[ -n "$stmt" ]]; then
        echo "build.sh: $(basename "$sql"): last statement has no ';'" >&2
        return 1
    fi
}

build_one() {
    local name="$1" tmp="$tmpdir/$1.msi"
    if [[ ! -f "$src/$name.wxs" ]]; then
        echo "build.sh: no such sample: $name (src/$name.wxs missing)" >&2
        return 1
    fi
    rm -f "$tmp"
    # wixl resolves File/Binary sources and includes relative to the cwd.
    (cd "$src" && wixl -a "${arch[$name]:-x86}" -D CodeDir="$code_rel" -o "$tmp" "$name.wxs")
    if [[ -f "$src/$name.sql" ]]; then
        apply_sql "$tmp" "$src/$name.sql"
    fi
    mv "$tmp" "$here/$name.msi"
    printf '%-45s %6d bytes\n' "$name.msi" "$(wc -c < "$here/$name.msi")"
}

if [[ $# -gt 0 ]]; then
    names=("$@")
else
    names=()
    for wxs in "$src"/*.wxs; do
        names+=("$(basename "$wxs" .wxs)")
    done
fi

for name in "${names[@]}"; do
    name="${name%.msi}"
    build_one "$name"
done

# The site transform for clean-app.msi, written by msica's transform writer
# (no packaging tool here can write a transform).
if [[ $# -eq 0 || " $* " == *" site "* ]]; then
    (cd "$here/.." && cargo run --quiet --example sample_transform -- samples/site.mst)
fi
