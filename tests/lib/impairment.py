"""A lossy link between the guest and the host, for loss and reordering tests.

The host kernel has no sch_netem, so the impairment lives in a relay process
that every frame goes through:

    guest NIC -- QEMU -netdev dgram (UDP on the namespace's 127.0.0.1) --
        relay (this file, run inside the namespace) -- tap (host 10.99.0.1)

QEMU sends each Ethernet frame as one UDP datagram to the relay's port and
receives the relay's datagrams on its own port; the relay attaches to the
harness's tap (TUNSETIFF, IFF_TAP | IFF_NO_PI: one read or write is one
frame). Each direction ("to_guest": tap -> QEMU, "from_guest": QEMU -> tap)
has its own seeded RNG and applies, in this order:

  drop     each frame is lost with probability `drop`;
  delay    each frame is released `delay_ms` later (a timer heap);
  reorder  a released frame is held with probability `reorder` and sent just
           after the next frame of the same direction (or, when none comes
           within `hold_ms`, on its own: counted as "held_flushed", not
           reordered).

Everything is bounded: at most `max_queue` frames wait in the delay heap per
direction (more are dropped and counted as "overflow"), one frame is held per
direction. The relay counts per direction: received, dropped, delayed,
reordered, held_flushed, overflow, sent. It is controlled through its stdin,
one command a line, each answered by one JSON line on stdout: "stats" (the
counters), "set drop=P reorder=P delay_ms=MS" (new settings, e.g. to boot
on a clean link and impair it afterwards; answers the settings); "quit" (or
end of file, i.e. the test process went away) makes it exit.

ImpairedGuestNetwork is GuestNetwork (netharness.py) with the relay in front
of the tap: QEMU gets a dgram netdev instead of the tap, the relay is started
inside the namespace before QEMU and stopped (by its own pid) before the
namespace is deleted.

    with ImpairedGuestNetwork(drop=0.02, reorder=0.05, delay_ms=5, seed=1) as net:
        net.start()
        net.ping(count=200, interval=0.01)
        counters = net.relay_stats()   # {"to_guest": {...}, "from_guest": {...}}
"""
import argparse
import fcntl
import heapq
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
MAX_FRAME = 65536
LOOPBACK = "127.0.0.1"
# Ports on the namespace's own loopback: the namespace is private to one
# guest, so fixed numbers cannot collide.
RELAY_PORT = 47001
QEMU_PORT = 47002
DIRECTIONS = ("to_guest", "from_guest")
COUNTERS = ("received", "dropped", "delayed", "reordered", "held_flushed", "overflow", "sent")


class Direction:
    """One direction of the link: its RNG, delay heap, held frame, counters
    and how to emit a frame at the far end."""

    def __init__(self, name, emit, seed, drop, reorder, delay_s, hold_s, max_queue):
        self.name = name
        self.emit = emit
        self.random = random.Random(f"{seed}:{name}")
        self.drop = drop
        self.reorder = reorder
        self.delay_s = delay_s
        self.hold_s = hold_s
        self.max_queue = max_queue
        self.heap = []
        self.sequence = 0
        self.held = None          # (frame, deadline)
        self.counters = dict.fromkeys(COUNTERS, 0)

    def receive(self, frame, now):
        self.counters["received"] += 1
        if self.drop and self.random.random() < self.drop:
            self.counters["dropped"] += 1
            return
        if self.delay_s <= 0:
            self.release(frame, now)
            return
        if len(self.heap) >= self.max_queue:
            self.counters["overflow"] += 1
            return
        self.counters["delayed"] += 1
        self.sequence += 1
        heapq.heappush(self.heap, (now + self.delay_s, self.sequence, frame))

    def release(self, frame, now):
        """The reorder stage: a held frame goes out right after this one."""
        if self.held is not None:
            held_frame, _ = self.held
            self.held = None
            self.send(frame)
            self.send(held_frame)
            self.counters["reordered"] += 1
            return
        if self.reorder and self.random.random() < self.reorder:
            self.held = (frame, now + self.hold_s)
            return
        self.send(frame)

    def send(self, frame):
        self.counters["sent"] += 1
        self.emit(frame)

    def run_timers(self, now):
        while self.heap and self.heap[0][0] <= now:
            _, _, frame = heapq.heappop(self.heap)
            self.release(frame, now)
        if self.held is not None and self.held[1] <= now:
            frame, _ = self.held
            self.held = None
            self.counters["held_flushed"] += 1
            self.send(frame)

    def next_deadline(self):
        deadlines = [self.heap[0][0]] if self.heap else []
        if self.held is not None:
            deadlines.append(self.held[1])
        return min(deadlines, default=None)


