# Shared helpers for rengarde's scripts; sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/rengarde.jar"

# JVM flags that keep an idle client or server small without costing throughput (figures in README, "Memory"): the
# serial collector and a heap that starts at 8 MB and grows as needed up to 64 MB, direct memory (Netty's buffers)
# capped at 64 MB, two JIT threads whatever the core count. RENGARDE_JAVA_OPTS go after them, so they win.
RENGARDE_JVM_DEFAULTS="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MaxDirectMemorySize=64m -XX:CICompilerCount=2"

# The defaults, plus handing freed native memory back to the OS every 10 s where the JVM can (JDK 17.0.9 and later;
# an older one would refuse to start with the flag).
jvm_defaults() {
  local trim="-XX:TrimNativeHeapInterval=10000"
  if java "$trim" -version >/dev/null 2>&1; then
    echo "$RENGARDE_JVM_DEFAULTS $trim"
  else
    echo "$RENGARDE_JVM_DEFAULTS"
  fi
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

note() {
  echo "==> $*" >&2
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

# Installs the Debian packages that are missing; idempotent, quiet when nothing is missing.
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || die "needs root to install: ${missing[*]} (or install them yourself)"
  note "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# Java 17 or newer and the Maven wrapper's needs (it downloads Maven itself).
ensure_java() {
  if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    ensure_packages openjdk-17-jdk-headless
  fi
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "Java 17 or newer is needed (found: ${v:-none})"
  command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 || ensure_packages curl
  command -v unzip >/dev/null 2>&1 || ensure_packages unzip
}

# Builds the jar when it is missing or older than the sources.
# Under `mvn verify` the system tests set RENGARDE_JAR_READY: the jar was just built, and a rebuild (with clean) in
# the middle of the run would take the test classes away from the tests still to come.
ensure_jar() {
  if [ -f "$JAR" ] && { [ "${RENGARDE_JAR_READY:-}" = true ] \
      || [ -z "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; }; then
    return 0
  fi
  ensure_java
  note "building $JAR"
  (cd "$ROOT" && ./mvnw -q -B -Dmaven.test.skip=true clean package) >&2 || die "the build failed"
}
