"""Builds and runs the libFuzzer harnesses of tests/fuzz (`make fuzz`,
tests/fuzz/test_fuzz.py).

Each harness is one fuzz_<name>.c here, compiled with clang together with
the keel sources it exercises, unchanged, and the host-test shims it
needs (tests/host), with libFuzzer, ASan and UBSan: the compiler flags are
tests/lib/host_build.py's, with clang's -fsanitize=fuzzer added. Its seed
corpus is tests/fuzz/corpus/<name>/ (valid inputs and the reproducers of
every crash found, kept as regression inputs). A run writes what it finds
to build/fuzz/<name>/corpus (never into the repository), crashes to
build/fuzz/<name>/crash-*.

    python3 tests/fuzz/fuzz_driver.py [--seconds N] [harness ...]

runs each harness N seconds (over its seed corpus first) and prints, per
harness, executions per second and libFuzzer's final coverage figures
(cov: edges, ft: features); the exit status is 1 if any harness crashed.
"""
import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
import host_build  # noqa: E402

REPO = host_build.REPO
FUZZ = REPO / "tests" / "fuzz"
BUILD = REPO / "build" / "fuzz"
CLANG = os.environ.get("FUZZ_CC", "clang-14")   # Debian: clang-14, libFuzzer in libclang-rt-14-dev
SANITIZE = ["-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all"]

# What tests/host/test_wire.py compiles: the real input path from Ethernet to UDP.
WIRE_STACK = [
    "net/ethernet/ethernet.c", "net/ethernet/arp.c", "net/ethernet/arp_cache.c",
    "net/ipv4/input.c", "net/ipv4/options.c", "net/ipv4/output.c", "net/ipv4/fragment.c", "net/ipv4/reassembly.c",
    "net/ipv4/icmp.c", "net/ipv4/icmp_error.c", "net/ipv4/icmp_error_input.c", "net/ipv4/icmp_errno.c",
    "net/ipv4/icmp_ratelimit.c", "net/ipv4/route.c", "net/ipv4/interface.c", "net/ipv4/ip_config.c",
    "net/ipv4/forward.c", "net/ipv4/redirect_limit.c", "net/ipv4/ip_mib.c", "net/ipv4/devconf.c", "net/netfilter/hook.c",
    "net/udp/udp.c", "net/udp/socket.c", "net/testing/udp_test_echo.c",
    "net/core/drop.c", "net/core/checksum.c", "net/core/pkt.c", "net/core/netdev.c", "net/core/gso.c",
    "net/core/netdev_queue.c", "net/core/netdev_bql.c", "net/core/dql.c", "net/core/secret.c", "net/core/siphash.c",
    "net/core/stats_print.c", "net/core/mib.c",
    *host_build.CAPTURE_TAP, "tests/host/wire_host_shim.c", "tests/host/host_time_shim.c",
]

# What tests/host/test_tcp.py compiles, with the scripted peer of tcp_check but not its tests.
TCP_STACK = [
    *(str(path.relative_to(REPO)) for path in sorted((REPO / "net" / "tcp").glob("*.c"))),
    "net/testing/tcp_fault.c", "net/core/pkt.c", "net/core/checksum.c", "net/core/drop.c",
    "net/core/stats_print.c", "net/core/gso.c", "net/core/siphash.c", "net/core/secret.c", "net/ipv4/pmtu.c",
    "net/ipv4/icmp_errno.c", "tests/host/tcp_host_shim.c", "tests/host/host_time_shim.c",
    "tests/host/tcp_check_peer.c",
]
# glibc's <netinet/tcp.h> clashes with keel's TCP_ESTABLISHED & co. (as in test_tcp.py).
TCP_HEADERS = {"netinet/tcp.h": REPO / "libc" / "include" / "netinet" / "tcp.h"}


@dataclass(frozen=True)
class Harness:
    name: str
    sources: list = field(default_factory=list)   # besides tests/fuzz/fuzz_<name>.c
    max_len: int = 4096                           # longest input libFuzzer makes
    headers: dict = field(default_factory=dict)   # private headers put ahead of the system's
    extra: list = field(default_factory=list)     # more compiler flags


HARNESSES = [
    Harness("wire", WIRE_STACK, max_len=16384),
    Harness("dhcp", ["net/dhcp/message_parse.c"], max_len=1500),
    Harness("http_request", ["apps/httpd/http_request.c", "apps/httpd/http_range.c", "apps/httpd/http_chunked.c"],
            max_len=20000),
    Harness("tcp", TCP_STACK, max_len=8192, headers=TCP_HEADERS, extra=["-Wno-missing-field-initializers"]),
    Harness("cmdline", ["kernel/core/cmdline.c", "kernel/core/sysctl.c", "net/tcp/sysctl.c", "net/ipv4/ip_config.c",
                        "libc/src/string/strlcpy.c", "tests/fuzz/sysctl_defaults.c"],
            # ASan's red zones around globals would break the section tables' stride (entries
            # read as an array): global red zones off here; UBSan's bounds checks stay.
            extra=["-include", str(FUZZ / "strlcpy.h"), f"-Wl,-T,{FUZZ / 'sections.ld'}", "-mllvm", "-asan-globals=0"]),
    Harness("http_range", ["apps/httpd/http_range.c", "apps/httpd/http_multipart.c"], max_len=1024),
    Harness("conntrack", [*(f"net/netfilter/{name}.c" for name in [
        "conntrack_tuple", "conntrack_table", "conntrack_tcp", "conntrack_protocols", "conntrack_core",
        "conntrack_hooks", "conntrack_print", "nat_core", "nat_packet", "nat_hooks", "hook"]),
        "net/core/pkt.c", "net/core/checksum.c", "net/core/siphash.c", "net/core/secret.c",
        "tests/host/host_time_shim.c"], max_len=8192),
    Harness("nft", [*host_build.NFT_ENGINE, "net/netfilter/hook.c", "net/core/pkt.c", "net/core/checksum.c",
                    "tests/host/nft_check_shim.c"], max_len=4096),
    Harness("admin_http", ["net/admin/http_request.c"], max_len=4096),
    Harness("console", ["kernel/console/line_editor.c", "kernel/console/command.c", "kernel/core/sysctl_console.c",
                        "kernel/core/sysctl.c", "kernel/core/cmdline.c", "net/tcp/sysctl.c",
                        "libc/src/string/strlcpy.c", "tests/fuzz/sysctl_defaults.c"],
            max_len=2048,
            # as cmdline: the section tables are read as arrays, so no red zones between their entries
            extra=["-include", str(FUZZ / "strlcpy.h"), f"-Wl,-T,{FUZZ / 'sections.ld'}", "-mllvm", "-asan-globals=0"]),
    Harness("capture", ["net/core/capture.c", *host_build.CAPTURE_TAP, "net/core/pkt.c", "net/core/checksum.c",
                        "tests/host/host_time_shim.c"], max_len=8205),
    Harness("virtio_rx", ["drivers/virtio-net/virtio_net_rx_offload.c", "drivers/virtio-net/virtio_net_checksum.c",
                          "net/core/pkt.c", "net/core/checksum.c", "net/core/gso.c"], max_len=16400),
]
BY_NAME = {harness.name: harness for harness in HARNESSES}


