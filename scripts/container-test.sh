#!/usr/bin/env bash
# `make test-container`: runs the image `make container` built ($IMAGE) for real with podman.
#   - the image: a docker-format HEALTHCHECK, no compiler, toolchain, package mirror or git
#     config inside, its size printed;
#   - a container with a tokens file and a named volume, published on a free loopback port:
#     the server runs as uid 10001, /readyz answers 200, the HEALTHCHECK passes, a PUT policy
#     survives a new container on the same volume, `podman stop` (SIGTERM) ends with exit 0;
#   - HTTPS on a port given as arguments: the HEALTHCHECK follows the real scheme and port;
#   - a root-owned 0600 tokens file and a root-owned /data stop startup with uid 10001 named;
#   - docker/compose.yaml with podman-compose, on a free port;
#   - docker/compose.cluster.yaml (one etcd, three replicas) on free ports: a PUT on one replica
#     runs on the other two with the same ETag and revision; the replicas stop with exit code 0.
# Prints each check and "container: N passed, N failed"; exits non-zero when any failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/container-env.sh
source "$root/scripts/container-env.sh"
command -v podman >/dev/null || die "podman is missing: make container-deps"
podman image exists "$IMAGE" || die "no $IMAGE: make container first"
podman image exists "$ETCD_IMAGE" || die "no $ETCD_IMAGE: make container first"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/policyd-container.XXXXXX")"

# Without systemd, podman logs errors about the HEALTHCHECK's timers on every run and stop:
# only periodic checks need them (`podman healthcheck run` works), so they are dropped here.
podman() {
    command podman "$@" 2>"$tmp/podman.err"
    local status=$?
    grep -v 'unable to get systemd connection' "$tmp/podman.err" >&2
    return "$status"
}

run_id="policyd-test-$$"
containers=()
passed=0
failed=0

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
    local c
    for c in "${containers[@]}"; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1; done
    if [ -f "$tmp/compose-up" ]; then
        (cd "$root/docker" && POLICYD_HOST_PORT="$(cat "$tmp/compose-up")" podman-compose -p "$run_id" down -t 30 -v) >/dev/null 2>&1
        podman network rm -f "${run_id}_default" >/dev/null 2>&1 # podman-compose 1.0.3's down leaves it
    fi
    if [ -f "$tmp/cluster-up" ]; then
        (cd "$root/docker" && cluster_env && podman-compose -p "$run_id-cluster" -f compose.cluster.yaml down -t 30 -v) >/dev/null 2>&1
        podman network rm -f "${run_id}-cluster_default" >/dev/null 2>&1
    fi
    podman volume rm -f "$run_id" "$run_id-tls" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

check() { # check NAME COMMAND...: runs COMMAND, counts and reports
    local name="$1"
    shift
    if "$@" >"$tmp/check.out" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name"
        grep '^     ' "$tmp/check.out"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/     /' "$tmp/check.out" | tail -n 30
    fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until URL answers 200 (curl ARGS may add -k), at most 60 s.
wait_ready() {
    local url="$1" i
    shift
    for i in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url/readyz")" = 200 ] && return 0
        sleep 0.1
    done
    echo "$url/readyz never answered 200" >&2
    return 1
}

start() { # start NAME PODMAN-RUN-ARGS... -- IMAGE-ARGS...: a detached container, recorded for cleanup
    local name="$1"
    shift
    containers+=("$name")
    # The image's 45 s shutdown delay (for a load balancer's checks) would outlast the stops'
    # 30 s grace here; nothing routes to these containers, so they stop after 1 s.
    podman run -d --name "$name" -e POLICYD_SHUTDOWN_DELAY=1 "$@" >/dev/null
}

# --- the image
image_has_healthcheck() {
    podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | tee /dev/stderr | grep -q readyz
}
image_has_no_build_tools() {
    # The mirror's directories are those git's insteadOf rules name on this machine.
    local mirrors
    mirrors="$(git config --get-regexp '^url\..*\.insteadof$' | awk '{print $1}' | sed -e 's/^url\.//' -e 's/\.insteadof$//' | sort -u | tr '\n' ' ')"
    podman run --rm --entrypoint /bin/sh "$IMAGE" -c '
        found=0
        for tool in swift swiftc swift-build clang gcc cc c++ ld git; do
            if command -v "$tool"; then found=1; fi
        done
        for path in /usr/lib/swift /usr/bin/swift-frontend /toolchain /etc/gitconfig /root/.gitconfig '"$mirrors"'; do
            if [ -e "$path" ]; then echo "present: $path"; found=1; fi
        done
        exit "$found"'
}
check "the image keeps its HEALTHCHECK (docker format)" image_has_healthcheck
check "the image holds no compiler, Swift toolchain, package mirror or git config" image_has_no_build_tools
size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
echo "     image size: $((size / 1000000)) MB ($IMAGE)"

