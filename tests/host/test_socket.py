"""Host unit tests of the socket layer (net/socket*.c): descriptors, errno
values, blocking with timeouts, poll() and options, driven through a fake
protocol and a fake network loop (socket_check.c).

The socket layer is compiled unchanged with keel's libc headers plus ASan
and UBSan; the POSIX names it defines are renamed keel_* by the
preprocessor so that glibc's own functions stay out of the way. The driver
itself is built without ASan (UBSan only): ASan would pad the protocol
registry's entries in the sock_protocols section with red zones.
"""
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST_DIR = Path(__file__).resolve().parent
CC = os.environ.get("CC", "gcc")
GCC_INCLUDE = subprocess.run([CC, "-print-file-name=include"], check=True, capture_output=True,
                             text=True).stdout.strip()
SOCKET_SOURCES = ["socket.c", "fd.c", "io.c", "options.c", "poll.c", "wait.c", "linger.c"]
RENAMED = ["socket", "bind", "listen", "accept", "accept4", "connect", "send", "recv", "sendto", "recvfrom",
           "shutdown", "setsockopt", "getsockopt", "getsockname", "getpeername", "poll", "read", "write",
           "close", "fcntl", "errno"]
CFLAGS = ["-std=gnu11", "-ffreestanding", "-nostdinc", "-isystem", GCC_INCLUDE, f"-I{REPO / 'libc' / 'include'}",
          f"-I{REPO}", "-fno-builtin", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-g", "-O1",
          "-fno-omit-frame-pointer"] + [f"-D{name}=keel_{name}" for name in RENAMED]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]


def compile_object(source, output, sanitizers):
    result = subprocess.run([CC, *CFLAGS, *sanitizers, "-c", str(source), "-o", str(output)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def socket_check(tmp_path_factory):
    build = tmp_path_factory.mktemp("socket")
    objects = [compile_object(REPO / "net" / "socket" / name, build / name.replace(".c", ".o"), SANITIZE)
               for name in SOCKET_SOURCES]
    objects.append(compile_object(HOST_DIR / "socket_check.c", build / "socket_check.o",
                                  ["-fsanitize=undefined", "-fno-sanitize-recover=all"]))
    binary = build / "socket_check"
    result = subprocess.run([CC, *SANITIZE, *map(str, objects), "-o", str(binary)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return binary


def test_socket_layer(socket_check):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
    result = subprocess.run([str(socket_check)], capture_output=True, text=True, timeout=60, env=env)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    assert "0 failures" in result.stdout
    # "keel: ready" is printed once, at the first wait for clients.
    assert result.stdout.count("keel: ready") == 1
