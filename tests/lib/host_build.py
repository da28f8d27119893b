"""Building kernel sources for the host: the one place that knows the
compiler flags of the host unit tests (tests/host/).

The stack's C files are compiled unchanged with the host's gcc, ASan and
UBSan, against either glibc (`freestanding=False`: the default, for code
that only needs <string.h> and friends) or keel's own libc headers
(`freestanding=True`: the socket layer, which must see keel's <sys/socket.h>
and not glibc's). kernel_cflags() are the kernel's own code-generation
flags, for the libc tests that compile libc/ exactly as the kernel does.

A test names its sources; build() compiles and links them in one gcc call,
compile_object() and link() do it in steps (for objects built with other
sanitizers, or rewritten before linking). Every gcc call fails the test with
the compiler's output when it fails. run() runs a test binary with
LeakSanitizer on.
"""
import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST_TESTS = REPO / "tests" / "host"
CC = os.environ.get("CC", "gcc")

# What net/core's receive and transmit paths (netdev.c, netdev_queue.c) link
# for their capture taps: the tap side of net/core/capture.h, without the
# session control (capture.c: the heap, the real-time clock).
CAPTURE_TAP = ["net/core/capture_tap.c", "net/core/capture_filter.c", "net/core/capture_ring.c"]

# The stack from the link layer up to UDP with the core under it: the real
# sources the wire-level host tests run over tests/host/wire_host_shim.c
# (one list, so a file added to a layer is added to every such test).
STACK_BELOW_TCP = [
    "net/ethernet/ethernet.c", "net/ethernet/arp.c", "net/ethernet/arp_cache.c",
    "net/ipv4/input.c", "net/ipv4/options.c", "net/ipv4/output.c", "net/ipv4/fragment.c", "net/ipv4/reassembly.c",
    "net/ipv4/icmp.c", "net/ipv4/icmp_error.c", "net/ipv4/icmp_error_input.c", "net/ipv4/icmp_errno.c",
    "net/ipv4/icmp_ratelimit.c", "net/ipv4/route.c", "net/ipv4/interface.c", "net/ipv4/ip_config.c",
    "net/ipv4/forward.c", "net/ipv4/redirect_limit.c", "net/ipv4/ip_mib.c", "net/ipv4/loopback.c", "net/ipv4/devconf.c", "net/netfilter/hook.c",
    "net/udp/udp.c", "net/udp/socket.c",
    "net/core/drop.c", "net/core/checksum.c", "net/core/pkt.c", "net/core/netdev.c", "net/core/gso.c",
    "net/core/netdev_queue.c", "net/core/netdev_bql.c", "net/core/dql.c", "net/core/secret.c", "net/core/siphash.c",
    "net/core/stats_print.c", "net/core/mib.c",
    *CAPTURE_TAP,
]

# The nftables rule engine (net/netfilter/nft_*.c), without the hook glue
# and boot loader that need the kernel (tests/host/nft_check.c stubs them).
NFT_ENGINE = sorted(str(path.relative_to(REPO)) for path in (REPO / "net" / "netfilter").glob("nft_*.c")
                    if path.name not in ("nft_boot.c", "nft_stats.c", "nft_conntrack.c"))

WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
# For code ASan must not instrument (see tests/host/test_socket.py).
UNDEFINED_ONLY = ["-fsanitize=undefined", "-fno-sanitize-recover=all"]
COMMON = ["-std=gnu11", "-g", "-O1", "-fno-omit-frame-pointer", *WARNINGS]


@functools.cache
def gcc_include():
    """gcc's own header directory (stddef.h, stdint.h ...) for -nostdinc builds."""
    return subprocess.run([CC, "-print-file-name=include"], check=True, capture_output=True,
                          text=True).stdout.strip()


def freestanding_headers():
    """The flags that put keel's libc headers in place of glibc's."""
    return ["-ffreestanding", "-nostdinc", "-isystem", gcc_include(), f"-I{REPO / 'libc' / 'include'}"]


def kernel_cflags(optimization="-O2"):
    """The kernel Makefile's code-generation flags for libc/ (no red zone, no
    SSE, stack protector), at -O2 (release) or -Og (DEBUG=1)."""
    return ["-std=gnu11", *freestanding_headers(), f"-I{REPO}", "-fno-pic", "-fno-pie", "-mno-red-zone",
            "-mgeneral-regs-only", "-fno-omit-frame-pointer", "-fstack-protector-strong", "-Wall", "-Wextra",
            "-Werror", optimization]


def kernel_cflags_sanitized(optimization="-O2"):
    """kernel_cflags() for a host build of libc/: plus debug information and
    the sanitizers. -fno-builtin is implied by -ffreestanding; spelled out
    because the host build must never let gcc swap keel's functions for
    glibc's builtins."""
    return [*kernel_cflags(optimization), "-g", "-fno-builtin", *SANITIZE]


def cflags(freestanding=False, sanitize=SANITIZE, extra=(), include_dirs=(), root=REPO):
    """The flags of one host compilation. include_dirs come before the
    source tree (root) so that a test's private headers win."""
    flags = list(COMMON)
    if freestanding:
        flags += [*freestanding_headers(), "-fno-builtin"]
    else:
        flags += ["-D_GNU_SOURCE"]
    flags += [*(f"-I{directory}" for directory in include_dirs), f"-I{root}", *sanitize, *extra]
    return flags


def gcc(arguments, what):
    """Runs the compiler; fails the test with its output if it fails."""
    result = subprocess.run([CC, *map(str, arguments)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"{what} failed:\n{' '.join(map(str, arguments))}\n{result.stdout}{result.stderr}",
                    pytrace=False)
    return result


def source_paths(sources, root=REPO):
    """Paths, or strings relative to the source tree root."""
    return [Path(source) if Path(source).is_absolute() else root / source for source in sources]


def compile_object(source, output, flags=None, **cflags_arguments):
    """Compiles one source file to an object, with the given flags or else
    cflags(**cflags_arguments). Returns the gcc result (for its warnings)."""
    flags = cflags(**cflags_arguments) if flags is None else flags
    return gcc([*flags, "-c", source, "-o", output], f"compiling {source}")


def link(objects, binary, extra=(), sanitize=SANITIZE):
    """Links objects (compiled with the sanitizers) into a host binary."""
    gcc([*sanitize, *objects, *extra, "-o", binary], f"linking {binary}")
    return Path(binary)


def build(directory, name, sources, root=REPO, link_flags=(), **cflags_arguments):
    """Compiles sources (see source_paths; objects may be among them) in one
    gcc call and links them into directory/name with
    cflags(**cflags_arguments, root=root), then link_flags (libraries).
    Returns the binary's path."""
    binary = Path(directory) / name
    gcc([*cflags(root=root, **cflags_arguments), *source_paths(sources, root), *link_flags, "-o", binary],
        f"building {name}")
    return binary


def private_headers(directory, headers):
    """Copies headers ({"netinet/tcp.h": source path}) into directory/include,
    to be passed in include_dirs ahead of the system's. Returns that folder."""
    include = Path(directory) / "include"
    for name, source in headers.items():
        (include / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, include / name)
    return include


def run(binary, *args, timeout=60, env=None):
    """Runs a host test binary; LeakSanitizer on."""
    environment = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
    environment.update(env or {})
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=environment)
