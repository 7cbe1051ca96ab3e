#!/usr/bin/env bash
# `make container`: builds docker/Dockerfile with podman into $IMAGE (localhost/policyd:latest).
#   1. the base images, made here when missing and no registry answers (container-base-images.sh);
#   2. Package.resolved from the host (`swift package resolve`), which pins the image's packages;
#   3. git's url.*.insteadOf rules of this machine (the offline package mirror) go into a gitconfig
#      mounted at /etc/gitconfig for the build stage only, with the local directories they point
#      to (container-test.sh checks that the image holds none of them);
#   4. podman build --format docker (HEALTHCHECK survives), layers and the .build cache kept;
#      the build stage is also tagged localhost/policyd-build:latest (it keeps the cache alive);
#   5. $ETCD_IMAGE (localhost/policyd-etcd:latest) for docker/compose.cluster.yaml: Debian's
#      etcd-server on the same slim base (docker/etcd.Containerfile), no registry needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/container-env.sh
source "$root/scripts/container-env.sh"
started=$SECONDS

"$root/scripts/container-base-images.sh"
base_done=$SECONDS

(cd "$root" && swift package resolve >/dev/null)

mounts=()
gitconfig="$state/gitconfig"
: >"$gitconfig"
while read -r key prefix; do
    base="${key#url.}"
    base="${base%.insteadof}"
    git config -f "$gitconfig" --add "url.$base.insteadOf" "$prefix"
    if [ -d "$base" ] && [[ " ${mounts[*]} " != *" $base:$base:ro "* ]]; then
        mounts+=(-v "$base:$base:ro")
    fi
done < <(git config --get-regexp '^url\..*\.insteadof$' || true)
if [ -s "$gitconfig" ]; then
    mounts+=(-v "$gitconfig:/etc/gitconfig:ro")
    log "offline packages: $(git config -f "$gitconfig" --get-regexp '^url\.' | awk '{print $2}' | tr '\n' ' ')-> ${mounts[*]}"
fi

# The images these tags name now: replaced by this build, they are removed after it.
previous="$(podman image inspect --format '{{.Id}}' "$IMAGE" localhost/policyd-build:latest "$ETCD_IMAGE" 2>/dev/null || true)"

# Two passes: the build stage alone with the mounts, then the whole file without them. The
# second finds every build-stage step in the layer cache, and the runtime stage's RUN never sees
# the mounts (a mount leaves an empty file or directory behind as its mount point).
build=(podman build --format docker --pull=never --layers
    --build-arg "SWIFT_VERSION=$SWIFT_VERSION" --build-arg "DEBIAN_RELEASE=$DEBIAN_RELEASE" -f "$root/docker/Dockerfile")
log "podman build --target build -t localhost/policyd-build:latest (with the package mirror)"
"${build[@]}" "${mounts[@]}" --target build -t localhost/policyd-build:latest "$root"
log "podman build -t $IMAGE"
"${build[@]}" -t "$IMAGE" "$root"

log "podman build -t $ETCD_IMAGE (docker/etcd.Containerfile)"
podman build --format docker --pull=never --layers --build-arg "DEBIAN_RELEASE=$DEBIAN_RELEASE" \
    -t "$ETCD_IMAGE" -f "$root/docker/etcd.Containerfile" "$root/docker"

current="$(podman image inspect --format '{{.Id}}' "$IMAGE" localhost/policyd-build:latest "$ETCD_IMAGE")"
for id in $previous; do
    grep -qx "$id" <<<"$current" || podman rmi "$id" >/dev/null 2>&1 || true
done

size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
log "built $IMAGE: $((size / 1000000)) MB; base images $((base_done - started)) s, in all $((SECONDS - started)) s"
