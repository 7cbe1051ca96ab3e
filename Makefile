# policyd: `make run` and `make test` work on a fresh Debian machine.
SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= ./data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# etcd-server, etcd-client: the etcd store's tests; haproxy and wrk: the load-balancer test (scripts/lb-test.sh).
APT_PACKAGES := libmicrohttpd-dev pkg-config curl openssl etcd-server etcd-client haproxy wrk
# `make container`: podman with runc, and debootstrap to make base images without a registry;
# netavark and aardvark-dns: compose.cluster.yaml's replicas find etcd by its service name.
CONTAINER_APT_PACKAGES := podman runc debootstrap debian-archive-keyring podman-compose netavark aardvark-dns

.PHONY: deps bench-deps container-deps container test-container build release run test test-unit test-bench-smoke test-tsan test-spec test-lb lint format bench clean

## Install the system packages the build and the tests need, when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product policyd

## Build and serve on $(HOST):$(PORT) with $(DATA_DIR).
run: release
	mkdir -p $(DATA_DIR)
	.build/release/policyd serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

## Every test: the format lint, unit and end-to-end tests, a short run of the scale
## benchmark, the service's concurrency tests under the thread sanitizer, the spec,
## container and schemathesis checks against a live server, rolling restarts behind HAProxy,
## then the image built and run.
test: deps lint test-unit test-bench-smoke test-tsan test-spec test-lb test-container

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The scale benchmark still runs (small steps, debug build, nothing timed): it broke once
## unnoticed when a policy limit came in.
test-bench-smoke: test-unit
	BENCH_NETWORKS=1,20 BENCH_RULES=10,300 .build/debug/policyd-bench scale

## The concurrency tests under TSan (its own build folder): the swap with the file store and
## with the etcd store (EtcdStoreTests, EtcdSwapTests, SharedPeerTableTests: a real etcd, see
## deps), the server over libmicrohttpd's threads (MicroHTTPTests) and the API on it
## (PolicyAPITests). Not the end-to-end tests: they run policyd as a separate process.
# Two passes: the etcd suites time out when they share the 2 cores with the HTTP suites'
# many-connection tests under TSan (CI saw an 800 ms etcd write and an election miss their time).
TSAN_RUN = TSAN_OPTIONS="suppressions=$(CURDIR)/scripts/tsan-suppressions.txt" $(SWIFT) test --sanitize=thread --scratch-path .build-tsan
test-tsan:
	$(TSAN_RUN) --filter "PolicyServiceTests|EtcdSwapTests|EtcdStoreTests|SharedPeerTableTests"
	$(TSAN_RUN) --skip-build --filter "MicroHTTPTests|PolicyAPITests"

test-spec: test-unit
	scripts/spec-tests.sh

## Two replicas behind a real HAProxy under wrk, each restarted in turn: 0 failed requests (~1 min).
test-lb: test-unit
	scripts/lb-test.sh

## podman and debootstrap for `make container`, when missing.
container-deps:
	@missing=""; for p in $(CONTAINER_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## docker/Dockerfile built with podman into localhost/policyd:latest, and the etcd image of
## docker/compose.cluster.yaml (localhost/policyd-etcd:latest); base images that cannot be
## pulled are made here (debootstrap, the machine's Swift toolchain): scripts/container-build.sh.
container: deps container-deps
	scripts/container-build.sh

## The image run for real: uid, /readyz, HEALTHCHECK, a policy across containers, SIGTERM,
## startup errors, compose, compose.cluster.yaml: etcd and three replicas (scripts/container-test.sh).
test-container: container
	scripts/container-test.sh

## The load tools of `make bench`, when missing: wrk, and nginx-light (or nginx where
## the distribution has no nginx-light).
bench-deps:
	@missing=""; command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v cc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || missing="$$missing gcc"; \
	if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
		if apt-cache show nginx-light >/dev/null 2>&1; then missing="$$missing nginx-light"; else missing="$$missing nginx"; fi; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## policyd against nginx's static answer and libmicrohttpd alone with wrk, and the reload
## storm (bench/run.sh; BENCH_ROUNDS, BENCH_DURATION, BENCH_CONNECTIONS... tune it).
## Loopback only, about 5 minutes after the build. Then the replicas over a real etcd:
## propagation of a PUT to another replica (p50/p99 over 200 writes) and the startup of a
## replica with 10 000 policies in etcd (policyd-bench etcd; BENCH_ETCD_WRITES, BENCH_ETCD_POLICIES).
bench: deps bench-deps release
	bench/run.sh
	$(SWIFT) build -c release --product policyd-bench
	.build/release/policyd-bench etcd

## Formatting is checked, not argued about: `make format` fixes what `make lint` reports.
lint:
	$(SWIFT) format lint --strict -r Sources Tests bench/Sources Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests bench/Sources Package.swift

clean:
	rm -rf .build .build-* .venv
