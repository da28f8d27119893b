#!/usr/bin/python3
"""The soak's own client programs (tests/soak/soak.py runs each inside the
guest's network namespace, as a process of its own that it kills by pid).

    clients.py short --guest IP --seconds S --max-count N [--interval 0.05]
    clients.py slow  --guest IP --seconds S --max-count N [--parallel 3] [--hold 20]
    clients.py udp   --guest IP --seconds S --max-count N [--port 7] [--rate 20]

  short  one new TCP connection a time: GET a file with Connection: close,
         read to the end, check the status line and the body length;
  slow   slow readers: a small receive buffer (so the window closes), then
         a few bytes a second for --hold/2, --hold or 2 x --hold seconds in
         turn (never past the load's end), then close with data
         unread (the host sends RST). Every second reader asks httpd for
         /1m.bin, the others fill the TCP echo (keel.tcp.testlisten=) with
         64 KiB and read the echo back as slowly;
  udp    datagrams of varied sizes (some above the MTU: fragmented both
         ways) to the UDP echo (keel.udp.testecho=), each answer checked
         byte for byte.

Each runs until --seconds have passed or --max-count operations were
started, or SIGTERM, and then prints one JSON line of counters on stdout.
Errors are counted by kind, never raised: a load keeps going.
"""
import argparse
import json
import os
import select
import signal
import socket
import sys
import time

HTTP_PORT = 80
ECHO_TCP_PORT = 9000
CONNECT_TIMEOUT = 10.0
SHORT_FILES = [("/", None), ("/1k.bin", 1024), ("/robots.txt", None)]
SLOW_HTTP_PATH = "/1m.bin"
SLOW_RECEIVE_BUFFER = 4096
SLOW_READ_BYTES = 64        # a second, per reader
SLOW_ECHO_BYTES = 64 * 1024
UDP_SIZES = [8, 64, 512, 1472, 1473, 3000, 8000]
UDP_ANSWER_TIMEOUT = 2.0

stopping = False


def request_stop(signum, frame):
    global stopping
    stopping = True


def count(counters, name, amount=1):
    counters[name] = counters.get(name, 0) + amount


def running(args, started, done):
    return not stopping and time.monotonic() - started < args.seconds and done < args.max_count


# -- short connections --------------------------------------------------------

def read_response(sock, deadline):
    """The whole response of a Connection: close request (status, headers, body)."""
    data = bytearray()
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk
    raise TimeoutError("response not complete in time")


def one_short_request(guest, path, expected_length, timeout):
    deadline = time.monotonic() + timeout
    with socket.create_connection((guest, HTTP_PORT), timeout=CONNECT_TIMEOUT) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {guest}\r\nConnection: close\r\n\r\n".encode())
        response = read_response(sock, deadline)
    head, separator, body = response.partition(b"\r\n\r\n")
    if not separator or not head.startswith(b"HTTP/1.1 200 "):
        return "bad_status"
    lengths = [line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
               if line.lower().startswith(b"content-length:")]
    if len(lengths) != 1 or int(lengths[0]) != len(body):
        return "bad_length"
    if expected_length is not None and len(body) != expected_length:
        return "bad_length"
    return "ok"


def run_short(args):
    counters = {"started": 0, "ok": 0}
    started = time.monotonic()
    while running(args, started, counters["started"]):
        path, expected = SHORT_FILES[counters["started"] % len(SHORT_FILES)]
        count(counters, "started")
        try:
            count(counters, one_short_request(args.guest, path, expected, timeout=20.0))
        except (TimeoutError, socket.timeout):
            count(counters, "timeout")
        except ConnectionRefusedError:
            count(counters, "refused")
        except ConnectionResetError:
            count(counters, "reset")
        except OSError as error:
            count(counters, f"error_{error.errno}")
        time.sleep(args.interval)
    return counters


# -- slow readers -------------------------------------------------------------

