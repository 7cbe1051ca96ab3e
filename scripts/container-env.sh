# Sourced by the container scripts: podman settings that work on these machines, and helpers.
#
# - runc, not crun: crun refuses the hybrid (v1 + unified) cgroup setup of these machines.
# - default_ulimits = []: podman's default raises RLIMIT_NOFILE, which runc cannot do here.
# - BUILDAH_FORMAT=docker: OCI images drop HEALTHCHECK (podman only warns); podman-compose
#   builds read it too.
# A CONTAINERS_CONF of your own wins; the generated one lives in .build-container/.
# shellcheck shell=bash
[ "$(id -u)" = 0 ] || {
    echo "$(basename "$0"): needs root: rootful podman (no user namespaces here), debootstrap" >&2
    exit 1
}
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
state="${CONTAINER_STATE_DIR:-$root/.build-container}"
mkdir -p "$state"
if [ -z "${CONTAINERS_CONF:-}" ]; then
    printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >"$state/containers.conf"
    export CONTAINERS_CONF="$state/containers.conf"
fi
export BUILDAH_FORMAT=docker
IMAGE="${IMAGE:-localhost/policyd:latest}"
ETCD_IMAGE="${ETCD_IMAGE:-localhost/policyd-etcd:latest}"
SWIFT_VERSION="${SWIFT_VERSION:-6.3}"
DEBIAN_RELEASE="${DEBIAN_RELEASE:-bookworm}"

log() { echo "$(basename "$0"): $*" >&2; }
die() {
    log "$*"
    exit 1
}

# The URI that serves SUITE (with component main) in the machine's apt sources, deb822
# (.sources) or one-line (.list) format; empty when none does.
apt_uri_for_suite() {
    local suite="$1" f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v suite="$suite" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && (" " comps " ") ~ / main / && uris != "" && enabled != "no") {
                    split(uris, u, " "); print u[1]; found = 1; exit
                }
                types = suites = comps = uris = enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
            key == "types" { types = $0 } key == "suites" { suites = $0 }
            key == "components" { comps = $0 } key == "uris" { uris = $0 } key == "enabled" { enabled = tolower($0) }
            END { if (!found) flush() }' "$f" | head -n1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [options] URI SUITE COMPONENT...
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
            awk -v suite="$suite" '$1 == "deb" && $3 == suite { for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } }'
    done
}

# The first of the above, for SUITE.
apt_mirror() { apt_uri_for_suite "$1" | head -n1; }
