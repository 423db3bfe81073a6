# Shared helpers for rengarde's scripts; sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/rengarde.jar"

# JVM flags that keep an idle client or server small without costing throughput (figures in README, "Memory"): the
# serial collector and a heap that starts at 8 MB and grows as needed up to 64 MB, direct memory (Netty's buffers)
# capped at 64 MB, two JIT threads whatever the core count. RENGARDE_JAVA_OPTS go after them, so they win.
RENGARDE_JVM_DEFAULTS="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MaxDirectMemorySize=64m -XX:CICompilerCount=2"

# The defaults, plus handing freed native memory back to the OS every 10 s where the JVM can (JDK 17.0.9 and later;
# an older one would refuse to start with the flag). Asks the java given, else the one on PATH.
jvm_defaults() {
  local java="${1:-java}" trim="-XX:TrimNativeHeapInterval=10000"
  if "$java" "$trim" -version >/dev/null 2>&1; then
    echo "$RENGARDE_JVM_DEFAULTS $trim"
  else
    echo "$RENGARDE_JVM_DEFAULTS"
  fi
}

# The flags this checkout's scripts start Java with: the defaults, then RENGARDE_JAVA_OPTS (which win).
jvm_flags() {
  echo "$(jvm_defaults) ${RENGARDE_JAVA_OPTS:-}"
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

# The line that tells rengarde's installed files from engarde's or a user's: a command or unit under one of engarde's
# names is replaced or removed only when it carries it.
RENGARDE_MARK="# Installed by rengarde"

is_ours() {
  grep -q "^$RENGARDE_MARK" "$1" 2>/dev/null
}

# write_wrapper FILE JAVA JAR ROLE: the installed command for ROLE (client or server). The flags are the ones JAVA
# takes, asked once here: jvm_defaults JAVA_FOR_FLAGS when the JAVA that will run is not yet where it will be.
write_wrapper() {
  local file="$1" java="$2" jar="$3" role="$4" flags_java="${5:-$2}"
  cat >"$file" <<WRAPPER
#!/bin/sh
$RENGARDE_MARK (scripts/install or rengarde's package). The JVM flags keep it small (see README, "Memory");
# RENGARDE_JAVA_OPTS come after them and win, e.g. RENGARDE_JAVA_OPTS=-Xmx128m.
exec $java $(jvm_defaults "$flags_java") \${RENGARDE_JAVA_OPTS:-} -jar "$jar" $role "\$@"
WRAPPER
  chmod 755 "$file"
}

# engarde_unit ROLE BIN: rengarde's unit for ROLE under engarde's name, on stdout. It starts engarde's command
# BIN/engarde-ROLE with engarde's file /etc/engarde/%i.yml, as engarde's own engarde-ROLE@.service did, and as root
# like those: the files in /etc/engarde were written for root. The capability bound is rengarde's (CAP_NET_RAW only).
engarde_unit() {
  local role="$1" bin="$2"
  echo "$RENGARDE_MARK in place of engarde's unit of this name; its uninstall removes it."
  sed -e "s|^ExecStart=.*|ExecStart=$bin/engarde-$role /etc/engarde/%i.yml|" \
      -e 's|/etc/rengarde/|/etc/engarde/|g' \
      -e "s|rengarde-$role@engarde|engarde-$role@engarde|" \
      -e 's|^User=rengarde|User=root|; s|^Group=rengarde|Group=root|' \
      "$ROOT/conf/systemd/rengarde-$role@.service"
}
