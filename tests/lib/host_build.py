"""Building kernel sources for the host: the one place that knows the
compiler flags of the host unit tests (tests/host/).

The stack's C files are compiled unchanged with the host's gcc, ASan and
UBSan, against either glibc (`freestanding=False`: the default, for code
that only needs <string.h> and friends) or keel's own libc headers
(`freestanding=True`: the socket layer, which must see keel's <sys/socket.h>
and not glibc's). A test names its sources; this module compiles and links
them and returns the binary's path, failing the test with the compiler's
output when the build fails.
"""
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CC = os.environ.get("CC", "gcc")

WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
COMMON = ["-std=gnu11", "-g", "-O1", "-fno-omit-frame-pointer", *WARNINGS]


def gcc_include():
    """gcc's own header directory (stddef.h, stdint.h ...) for -nostdinc builds."""
    return subprocess.run([CC, "-print-file-name=include"], check=True, capture_output=True,
                          text=True).stdout.strip()


def cflags(freestanding=False, sanitize=True, extra=()):
    """The flags of one host compilation."""
    flags = list(COMMON)
    if freestanding:
        flags += ["-ffreestanding", "-nostdinc", "-isystem", gcc_include(), f"-I{REPO / 'libc' / 'include'}",
                  "-fno-builtin"]
    else:
        flags += ["-D_GNU_SOURCE"]
    flags += [f"-I{REPO}", *(SANITIZE if sanitize else []), *extra]
    return flags


def compile_object(source, output, freestanding=False, sanitize=True, extra=()):
    """Compiles one source file to an object; fails the test on errors."""
    result = subprocess.run([CC, *cflags(freestanding, sanitize, extra), "-c", str(source), "-o", str(output)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"compiling {source} failed:\n{result.stdout}{result.stderr}", pytrace=False)
    return Path(output)


def link(objects, binary):
    """Links objects (compiled with the sanitizers) into a host binary."""
    result = subprocess.run([CC, *SANITIZE, *map(str, objects), "-o", str(binary)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"linking {binary} failed:\n{result.stdout}{result.stderr}", pytrace=False)
    return Path(binary)


def build(directory, name, sources, freestanding=False, extra=()):
    """Compiles sources (paths, or strings relative to the repository) in one
    gcc call and links them into directory/name. Returns the binary's path."""
    paths = [source if Path(source).is_absolute() else REPO / source for source in sources]
    binary = Path(directory) / name
    result = subprocess.run([CC, *cflags(freestanding, True, extra), *map(str, paths), "-o", str(binary)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"building {name} failed:\n{result.stdout}{result.stderr}", pytrace=False)
    return binary


def run(binary, *args, timeout=60, env=None):
    """Runs a host test binary; LeakSanitizer on."""
    environment = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
    environment.update(env or {})
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=environment)