class BuildError(Exception):
    pass


def seed_corpus(harness):
    return FUZZ / "corpus" / harness.name


def build(harness, build_dir=BUILD):
    """Compiles harness into build_dir/<name>/<name>; returns its path."""
    directory = Path(build_dir) / harness.name
    directory.mkdir(parents=True, exist_ok=True)
    binary = directory / harness.name
    sources = [FUZZ / f"fuzz_{harness.name}.c", *host_build.source_paths(harness.sources)]
    include_dirs = [host_build.private_headers(directory, harness.headers)] if harness.headers else []
    flags = host_build.cflags(sanitize=SANITIZE, include_dirs=include_dirs, extra=harness.extra)
    command = [CLANG, *flags, *map(str, sources), "-o", str(binary)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"building {harness.name} failed:\n{' '.join(command)}\n{result.stdout}{result.stderr}")
    return binary


@dataclass
class Outcome:
    name: str
    returncode: int
    log: str
    executions: int = 0
    exec_per_second: int = 0
    coverage: int = 0
    features: int = 0
    corpus_inputs: int = 0

    @property
    def crashed(self):
        return self.returncode != 0

    def summary(self):
        if self.crashed:
            artifacts = re.findall(r"Test unit written to (\S+)", self.log)
            return f"{self.name}: CRASH (exit {self.returncode}), reproducer {', '.join(artifacts) or 'none written'}"
        return (f"{self.name}: {self.executions} executions, {self.exec_per_second} exec/s, "
                f"cov: {self.coverage} ft: {self.features}, corpus {self.corpus_inputs} inputs")


def parse_log(name, returncode, log):
    outcome = Outcome(name, returncode, log)
    stat = dict(re.findall(r"^stat::(\w+):\s+(\d+)", log, re.MULTILINE))
    outcome.executions = int(stat.get("number_of_executed_units", 0))
    outcome.exec_per_second = int(stat.get("average_exec_per_sec", 0))
    # The last status line ("#N DONE cov: X ft: Y corp: Z/...") holds the final figures.
    status = re.findall(r"^#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)", log, re.MULTILINE)
    if status:
        outcome.coverage, outcome.features, outcome.corpus_inputs = map(int, status[-1])
    return outcome


def run(harness, binary, seconds=None, runs=None, build_dir=BUILD):
    """Runs binary over its seed corpus, then fuzzes for seconds (or runs
    inputs); returns an Outcome. Hangs (an input over 10 s) and leaks are
    crashes too."""
    directory = Path(build_dir) / harness.name
    work_corpus = directory / "corpus"
    work_corpus.mkdir(parents=True, exist_ok=True)
    arguments = [str(binary), "-print_final_stats=1", "-timeout=10", f"-max_len={harness.max_len}",
                 f"-artifact_prefix={directory}/"]
    if seconds is not None:
        arguments.append(f"-max_total_time={seconds}")
    if runs is not None:
        arguments.append(f"-runs={runs}")
    arguments.append(str(work_corpus))
    if seed_corpus(harness).is_dir():
        arguments.append(str(seed_corpus(harness)))
    environment = dict(os.environ, UBSAN_OPTIONS="print_stacktrace=1")
    limit = (seconds or 60) * 3 + 60
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=limit, env=environment)
    return parse_log(harness.name, result.returncode, result.stdout + result.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per harness (default 60)")
    parser.add_argument("harnesses", nargs="*", choices=[[], *BY_NAME], help="default: all")
    options = parser.parse_args()
    chosen = [BY_NAME[name] for name in options.harnesses] or HARNESSES
    outcomes = []
    for harness in chosen:
        try:
            binary = build(harness)
        except BuildError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"fuzz: {harness.name}: {options.seconds} s ...", flush=True)
        outcome = run(harness, binary, seconds=options.seconds)
        (BUILD / harness.name / "fuzz.log").write_text(outcome.log)
        outcomes.append(outcome)
        print(outcome.summary(), flush=True)
    print("fuzz summary (logs in build/fuzz/<harness>/fuzz.log):")
    for outcome in outcomes:
        print(f"  {outcome.summary()}")
    return 1 if any(outcome.crashed for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
