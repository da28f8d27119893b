"""Boot-time measurement from QEMU's exec to the guest's first HTTP 200,
shared by bench/bench.py, bench/boot_time.py and tests/qemu/test_microvm.py.

Precise to about a millisecond, on both ends:
- the start is QEMU's exec, not the spawn of `ip netns exec`: exec_stamped()
  wraps QEMU's command in a tiny Python that writes time.time() to a file
  immediately before it execs QEMU in place (the wrapper's own start-up is
  before the stamp, so it is not counted);
- the end is seen by a poller started in the namespace before QEMU: GET on
  the first connection that gets through, and the wall-clock time of the
  first "200" status line. A connection refused (the guest's RST: its NIC
  is up, nobody listens yet) is retried at once, so from the moment the
  guest can answer, one SYN is always on its way and the listener is found
  within a round trip. Besides, a new attempt every POLL_INTERVAL_S, each
  given up after ATTEMPT_TIMEOUT_S (long enough for a SYN that waited in
  the tap's queue to be answered), for a guest that drops SYNs silently (a
  SYN sent before the guest listens would otherwise wait for TCP's 1 s
  retransmission). Few attempts, on purpose: every SYN sent before the
  guest's NIC is up waits in the tap's queue, and a burst of them delivered
  at once delays the guest (seen: dozens of SYNs queued by a 2 ms interval held
  the ARP reply the first SYN-ACK waited for by ~15 ms under TCG).

Both ends read time.time() (CLOCK_REALTIME), the same clock in every
network namespace.
"""
import json
import os
import subprocess
import sys

POLL_INTERVAL_S = 0.010
ATTEMPT_TIMEOUT_S = 0.25
# Attempts in flight below which a refused one is retried at once.
RETRY_IN_FLIGHT_MAX = 2

# Writes the time and its own CPU time so far (the process's CPU figures
# count it), then becomes QEMU (same pid, so the harness's kill and wait
# still reach QEMU).
EXEC_STAMP = ("import os, sys, time\n"
              "with open(sys.argv[1], 'w') as f: f.write(f'{time.time()!r} {time.process_time()!r}')\n"
              "os.execvp(sys.argv[2], sys.argv[2:])\n")

POLLER = r"""
import json, selectors, socket, sys, time
guest, path, limit, interval, attempt_timeout = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:6])
retry_in_flight_max = int(sys.argv[6])
request = f"GET {path} HTTP/1.1\r\nHost: {guest}\r\nConnection: close\r\n\r\n".encode()
selector = selectors.DefaultSelector()
print("poller: ready", flush=True)
start = time.monotonic()
next_attempt, attempts = start, 0
while time.monotonic() - start < limit:
    now = time.monotonic()
    if now >= next_attempt:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((guest, 80))
        selector.register(s, selectors.EVENT_WRITE, {"deadline": now + attempt_timeout, "state": "connect", "data": b""})
        next_attempt, attempts = now + interval, attempts + 1
    for key, _ in selector.select(max(0.0, next_attempt - time.monotonic())):
        s, info = key.fileobj, key.data
        if info["state"] == "connect":
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                selector.unregister(s); s.close()
                if len(selector.get_map()) < retry_in_flight_max:
                    next_attempt = time.monotonic()
                continue
            s.send(request)
            info.update(state="read", deadline=time.monotonic() + 5)
            selector.modify(s, selectors.EVENT_READ, info)
            continue
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        info["data"] += data
        if b"\r\n" in info["data"] or not data:
            if info["data"].split(b" ")[1:2] == [b"200"]:
                print(json.dumps({"first_200": time.time(), "attempts": attempts}), flush=True)
                sys.exit(0)
            selector.unregister(s); s.close()
    now = time.monotonic()
    for key in list(selector.get_map().values()):
        if key.data["deadline"] < now:
            selector.unregister(key.fileobj); key.fileobj.close()
print(json.dumps({"first_200": None, "attempts": attempts}), flush=True)
"""


class MeasurementError(Exception):
    pass


def exec_stamped(command, stamp_path):
    """command (a list starting with QEMU) run so that stamp_path receives
    time.time() at the moment QEMU is exec'd."""
    return [sys.executable, "-I", "-S", "-c", EXEC_STAMP, str(stamp_path), *command]


def read_exec_stamp(stamp_path, with_cpu=False):
    """The time QEMU was exec'd, or None when the wrapper has not run yet;
    with_cpu: (that time, CPU seconds the wrapper used before it)."""
    try:
        fields = open(stamp_path).read().split()
    except OSError:
        fields = []
    if len(fields) != 2:
        return (None, None) if with_cpu else None
    return (float(fields[0]), float(fields[1])) if with_cpu else float(fields[0])


def start_poller(namespace, guest_ip, path, limit_s, python=None):
    """Starts the poller in namespace; returns it once it is ready (before
    QEMU is started, so no response can be missed)."""
    poller = subprocess.Popen(
        ["ip", "netns", "exec", namespace, python or sys.executable, "-c", POLLER, guest_ip, path,
         str(limit_s), str(POLL_INTERVAL_S), str(ATTEMPT_TIMEOUT_S), str(RETRY_IN_FLIGHT_MAX)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    if poller.stdout.readline().strip() != "poller: ready":
        poller.kill()
        poller.wait()
        raise MeasurementError("first-200 poller did not start")
    return poller


def poller_result(poller, timeout_s):
    """time.time() of the first 200, or None (none within the poller's limit)."""
    try:
        out, _ = poller.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        poller.kill()
        poller.wait()
        return None
    lines = out.strip().splitlines()
    return json.loads(lines[-1]).get("first_200") if lines else None


def qemu_cpu_seconds(pid, stamp_path):
    """CPU time QEMU's threads have run so far (/proc/PID/task/*/schedstat,
    nanoseconds, less the exec wrapper's), or None: with the host loaded
    this is closer to what an idle host's wall-clock figure would be than
    the wall clock is."""
    _, wrapper_cpu = read_exec_stamp(stamp_path, with_cpu=True)
    if wrapper_cpu is None:
        return None
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9 - wrapper_cpu
