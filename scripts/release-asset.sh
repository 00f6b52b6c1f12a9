#!/usr/bin/env bash
# Which release binary of msica the GitHub Action (action.yml) downloads.
#
# Reads, as the Action's step sets them:
#   RUNNER_OS, RUNNER_ARCH  the runner (Linux, macOS or Windows; X64 or ARM64)
#   GITHUB_ACTION_PATH      the Action's folder, .../OWNER/REPO/REF
#   VERSION                 the version of the Action's Cargo.toml
#   ACTION_REF, ACTION_REPOSITORY
#                           github.action_ref and github.action_repository,
#                           which can be empty in a composite action: the
#                           Action's folder names them then
#
# and prints, for $GITHUB_OUTPUT:
#   tag=v0.2.0
#   target=x86_64-pc-windows-msvc
#   repository=OWNER/REPO
# The release TAG of REPOSITORY holds msica-TARGET.tar.gz and its checksum
# msica-TARGET.sha256 (see .github/workflows/release.yml).
#
# Exits 1, saying why on stderr, when no release binary fits: a ref that is
# not the release tag vVERSION (a branch, a commit, a major-version tag, a
# local `uses: ./`) or a runner no binary is built for. The Action then
# builds msica from its own checkout with `cargo install`.
set -euo pipefail

: "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${GITHUB_ACTION_PATH:?}" "${VERSION:?}"

case "$RUNNER_OS/$RUNNER_ARCH" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    Windows/ARM64) target=aarch64-pc-windows-msvc ;;
    *)
        echo "no release binary is built for a $RUNNER_OS $RUNNER_ARCH runner" >&2
        exit 1
        ;;
esac

# The last names of the Action's folder, either separator (a Windows runner
# gives D:\a\_actions\OWNER\REPO\REF).
folder=${GITHUB_ACTION_PATH%[/\\]}
ref=${ACTION_REF:-${folder##*[/\\]}}
if [ "$ref" != "v$VERSION" ]; then
    echo "the Action's ref '$ref' is not the release tag v$VERSION" >&2
    exit 1
fi
repository=${ACTION_REPOSITORY:-}
if [ -z "$repository" ]; then
    above=${folder%[/\\]*}
    owner=${above%[/\\]*}
    repository=${owner##*[/\\]}/${above##*[/\\]}
fi

echo "tag=v$VERSION"
echo "target=$target"
echo "repository=$repository"
