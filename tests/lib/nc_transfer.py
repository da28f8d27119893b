"""Bulk transfers with Linux's own netcat (netcat-openbsd, `make deps`) as
the peer, run inside a test's network namespace.

nc_echo() sends a file of random bytes to an echo service with `nc -N`
(shut the sending side down at the end of the input) while nc writes
whatever comes back to another file: Linux -> guest and guest -> Linux at
the same time, on one connection. The SHA-256 of what went and what came
back are compared by the caller.

Bounded and tidy: each nc is started by this module (Popen of `ip netns
exec`, which execs nc, so the pid is nc's own), waited for with a timeout,
and on timeout killed by that pid only.
"""
import hashlib
import os
import shutil
import subprocess
import time

NC = shutil.which("nc") or "/usr/bin/nc"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_openbsd_nc():
    """`-N` is netcat-openbsd's; the traditional netcat would hang on it."""
    real = os.path.realpath(NC)
    if not os.path.exists(real) or "openbsd" not in real:
        raise RuntimeError(f"nc is {real}: install netcat-openbsd (make deps)")


def nc_echo(net, port, size_bytes, timeout=150, name="nc"):
    """Pushes size_bytes random bytes through the echo at net.guest_ip:port.
    Returns {"sent": sha, "received": sha, "received_bytes": n, "seconds": t,
    "returncode": rc, "stderr": text}."""
    require_openbsd_nc()
    sent_path = os.path.join(net.workdir, f"{name}-{port}-sent.bin")
    received_path = os.path.join(net.workdir, f"{name}-{port}-received.bin")
    with open(sent_path, "wb") as handle:
        remaining = size_bytes
        while remaining:
            chunk = min(remaining, 1 << 20)
            handle.write(os.urandom(chunk))
            remaining -= chunk
    command = ["ip", "netns", "exec", net.namespace, NC, "-N", "-w", "30", net.guest_ip, str(port)]
    started = time.monotonic()
    with open(sent_path, "rb") as source, open(received_path, "wb") as sink:
        process = subprocess.Popen(command, stdin=source, stdout=sink, stderr=subprocess.PIPE)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()               # this nc only
            _, errors = process.communicate()
    result = {"sent": sha256_of(sent_path), "received": sha256_of(received_path),
              "received_bytes": os.path.getsize(received_path), "seconds": time.monotonic() - started,
              "returncode": process.returncode, "stderr": errors.decode(errors="replace")}
    os.unlink(sent_path)
    os.unlink(received_path)
    return result
