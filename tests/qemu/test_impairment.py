"""Loss, delay and reordering between guest and host (issue 4).

The relay (tests/qemu/impairment.py) moves every frame between QEMU and the
tap, dropping, delaying and reordering them with a seeded RNG per direction.
  - the relay's own logic, without QEMU: counters and frame order;
  - through a guest: at 0% it is transparent to ping; at 2% loss, 5%
    reordering and 5 ms delay, 200 fast pings lose some replies, every RTT
    carries both delays, and the counters prove frames were dropped and
    reordered both ways;
  - TCP under the same impairment: a 10 MiB file from httpd through curl
    (on the same boot as the pings) and a bulk echo (data both ways at once,
    a second boot with APP=echo) stay byte-exact and finish. While an image
    has no SOCK_STREAM protocol or lacks the app, these are skipped with the
    reason.
The images are variants built on demand (tests/qemu/app_images.py): the
default site plus a generated 10m.bin, and the echo app's (shared with
test_echo.py).
"""
import hashlib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time

import pytest

from app_images import variant_image
from qemu_boot import KERNEL_ELF, require_image
from netharness import GUEST_IP, require_network_namespaces
from impairment import COUNTERS, Direction, ImpairedGuestNetwork

IMPAIRED = dict(drop=0.02, reorder=0.05, delay_ms=5.0)
SEED = 4
BIG_FILE = "/10m.bin"
BIG_FILE_BYTES = 10 * 1024 * 1024
ECHO_PORT = 7
ECHO_BYTES = 4 * 1024 * 1024
TRANSFER_TIMEOUT = 240
NICS = ["e1000", "virtio-net-pci"]

# Runs in the namespace: streams request["bytes"] random bytes (no period, so
# a lost or repeated block cannot go unseen) to the echo port while reading
# the echo back, and reports both SHA-256 digests.
ECHO_SCRIPT = r"""
import hashlib, json, os, socket, sys, threading
request = json.load(sys.stdin)
total = request["bytes"]
sent_digest, received_digest = hashlib.sha256(), hashlib.sha256()
s = socket.create_connection((request["guest"], request["port"]), timeout=request["timeout"])
def writer():
    left = total
    while left:
        piece = os.urandom(min(left, 65536))
        s.sendall(piece)
        sent_digest.update(piece)
        left -= len(piece)
thread = threading.Thread(target=writer)
thread.start()
received = 0
while received < total:
    data = s.recv(65536)
    if not data:
        break
    received_digest.update(data)
    received += len(data)
thread.join()
s.close()
json.dump({"sent": sent_digest.hexdigest(), "received": received_digest.hexdigest(),
           "received_bytes": received}, sys.stdout)
"""


# -- the relay's logic, no QEMU ------------------------------------------------

def run_direction(frames, drop=0.0, reorder=0.0, delay_s=0.0, gap_s=0.001, max_queue=4096, seed=1):
    """Feeds frames one per gap_s of simulated time; returns (out, counters)."""
    out = []
    direction = Direction("to_guest", out.append, seed=seed, drop=drop, reorder=reorder,
                          delay_s=delay_s, hold_s=0.05, max_queue=max_queue)
    now = 0.0
    for frame in frames:
        direction.run_timers(now)
        direction.receive(frame, now)
        now += gap_s
    direction.run_timers(now + 1.0)
    return out, direction.counters


def test_relay_logic_transparent_at_zero():
    frames = [bytes([i % 256]) * 60 for i in range(500)]
    out, counters = run_direction(frames)
    assert out == frames
    assert counters["received"] == counters["sent"] == 500
    assert all(counters[name] == 0 for name in COUNTERS if name not in ("received", "sent"))


def test_relay_logic_drops_delays_reorders():
    frames = [i.to_bytes(4, "big") * 15 for i in range(5000)]
    out, counters = run_direction(frames, drop=0.02, reorder=0.05, delay_s=0.005)
    assert 50 <= counters["dropped"] <= 150, counters          # 2% of 5000, seeded
    assert 150 <= counters["reordered"] <= 350, counters       # 5% of what is left
    assert counters["delayed"] == 5000 - counters["dropped"]
    assert counters["sent"] == len(out) == 5000 - counters["dropped"]
    indexes = [int.from_bytes(frame[:4], "big") for frame in out]
    assert len(set(indexes)) == len(indexes), "a frame was duplicated"
    swaps = sum(1 for a, b in zip(indexes, indexes[1:]) if b < a)
    assert swaps == counters["reordered"], "each reordered frame arrives right after its successor"
    # The same seed gives the same losses: the runs are reproducible.
    again, _ = run_direction(frames, drop=0.02, reorder=0.05, delay_s=0.005)
    assert again == out


def test_relay_logic_bounded_queue():
    frames = [bytes(60)] * 100
    out, counters = run_direction(frames, delay_s=0.5, gap_s=0.0, max_queue=16)
    assert counters["overflow"] == 84 and counters["delayed"] == 16 and len(out) == 16, counters


# -- through a guest -----------------------------------------------------------

@pytest.fixture(scope="module", params=NICS)
def guest(request):
    """One boot per NIC, on a clean link through the relay; each test sets
    the impairment it needs."""
    require_image(KERNEL_ELF)
    require_network_namespaces()
    image = http_image()
    failed_before = request.session.testsfailed
    net = ImpairedGuestNetwork(nic=request.param, machine="pc", seed=SEED, image=image)
    try:
        net.start(timeout=60)
        net.ping(count=1, deadline=10)   # the link may need a moment (e1000 autonegotiation)
        yield net
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


