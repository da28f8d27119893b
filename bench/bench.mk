# bench/bench.mk - `make bench` (included by the Makefile; not part of `make test`).
#
#   make bench                    keel's figures (bench/bench.py says which)
#   make bench BASELINE=linux     the same figures for a Debian Linux + nginx
#                                 guest, side by side with keel's and the ratio
#   make bench BENCH_NICS=e1000   one NIC only (default: e1000, virtio-net-pci and
#                                 virtio-net-device, the -M microvm row)
#   make bench BENCH_DURATION=5   seconds per wrk run (default 10)
#   make bench BENCH_MEMORY=0     skip the smallest -m bisection
#   make bench BENCH_RUNS=5       boots for the first-HTTP-200 figure (median; default 10)
#   make bench BENCH_ONLY=first200  only the first-HTTP-200 figure
#   make bench BENCH_ONLY=latency   only the latency-under-load figures (keel
#                                 shaped to 20 Mbit/s: idle ping, ping p50/p99
#                                 and goodput under 8 flows, fq_codel and
#                                 pfifo_fast; bench/latency_load.py)
#   make bench BENCH_ONLY=operator  only what operating keel costs wrk -c64
#                                 (console off/on, /metrics scraped 1/s, a
#                                 /pcap capture on; bench/operator_cost.py)
#   make bench BENCH_ONLY=qdisc     only wrk -c1/-c64 on an unshaped link with
#                                 fq_codel and with pfifo_fast (bench/qdisc_cost.py)
#   make bench BENCH_SKIP="latency operator qdisc"  leave those keel-only parts out
#
# keel is built into $(BENCH_BUILD)/keel with APP=httpd and the bench's
# files generated into the site ($(BENCH_FILES)); the Linux guest
# (bench/linux_guest.py) gets the same site in $(BENCH_BUILD)/linux.
# Results: bench/results/<date>-<nic>.txt and .json.
#
#   make bench-forward [BASELINE=linux]   keel as a NAT router between two
#                                 networks (bench/bench_forward.py): iperf3 TCP
#                                 1 and 8 streams, 64-byte UDP pps sent and
#                                 received, new connections/s through NAT, ping
#                                 RTT; with BASELINE=linux, a Debian Linux router
#                                 (same ruleset, nft, ip_forward=1) side by side.
#                                 BENCH_NICS and BENCH_DURATION as above;
#                                 results bench/results/<date>-forward-<nic>.*

BENCH_BUILD ?= $(BUILD)/bench
BENCH_NICS ?= e1000 virtio-net-pci virtio-net-device
BENCH_DURATION ?= 10
BENCH_MEMORY ?= 1
BENCH_RUNS ?= 10
BENCH_ONLY ?=
BENCH_SKIP ?=
BENCH_FILES := 1k.bin:1024 1m.bin:1048576
BENCH_KEEL := $(BENCH_BUILD)/keel
BENCH_LINUX := $(BENCH_BUILD)/linux
BENCH_DEB_PACKAGES := wrk curl busybox-static dpkg apt libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g \
	iperf3 libnftables1 libedit2
# The forwarding bench's router image and Linux router guest (its own
# initramfs: router mode, see bench/linux_guest.py).
BENCH_ROUTER_RULESET := tests/qemu/nft/router.nft
BENCH_KEEL_ROUTER := $(BENCH_BUILD)/keel-router
BENCH_LINUX_ROUTER := $(BENCH_BUILD)/linux-router

.PHONY: bench bench-deps bench-keel bench-linux bench-forward bench-keel-router bench-linux-router

bench-deps: deps
	@missing=""; for package in $(BENCH_DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "keel: the benchmark needs these Debian packages:$$missing (run 'make bench-deps' as root)" >&2; exit 1; \
		fi; \
		echo "keel: installing$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@if [ "$(BASELINE)" = linux ] && ! apt-cache show linux-image-amd64 nginx >/dev/null 2>&1; then \
		apt-get update -q; \
	fi

# The image under test: the default app and site plus the bench's files. A
# build that fails leaves keel's column "not built" rather than no table.
bench-keel: deps
	-$(MAKE) --no-print-directory BUILD=$(BENCH_KEEL) APP=httpd HTTPD_GENERATED="$(BENCH_FILES)" all
	-$(MAKE) --no-print-directory BUILD=$(BENCH_KEEL) APP=httpd HTTPD_GENERATED="$(BENCH_FILES)" efi

# The kernel and nginx come from Debian packages unpacked under $(BENCH_LINUX)
# (nothing is installed into the host's /boot); the site is keel's, with the
# same generated files (embed_site.py writes them, byte for byte as in keel).
bench-linux: bench-deps
	@mkdir -p $(BENCH_BUILD)/site
	$(Q)$(PYTHON) apps/httpd/embed_site.py --site $(WWW) --output $(BENCH_BUILD)/site/httpd_site \
		$(foreach file,$(BENCH_FILES),--generate $(file))
	$(PYTHON) bench/linux_guest.py --out $(BENCH_LINUX) --site $(WWW) --site $(BENCH_BUILD)/site/httpd_site_generated

bench: bench-deps bench-keel $(if $(filter linux,$(BASELINE)),bench-linux)
	$(PYTHON) bench/bench.py --keel $(BENCH_KEEL) $(if $(filter linux,$(BASELINE)),--linux $(BENCH_LINUX)) \
		$(foreach nic,$(BENCH_NICS),--nic $(nic)) --duration $(BENCH_DURATION) \
		$(if $(filter 0,$(BENCH_MEMORY)),--no-memory) --first-200-runs $(BENCH_RUNS) \
		$(if $(BENCH_ONLY),--part $(BENCH_ONLY)) $(foreach part,$(BENCH_SKIP),--skip $(part))

# keel built with the router's ruleset; booted with ip_forward=1 by the bench.
bench-keel-router: deps
	-$(MAKE) --no-print-directory BUILD=$(BENCH_KEEL_ROUTER) APP=httpd NFT=$(BENCH_ROUTER_RULESET) all

bench-linux-router: bench-deps
	$(PYTHON) bench/linux_guest.py --out $(BENCH_LINUX_ROUTER) --site $(WWW) --router-ruleset $(BENCH_ROUTER_RULESET)

bench-forward: bench-deps bench-keel-router $(if $(filter linux,$(BASELINE)),bench-linux-router)
	$(PYTHON) bench/bench_forward.py --keel $(BENCH_KEEL_ROUTER)/keel.elf \
		$(if $(filter linux,$(BASELINE)),--linux $(BENCH_LINUX_ROUTER)) \
		$(foreach nic,$(BENCH_NICS),--nic $(nic)) --duration $(BENCH_DURATION)
