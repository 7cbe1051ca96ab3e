#!/usr/bin/env bash
# Makes sure the two base images docker/Dockerfile names exist in podman's store:
#   debian:${DEBIAN_RELEASE}-slim and swift:${SWIFT_VERSION}-${DEBIAN_RELEASE}.
# Each is used as it is when present, else pulled; when no registry answers, it is made here:
#   - debian:*-slim: `debootstrap --variant=minbase` from the Debian mirror of the machine's
#     apt sources, trimmed the way the official slim image is (no docs, man pages, locales),
#     upgraded from the release's updates and security suites (docker/local/debian-slim.Containerfile);
#   - swift:*: docker/local/swift.Containerfile on that root, with the machine's own Swift
#     toolchain (the one `swift` on PATH runs) mounted for the build and copied in.
# Nothing names a mirror: the addresses come from /etc/apt/sources* at build time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/container-env.sh
source "$root/scripts/container-env.sh"

slim="docker.io/library/debian:${DEBIAN_RELEASE}-slim"
swift_image="docker.io/library/swift:${SWIFT_VERSION}-${DEBIAN_RELEASE}"

present_or_pulled() {
    podman image exists "$1" && return 0
    log "pulling $1"
    podman pull -q "$1" >/dev/null 2>"$state/pull.err" && return 0
    log "cannot pull $1 ($(tail -n1 "$state/pull.err")); making it here"
    return 1
}

make_debian_slim() {
    local mirror rootfs="$state/rootfs-$DEBIAN_RELEASE" suite uri
    mirror="$(apt_mirror "$DEBIAN_RELEASE")"
    [ -n "$mirror" ] || die "no apt source of this machine serves '$DEBIAN_RELEASE main': cannot debootstrap"
    command -v debootstrap >/dev/null || die "debootstrap is missing (make container-deps)"
    rm -rf "$rootfs"
    log "debootstrap --variant=minbase $DEBIAN_RELEASE from $mirror"
    debootstrap --variant=minbase --components=main "$DEBIAN_RELEASE" "$rootfs" "$mirror" >"$state/debootstrap.log" 2>&1 ||
        die "debootstrap failed; see $state/debootstrap.log"
    # The machine's mirrors for the release, its updates and its security suite.
    : >"$rootfs/etc/apt/sources.list"
    for suite in "$DEBIAN_RELEASE" "$DEBIAN_RELEASE-updates" "$DEBIAN_RELEASE-security"; do
        uri="$(apt_mirror "$suite")"
        [ -z "$uri" ] || echo "deb $uri $suite main" >>"$rootfs/etc/apt/sources.list"
    done
    # A snapshot mirror serves Release files past their Valid-Until: keep the machine's view of that.
    apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' >"$rootfs/etc/apt/apt.conf.d/99validity" || true
    # As the official slim image: packages install no documentation, man pages or translations.
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    # ... and apt keeps no package files or binary caches in the layers built on it.
    cat >"$rootfs/etc/apt/apt.conf.d/99slim" <<'EOF'
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
    find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    rm -rf "$rootfs/usr/share/man/"* "$rootfs/usr/share/info/"* "$rootfs/usr/share/groff/"* \
        "$rootfs/usr/share/lintian/"* "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/"*.bin \
        "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/log/"*.log "$rootfs/var/log/apt/"*
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
    tar -C "$rootfs" --numeric-owner --xattrs --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . |
        podman import --change 'CMD ["bash"]' - "localhost/policyd-debootstrap:$DEBIAN_RELEASE" >/dev/null
    rm -rf "$rootfs"
    podman build -q --format docker --pull=never --squash-all --build-arg "ROOT_IMAGE=localhost/policyd-debootstrap:$DEBIAN_RELEASE" \
        -t "$slim" -f "$root/docker/local/debian-slim.Containerfile" "$root/docker/local" >/dev/null
    podman rmi "localhost/policyd-debootstrap:$DEBIAN_RELEASE" >/dev/null # --squash-all: nothing refers to it
    log "made $slim"
}

make_swift() {
    local swift_bin toolchain version
    swift_bin="$(command -v swift)" || die "no swift on PATH to put in $swift_image"
    toolchain="$(dirname "$(dirname "$(dirname "$(readlink -f "$swift_bin")")")")"
    version="$(swift --version 2>/dev/null | grep -oE 'Swift version [0-9]+\.[0-9]+' | grep -oE '[0-9.]+$')"
    [ "$version" = "$SWIFT_VERSION" ] ||
        die "the machine's Swift is $version, the image wants $SWIFT_VERSION: set SWIFT_VERSION=$version or install $SWIFT_VERSION"
    log "building $swift_image from $slim and the toolchain in $toolchain"
    podman build -q --format docker --pull=never --build-arg "DEBIAN_RELEASE=$DEBIAN_RELEASE" \
        -v "$toolchain:/toolchain:ro" -t "$swift_image" -f "$root/docker/local/swift.Containerfile" \
        "$root/docker/local" >/dev/null
    log "made $swift_image"
}

present_or_pulled "$slim" || make_debian_slim
present_or_pulled "$swift_image" || make_swift