class SlowReader:
    """One connection read SLOW_READ_BYTES a second for `hold` seconds."""

    def __init__(self, guest, use_echo, hold, load_ends_at):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Before connect(), so the window scale offered is small too.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SLOW_RECEIVE_BUFFER)
        self.sock.settimeout(CONNECT_TIMEOUT)
        self.kind = "echo" if use_echo else "http"
        self.sock.connect((guest, ECHO_TCP_PORT if use_echo else HTTP_PORT))
        self.sock.setblocking(False)
        if use_echo:
            self.to_send = os.urandom(SLOW_ECHO_BYTES)
        else:
            self.to_send = f"GET {SLOW_HTTP_PATH} HTTP/1.1\r\nHost: {guest}\r\n\r\n".encode()
        self.ends_at = min(time.monotonic() + hold, load_ends_at)
        self.received = 0
        self.outcome = None

    def step(self):
        """Sends what the window takes, reads a little; sets outcome when done."""
        try:
            if self.to_send:
                sent = self.sock.send(self.to_send[:16384])
                self.to_send = self.to_send[sent:]
            data = self.sock.recv(SLOW_READ_BYTES)
            if not data:
                self.outcome = "closed_by_server"
            self.received += len(data)
        except (BlockingIOError, InterruptedError):
            pass
        except ConnectionResetError:
            self.outcome = "reset_by_server"
        except OSError as error:
            self.outcome = f"error_{error.errno}"
        if self.outcome is None and time.monotonic() >= self.ends_at:
            self.outcome = "held_full_time"

    def close(self):
        self.sock.close()


def run_slow(args):
    counters = {"started": 0, "bytes_read": 0}
    readers = []
    started = time.monotonic()
    while readers or running(args, started, counters["started"]):
        while len(readers) < args.parallel and running(args, started, counters["started"]):
            count(counters, "started")
            # Holds of hold/2, hold and 2*hold in turn, none past the load's end.
            hold = args.hold * [0.5, 1, 2][counters["started"] % 3]
            try:
                readers.append(SlowReader(args.guest, counters["started"] % 2 == 0, hold, started + args.seconds))
            except OSError as error:
                count(counters, f"connect_error_{error.errno}")
                break
        for reader in readers:
            reader.step()
        for reader in [r for r in readers if r.outcome or stopping]:
            count(counters, f"{reader.kind}_{reader.outcome or 'stopped'}")
            count(counters, "bytes_read", reader.received)
            reader.close()
            readers.remove(reader)
        time.sleep(1.0)
    return counters


# -- UDP echo -----------------------------------------------------------------

def run_udp(args):
    counters = {"sent": 0, "echoed": 0, "lost": 0, "mismatched": 0}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.guest, args.port))
    started = time.monotonic()
    while running(args, started, counters["sent"]):
        size = UDP_SIZES[counters["sent"] % len(UDP_SIZES)]
        payload = counters["sent"].to_bytes(8, "big") + os.urandom(size - 8)   # a sequence number first
        try:
            sock.send(payload)
        except OSError as error:
            count(counters, f"send_error_{error.errno}")
            time.sleep(1.0 / args.rate)
            continue
        count(counters, "sent")
        deadline = time.monotonic() + UDP_ANSWER_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([sock], [], [], remaining)[0]:
                count(counters, "lost")
                break
            try:
                answer = sock.recv(65536)
            except OSError as error:         # ICMP port unreachable, for instance
                count(counters, f"receive_error_{error.errno}")
                break
            if answer[:8] != payload[:8]:
                count(counters, "late")      # the answer to an earlier datagram
                continue
            count(counters, "echoed" if answer == payload else "mismatched")
            break
        time.sleep(1.0 / args.rate)
    sock.close()
    return counters


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("load", choices=["short", "slow", "udp"])
    parser.add_argument("--guest", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--max-count", type=int, required=True)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--parallel", type=int, default=3)
    parser.add_argument("--hold", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=7)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    counters = {"short": run_short, "slow": run_slow, "udp": run_udp}[args.load](args)
    sys.stdout.write(json.dumps(counters) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