def counter_delta(before, after):
    return {name: {key: after[name][key] - before[name][key] for key in COUNTERS} for name in after}


def test_relay_transparent_ping(guest):
    guest.set_impairment()
    before = guest.relay_stats()
    result = guest.ping(count=30, interval=0.02)
    delta = counter_delta(before, guest.relay_stats())
    assert result["transmitted"] == 30 and result["received"] == 30, result["output"]
    for name, counters in delta.items():
        assert counters["received"] >= 30 and counters["sent"] == counters["received"], (name, delta)
        assert counters["dropped"] == counters["reordered"] == counters["delayed"] == 0, (name, delta)


def test_relay_impairs_ping(guest):
    guest.set_impairment(**IMPAIRED)
    before = guest.relay_stats()
    result = guest.ping(count=200, interval=0.01, deadline=30)
    delta = counter_delta(before, guest.relay_stats())
    print(f"impaired ping: {result['received']}/{result['transmitted']} replies; relay {delta}")
    # With ping's -w deadline, -c counts replies: losses show as more sent.
    lost = result["transmitted"] - result["received"]
    assert result["received"] == 200, result["output"]
    assert 1 <= lost <= 50, f"2% loss each way must lose some of 200 pings: {result['output']}"
    sequence = [int(m) for m in re.findall(r"icmp_seq=(\d+)", result["output"])]
    assert any(b < a for a, b in zip(sequence, sequence[1:])), "no reply arrived out of order"
    assert min(result["rtts_ms"]) >= 9.5, "every RTT carries 5 ms of delay each way"
    for name, counters in delta.items():
        assert counters["received"] >= 200, (name, delta)
        assert counters["dropped"] >= 1 and counters["reordered"] >= 1, (name, delta)
        assert counters["delayed"] == counters["received"] - counters["dropped"], (name, delta)


# -- TCP under loss and reordering -----------------------------------------------

def image_symbols(elf):
    elf = pathlib.Path(elf)
    if not elf.exists() or shutil.which("nm") is None:
        return set()
    out = subprocess.run(["nm", str(elf)], capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def require_tcp_and(elf, app_symbol, app):
    symbols = image_symbols(pathlib.Path(elf).with_name("keel64.elf"))
    if "sock_protocol_SOCK_STREAM" not in symbols:
        pytest.skip(f"{elf} has no TCP yet (no SOCK_STREAM protocol registered)")
    if app_symbol not in symbols:
        pytest.skip(f"{elf} has no {app} app")


def http_image():
    """The default site plus the 10 MiB file."""
    return variant_image("httpd-impairment", "APP=httpd",
                         f"HTTPD_GENERATED=1m.bin:1048576 {BIG_FILE.lstrip('/')}:{BIG_FILE_BYTES}")


def big_file_expected(image):
    """The SHA-256 of the 10 MiB file embedded in image, or None."""
    generated = pathlib.Path(image).parent / "gen" / "httpd_site_generated" / BIG_FILE.lstrip("/")
    return hashlib.sha256(generated.read_bytes()).hexdigest() if generated.exists() else None


def assert_impaired(before, after):
    for name in ("to_guest", "from_guest"):
        dropped = after[name]["dropped"] - before[name]["dropped"]
        reordered = after[name]["reordered"] - before[name]["reordered"]
        assert dropped >= 1 and reordered >= 1, f"{name}: the transfer saw no impairment: {after}"


def test_http_10mib_under_loss(guest):
    require_tcp_and(guest.image, "site_files", "httpd")
    expected = big_file_expected(guest.image)
    assert expected is not None, f"{guest.image} was built without {BIG_FILE}"
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    guest.set_impairment(**IMPAIRED)
    before = guest.relay_stats()
    started = time.monotonic()
    result = guest.run(["sh", "-c", f"curl -sS --max-time {TRANSFER_TIMEOUT} -o - "
                        f"http://{GUEST_IP}{BIG_FILE} | sha256sum"], timeout=TRANSFER_TIMEOUT + 20)
    after = guest.relay_stats()
    print(f"{guest.nic}: 10 MiB in {time.monotonic() - started:.1f} s; relay {counter_delta(before, after)}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == expected, f"10 MiB body differs; curl: {result.stderr}"
    assert_impaired(before, after)


@pytest.mark.parametrize("nic", NICS)
def test_echo_bulk_under_loss(request, nic):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    image = variant_image("echo", "APP=echo")
    require_tcp_and(image, "main", "echo")
    net = ImpairedGuestNetwork(nic=nic, machine="pc", seed=SEED, image=image)
    failed_before = request.session.testsfailed
    try:
        net.start(timeout=60)
        net.ping(count=1, deadline=10)
        net.set_impairment(**IMPAIRED)
        before = net.relay_stats()
        job = {"guest": GUEST_IP, "port": ECHO_PORT, "bytes": ECHO_BYTES, "timeout": 30}
        result = net.run([sys.executable, "-c", ECHO_SCRIPT], input=json.dumps(job),
                         timeout=TRANSFER_TIMEOUT)
        after = net.relay_stats()
        print(f"{nic}: echo of {ECHO_BYTES} bytes; relay {counter_delta(before, after)}")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["received_bytes"] == ECHO_BYTES, report
        assert report["received"] == report["sent"], "echoed bytes differ from the bytes sent"
        assert_impaired(before, after)
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()