# --- a container with tokens and a named volume
token="container-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
printf 'admin %s\n' "$token" >"$tmp/tokens"
chown 10001:10001 "$tmp/tokens"
chmod 0400 "$tmp/tokens"
port="$(free_port)"
base="http://127.0.0.1:$port"
auth=(-H "Authorization: Bearer $token")
run_main() { # run_main NAME: the server on the shared volume
    start "$1" -p "127.0.0.1:$port:8080" -v "$run_id:/data" -v "$tmp/tokens:/etc/policyd/tokens:ro" \
        -e POLICYD_TOKENS_FILE=/etc/policyd/tokens "$IMAGE"
}
run_main "$run_id-a"

runs_as_10001() {
    local pid
    pid="$(podman inspect --format '{{.State.Pid}}' "$run_id-a")"
    echo "server pid $pid: uid $(stat -c %u "/proc/$pid") gid $(stat -c %g "/proc/$pid")"
    [ "$(stat -c %u:%g "/proc/$pid")" = 10001:10001 ]
}
check "/readyz answers 200 on the published port" wait_ready "$base"
check "the server runs as uid 10001 gid 10001" runs_as_10001
check "podman healthcheck run passes" podman healthcheck run "$run_id-a"

put_policy() {
    local code
    code="$(curl -s -o "$tmp/put.json" -w '%{http_code}' -X PUT "${auth[@]}" -H 'Content-Type: application/json' \
        --data-binary "@$root/Tests/spec/policy-example.json" "$base/v1/networks/7/policy")"
    cat "$tmp/put.json"
    [ "$code" = 201 ]
}
check "PUT /v1/networks/7/policy with the mounted token: 201" put_policy
curl -s "${auth[@]}" "$base/v1/networks/7/policy" >"$tmp/policy-before.json"

stop_with_sigterm() { # stop_with_sigterm NAME: podman stop within a 30 s grace, exit code 0
    local name="$1" began code
    began="$(date +%s%N)"
    podman stop -t 30 "$name" >/dev/null || return 1
    code="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
    echo "     podman stop $name: $((($(date +%s%N) - began) / 1000000)) ms, exit code $code"
    podman logs "$name" 2>&1 | tail -n 2
    [ "$code" = 0 ] && podman logs "$name" 2>&1 | tail -n 1 | grep -q 'still_running=0'
}
check "podman stop (SIGTERM) ends with exit code 0 within the grace period" stop_with_sigterm "$run_id-a"

podman rm "$run_id-a" >/dev/null
run_main "$run_id-b"
survives() {
    wait_ready "$base" || return 1
    curl -s "${auth[@]}" "$base/v1/networks/7/policy" >"$tmp/policy-after.json"
    cmp "$tmp/policy-before.json" "$tmp/policy-after.json" &&
        curl -s "${auth[@]}" "$base/v1/networks/7/runner" | tee /dev/stderr | grep -q '"state":"running"'
}
check "the policy survives a new container on the same volume" survives
podman rm -f -t 30 "$run_id-b" >/dev/null

# --- HTTPS, port and host from arguments: the HEALTHCHECK follows them
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
chown 10001:10001 "$tmp/key.pem" "$tmp/cert.pem"
chmod 0400 "$tmp/key.pem"
tls_port="$(free_port)"
start "$run_id-tls" -p "127.0.0.1:$tls_port:9443" -v "$run_id-tls:/data" -v "$tmp/key.pem:/etc/policyd/key.pem:ro" \
    -v "$tmp/cert.pem:/etc/policyd/cert.pem:ro" -e POLICYD_ALLOW_UNAUTHENTICATED=true \
    "$IMAGE" serve --port 9443 --host :: --tls-cert /etc/policyd/cert.pem --tls-key /etc/policyd/key.pem
check "with TLS on --port 9443 --host ::, /readyz answers over HTTPS" wait_ready "https://127.0.0.1:$tls_port" -k
check "with TLS on --port 9443 --host ::, podman healthcheck run passes" podman healthcheck run "$run_id-tls"
check "with TLS, the endpoint file names https://[::1]:9443" \
    sh -c "podman exec $run_id-tls cat /tmp/policyd.endpoint | tee /dev/stderr | grep -qx 'https://\[::1\]:9443'"
check "with TLS, podman stop ends with exit code 0" stop_with_sigterm "$run_id-tls"

# --- what uid 10001 cannot read or write is named at startup
refused_with_uid() { # refused_with_uid NAME WANT PODMAN-RUN-ARGS...: exits non-zero, log names WANT and uid 10001
    local name="$1" want="$2" code
    shift 2
    containers+=("$name")
    podman run --name "$name" "$@" >"$tmp/$name.log" 2>&1
    code=$?
    cat "$tmp/$name.log"
    [ "$code" != 0 ] && grep -q "$want" "$tmp/$name.log" && grep -q 'uid 10001 gid 10001' "$tmp/$name.log"
}
cp "$tmp/tokens" "$tmp/root-tokens"
chown 0:0 "$tmp/root-tokens"
chmod 0600 "$tmp/root-tokens"
check "a root-owned 0600 tokens file stops startup, naming uid 10001" refused_with_uid "$run_id-badtokens" \
    'cannot read --tokens-file' -v "$tmp/root-tokens:/etc/policyd/tokens:ro" \
    -e POLICYD_TOKENS_FILE=/etc/policyd/tokens "$IMAGE"