def open_tap(name):
    """Attaches to the existing tap `name` (made by the harness)."""
    fd = os.open("/dev/net/tun", os.O_RDWR)
    request = struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, request)
    os.set_blocking(fd, False)
    return fd


class Relay:
    def __init__(self, tap, relay_port, qemu_port, seed, drop, reorder, delay_ms, hold_ms, max_queue):
        self.tap_fd = open_tap(tap)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        self.sock.bind((LOOPBACK, relay_port))
        self.sock.setblocking(False)
        self.qemu_address = (LOOPBACK, qemu_port)
        settings = dict(seed=seed, drop=drop, reorder=reorder, delay_s=delay_ms / 1000.0,
                        hold_s=hold_ms / 1000.0, max_queue=max_queue)
        self.directions = {
            "to_guest": Direction("to_guest", self.to_qemu, **settings),
            "from_guest": Direction("from_guest", self.to_tap, **settings),
        }

    def to_qemu(self, frame):
        try:
            self.sock.sendto(frame, self.qemu_address)
        except OSError:
            pass  # QEMU not listening yet, or its socket buffer is full: a lost frame

    def to_tap(self, frame):
        try:
            os.write(self.tap_fd, frame)
        except OSError:
            pass  # tap queue full: a lost frame, as on a real link

    def stats(self):
        return {name: dict(direction.counters) for name, direction in self.directions.items()}

    def _drain_tap(self, now):
        for _ in range(64):
            try:
                frame = os.read(self.tap_fd, MAX_FRAME)
            except BlockingIOError:
                return
            self.directions["to_guest"].receive(frame, now)

    def _drain_socket(self, now):
        for _ in range(64):
            try:
                frame = self.sock.recv(MAX_FRAME)
            except BlockingIOError:
                return
            self.directions["from_guest"].receive(frame, now)

    def _commands(self, control_fd):
        """Runs the complete command lines that arrived; returns False when
        the relay should exit ("quit", or the controlling process is gone)."""
        data = os.read(control_fd, 4096)
        if not data:
            return False
        self.control_buffer = (self.control_buffer + data)[-4096:]   # commands are short lines
        while b"\n" in self.control_buffer:
            line, _, self.control_buffer = self.control_buffer.partition(b"\n")
            command = line.strip()
            if command == b"quit":
                return False
            if command == b"stats":
                self._reply(self.stats())
            elif command.startswith(b"set "):
                self._reply(self.configure(command[4:].decode()))
        return True

    @staticmethod
    def _reply(answer):
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()

    def configure(self, text):
        """"drop=P reorder=P delay_ms=MS" for both directions, from now on
        (frames already waiting keep their release time); returns the settings."""
        for pair in text.split():
            name, _, value = pair.partition("=")
            try:
                value = float(value)
            except ValueError:
                return {"error": f"bad value in {pair!r}"}
            if name not in ("drop", "reorder", "delay_ms") or value < 0:
                return {"error": f"bad setting {pair!r}"}
            for direction in self.directions.values():
                if name == "delay_ms":
                    direction.delay_s = value / 1000.0
                else:
                    setattr(direction, name, value)
        first = self.directions["to_guest"]
        return {"drop": first.drop, "reorder": first.reorder, "delay_ms": first.delay_s * 1000.0}

    def run(self, control_fd):
        self.control_buffer = b""
        sys.stdout.write("relay: ready\n")
        sys.stdout.flush()
        while True:
            now = time.monotonic()
            for direction in self.directions.values():
                direction.run_timers(now)
            deadlines = [d.next_deadline() for d in self.directions.values()]
            deadlines = [d for d in deadlines if d is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else 1.0
            readable, _, _ = select.select([self.tap_fd, self.sock, control_fd], [], [], timeout)
            now = time.monotonic()
            if self.tap_fd in readable:
                self._drain_tap(now)
            if self.sock in readable:
                self._drain_socket(now)
            if control_fd in readable and not self._commands(control_fd):
                return


def main(argv=None):
    parser = argparse.ArgumentParser(description="frame relay with loss, delay and reordering")
    parser.add_argument("--tap", required=True)
    parser.add_argument("--relay-port", type=int, default=RELAY_PORT)
    parser.add_argument("--qemu-port", type=int, default=QEMU_PORT)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop", type=float, default=0.0)
    parser.add_argument("--reorder", type=float, default=0.0)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--hold-ms", type=float, default=50.0)
    parser.add_argument("--max-queue", type=int, default=4096)
    args = parser.parse_args(argv)
    relay = Relay(args.tap, args.relay_port, args.qemu_port, args.seed, args.drop, args.reorder,
                  args.delay_ms, args.hold_ms, args.max_queue)
    relay.run(sys.stdin.fileno())


if __name__ == "__main__":
    main()
else:
    from netharness import GuestNetwork, HarnessError

    class ImpairedGuestNetwork(GuestNetwork):
        """GuestNetwork whose NIC reaches the tap through the relay."""

        def __init__(self, drop=0.0, reorder=0.0, delay_ms=0.0, seed=1, hold_ms=50.0, max_queue=4096,
                     **kwargs):
            super().__init__(**kwargs)
            self.impairment = dict(drop=drop, reorder=reorder, delay_ms=delay_ms, seed=seed,
                                   hold_ms=hold_ms, max_queue=max_queue)
            self.relay = None

        def qemu_command(self):
            cmd = super().qemu_command()
            netdev = cmd.index("-netdev") + 1
            if not cmd[netdev].startswith("tap,id=n0,"):
                raise HarnessError(f"unexpected netdev {cmd[netdev]!r}: cannot put the relay in front")
            cmd[netdev] = ("dgram,id=n0,local.type=inet,local.host={h},local.port={q},"
                           "remote.type=inet,remote.host={h},remote.port={r}").format(
                               h=LOOPBACK, q=QEMU_PORT, r=RELAY_PORT)
            return cmd

        def _create_namespace(self):
            super()._create_namespace()
            self._start_relay()

        def _start_relay(self):
            settings = self.impairment
            cmd = ["ip", "netns", "exec", self.namespace, sys.executable or "/usr/bin/python3",
                   os.path.abspath(__file__), "--tap", self.tap, "--seed", str(settings["seed"]),
                   "--drop", str(settings["drop"]), "--reorder", str(settings["reorder"]),
                   "--delay-ms", str(settings["delay_ms"]), "--hold-ms", str(settings["hold_ms"]),
                   "--max-queue", str(settings["max_queue"])]
            # ip netns exec execs in place: this pid is the relay's.
            self.relay = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            ready = self._relay_readline(timeout=10)
            if ready.strip() != "relay: ready":
                raise HarnessError(f"impairment relay did not start: {ready!r}")

        def _relay_readline(self, timeout):
            readable, _, _ = select.select([self.relay.stdout], [], [], timeout)
            if not readable:
                raise HarnessError("impairment relay did not answer")
            return self.relay.stdout.readline()

        def _relay_command(self, command):
            if self.relay is None or self.relay.poll() is not None:
                raise HarnessError("impairment relay is not running")
            self.relay.stdin.write(command + "\n")
            self.relay.stdin.flush()
            return json.loads(self._relay_readline(timeout=10))

        def relay_stats(self):
            """The relay's counters: {"to_guest": {...}, "from_guest": {...}}."""
            return self._relay_command("stats")

        def set_impairment(self, drop=0.0, reorder=0.0, delay_ms=0.0):
            """Changes the impairment of both directions from now on."""
            answer = self._relay_command(f"set drop={drop} reorder={reorder} delay_ms={delay_ms}")
            if "error" in answer:
                raise HarnessError(answer["error"])
            self.impairment.update(answer)
            return answer

        def stop(self):
            if self.relay is not None:
                if self.relay.poll() is None:
                    try:
                        self.relay.stdin.write("quit\n")
                        self.relay.stdin.flush()
                        self.relay.wait(timeout=5)
                    except (OSError, subprocess.TimeoutExpired):
                        self.relay.kill()
                        self.relay.wait(timeout=5)
                self.relay = None
            super().stop()
