#!/usr/bin/env bash
# Installs whatever Debian 12 packages are missing, then configures and builds one tree.
#   scripts/setup.sh BUILD_DIR [cmake -D options...]
# Re-running it is fast: apt is skipped when nothing is missing, ninja rebuilds only what
# changed, and ccache serves unchanged translation units.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: scripts/setup.sh BUILD_DIR [cmake options...]}
shift

packages=(
  cmake ninja-build g++ pkg-config ccache python3   # build
  curl openssl                                       # s3 test server set-up, TLS test certificate
  nlohmann-json3-dev libxxhash-dev libcli11-dev     # engine and command line
  libgtest-dev libgmock-dev googletest libcmocka-dev # tests
  libsqlite3-dev                                     # differential query tests, examples/driver
  flatbuffers-compiler libflatbuffers-dev            # schema compiler (schemas/)
  clang libclang-rt-14-dev                           # libFuzzer for schemas.fuzz_decode
  clang-format clang-tidy                            # scripts/lint.sh
  libcurl4-openssl-dev libssl-dev                    # s3 driver; crypt: layer (AES-GCM)
  libzstd-dev                                        # compress: layer
  ceph-mon ceph-osd radosgw                          # s3 test server (scripts/s3-test-server.sh)
  swig golang-go ruby-dev openjdk-17-jdk-headless    # bindings (bindings/)
  junit4 libhamcrest-java                            # the Java binding's tests
  python3-dev python3-setuptools python3-wheel python3-pip python3-venv python3-pytest # Python
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The Node binding (bindings/node) needs node and npm: the machine's (Node 20 from NodeSource,
# which carries npm), else Debian's. Asking apt for npm beside NodeSource's node would conflict.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja "$@"
else
  cmake "$build" "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