mkdir "$tmp/root-data"
chmod 0755 "$tmp/root-data"
check "a root-owned bind mount on /data stops startup, naming uid 10001" refused_with_uid "$run_id-baddata" \
    'cannot open data directory' -v "$tmp/root-data:/data" -e POLICYD_ALLOW_UNAUTHENTICATED=true "$IMAGE"

# --- docker/compose.yaml with podman-compose (Debian's 1.0.3), the image already built
compose_up() {
    local compose_port
    compose_port="$(free_port)"
    echo "$compose_port" >"$tmp/compose-up"
    (cd "$root/docker" && POLICYD_SHUTDOWN_DELAY=1 POLICYD_HOST_PORT="$compose_port" podman-compose -p "$run_id" up -d --no-build) || return 1
    wait_ready "http://127.0.0.1:$compose_port" &&
        podman healthcheck run "${run_id}_policyd_1" &&
        (cd "$root/docker" && POLICYD_HOST_PORT="$compose_port" podman-compose -p "$run_id" stop -t 30) &&
        [ "$(podman inspect --format '{{.State.ExitCode}}' "${run_id}_policyd_1")" = 0 ]
}
if command -v podman-compose >/dev/null; then
    check "docker/compose.yaml: podman-compose up, /readyz 200, healthy, stop with exit code 0" compose_up
else
    echo "skip docker/compose.yaml: no podman-compose"
fi

# --- docker/compose.cluster.yaml: one etcd, three replicas, the images already built
cluster_env() { # the replicas' host ports (free ones, chosen once) and a 1 s shutdown delay
    [ -f "$tmp/cluster-ports" ] || { free_port && free_port && free_port; } >"$tmp/cluster-ports"
    local ports
    mapfile -t ports <"$tmp/cluster-ports"
    export POLICYD_HOST_PORT_1="${ports[0]}" POLICYD_HOST_PORT_2="${ports[1]}" POLICYD_HOST_PORT_3="${ports[2]}"
    export POLICYD_SHUTDOWN_DELAY=1
}
cluster() { # cluster PODMAN-COMPOSE-ARGS...: on the cluster's project
    (cd "$root/docker" && cluster_env && podman-compose -p "$run_id-cluster" -f compose.cluster.yaml "$@")
}
cluster_shares_a_policy() {
    local p etag revision runner i
    cluster_env
    touch "$tmp/cluster-up"
    cluster up -d --no-build >"$tmp/cluster-up.log" 2>&1 || { tail -n 20 "$tmp/cluster-up.log"; return 1; }
    for p in "$POLICYD_HOST_PORT_1" "$POLICYD_HOST_PORT_2" "$POLICYD_HOST_PORT_3"; do
        wait_ready "http://127.0.0.1:$p" || return 1
    done
    curl -s -D "$tmp/cluster-put.headers" -o "$tmp/cluster-put.json" -X PUT -H 'Content-Type: application/json' \
        --data-binary "@$root/Tests/spec/policy-example.json" "http://127.0.0.1:$POLICYD_HOST_PORT_1/v1/networks/7/policy"
    grep -q '^HTTP/1.1 201' "$tmp/cluster-put.headers" || { cat "$tmp/cluster-put.headers" "$tmp/cluster-put.json"; return 1; }
    etag="$(tr -d '\r' <"$tmp/cluster-put.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')"
    revision="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["revision"])' "$tmp/cluster-put.json")"
    echo "     PUT on replica 1: 201, ETag $etag, revision $revision"
    for p in "$POLICYD_HOST_PORT_2" "$POLICYD_HOST_PORT_3"; do
        for i in $(seq 1 100); do
            runner="$(curl -s "http://127.0.0.1:$p/v1/networks/7/runner")"
            python3 -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(r.get("etag") != sys.argv[2] or r.get("revision") != int(sys.argv[3]))' \
                "$runner" "$etag" "$revision" 2>/dev/null && break
            [ "$i" = 100 ] && { echo "replica on $p: $runner"; return 1; }
            sleep 0.1
        done
        echo "     replica on $p runs it after $((i * 100)) ms at most"
    done
    cluster stop -t 30 >/dev/null 2>&1
    for i in 1 2 3; do
        [ "$(podman inspect --format '{{.State.ExitCode}}' "$run_id-cluster_policyd-${i}_1")" = 0 ] || return 1
    done
}
if command -v podman-compose >/dev/null; then
    check "docker/compose.cluster.yaml: 3 replicas and etcd up, a PUT on one runs on the others, stop with exit code 0" \
        cluster_shares_a_policy
fi

echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
