"""Host unit tests of the socket layer (net/socket/*.c): descriptors, errno
values, blocking with timeouts, poll() and options, driven through a fake
protocol and a fake network loop (socket_check.c).

The socket layer is compiled unchanged with keel's libc headers plus ASan
and UBSan; the POSIX names it defines are renamed keel_* by the
preprocessor so that glibc's own functions stay out of the way. The driver
itself is built without ASan (UBSan only): ASan would pad the protocol
registry's entries in the sock_protocols section with red zones.
"""
import pytest

import host_build

SOCKET_SOURCES = ["socket.c", "fd.c", "io.c", "options.c", "poll.c", "wait.c", "linger.c"]
RENAMED = ["socket", "bind", "listen", "accept", "accept4", "connect", "send", "recv", "sendto", "recvfrom",
           "shutdown", "setsockopt", "getsockopt", "getsockname", "getpeername", "poll", "read", "write",
           "close", "fcntl", "errno"]
RENAMES = [f"-D{name}=keel_{name}" for name in RENAMED]


@pytest.fixture(scope="module")
def socket_check(tmp_path_factory):
    build = tmp_path_factory.mktemp("socket")
    objects = []
    for name in SOCKET_SOURCES:
        objects.append(build / name.replace(".c", ".o"))
        host_build.compile_object(host_build.REPO / "net" / "socket" / name, objects[-1], freestanding=True,
                                  extra=RENAMES)
    objects.append(build / "socket_check.o")
    host_build.compile_object(host_build.HOST_TESTS / "socket_check.c", objects[-1], freestanding=True,
                              sanitize=host_build.UNDEFINED_ONLY, extra=RENAMES)
    return host_build.link(objects, build / "socket_check")


def test_socket_layer(socket_check):
    result = host_build.run(socket_check, timeout=60)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    assert "0 failures" in result.stdout
    # "keel: ready" is printed once, at the first wait for clients.
    assert result.stdout.count("keel: ready") == 1
