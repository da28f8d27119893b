#!/usr/bin/python3
"""soak.py - `make soak` (issue 14 point 7): one keel image under every load
at once for a long time, then checks that nothing stayed behind.

    soak.py [--duration 3600] [--nic e1000|virtio-net-pci|e1000e] [--image build/keel.elf]
            [--quiet 30] [--interval 5] [--seed 1] [--results build/soak]

The guest boots in a private network namespace (tests/lib/netharness.py)
with the impairment relay in front of its tap (tests/lib/impairment.py; the
link is clean except from 1/3 to 2/3 of the run: 1% loss, 3% reordering,
5 ms delay both ways), with the in-kernel test services (UDP echo on 7,
TCP echo on 9000, shutdown on UDP 9) and timers shortened so that the
quiet period can outlast them (TIME_WAIT 2 s, FIN_WAIT_2 5 s, SYN-ACK
retries 2, fragments kept 10 s). Timeline:

  1. boot; warm-up: one request of each kind (lazily made tables exist);
     quiet; the baseline stats block;
  2. DURATION seconds of every load at once (tests/soak/loads.py): wrk
     keep-alive, short connections, slow readers (httpd and TCP echo), UDP
     echo with fragmented sizes, a ping flood, scapy junk. Meanwhile a new
     stats block must come every interval (else: hang), QEMU must live;
  3. the loads end by themselves (or are stopped by pid); --quiet seconds
     of silence; then curl, ping and UDP echo must be answered; the end
     block; a datagram to the shutdown port and the shutdown dump;
  4. checks (tests/soak/checks.py) on the end block and the dump against
     the baseline; the summary is printed and written with the serial log
     to RESULTS/<date>-<nic>.txt. Exit status 1 when a check failed.
"""
import argparse
import datetime
import os
import pathlib
import re
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))
sys.path.insert(0, str(HERE))

import checks  # noqa: E402
import loads as soak_loads  # noqa: E402
from impairment import ImpairedGuestNetwork  # noqa: E402
from netharness import GUEST_IP, GUEST_MAC, HarnessError  # noqa: E402

UDP_ECHO_PORT = 7
TCP_ECHO_PORT = 9000
SHUTDOWN_PORT = 9
TIME_WAIT_MS = 2000
CMDLINE = " ".join([
    f"keel.udp.testecho={UDP_ECHO_PORT}", f"keel.tcp.testlisten={TCP_ECHO_PORT}",
    f"keel.udp.testshutdown={SHUTDOWN_PORT}", f"keel.tcp.timewait_ms={TIME_WAIT_MS}",
    "sysctl.net.ipv4.tcp_fin_timeout=5", "sysctl.net.ipv4.tcp_synack_retries=2", "sysctl.net.ipv4.ipfrag_time=10",
])
IMPAIRED = dict(drop=0.01, reorder=0.03, delay_ms=5.0)
CLEAN = dict(drop=0.0, reorder=0.0, delay_ms=0.0)
SHUTDOWN_LINE = "keel: shutting down"
STATS_END = re.compile(r"^netdev stats end #(\d+)$", re.M)
# Time the loads get to end by themselves after DURATION: slow readers end
# with the load, a short request has 20 s to complete, wrk 10 s.
LOAD_GRACE_SECONDS = 45


class SoakGuest(ImpairedGuestNetwork):
    """The relay in front of the tap, without the harness's pcap (an hour
    of wrk would fill the disk)."""

    def qemu_command(self):
        cmd = super().qemu_command()
        for index, word in enumerate(cmd):
            if word == "-object" and cmd[index + 1].startswith("filter-dump,"):
                del cmd[index:index + 2]
                break
        return cmd


def say(text):
    print(f"soak: {text}", flush=True)


def probe(net, seconds=3):
    """curl, ping and a UDP echo exchange: what answered."""
    http = net.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                    f"http://{GUEST_IP}/"], timeout=20).stdout.strip()
    ping = net.ping(count=5, interval=0.2, deadline=15)
    udp = net.run(["/usr/bin/python3", str(HERE / "clients.py"), "udp", "--guest", GUEST_IP,
                   "--seconds", str(seconds), "--max-count", "7", "--rate", "5"], timeout=30)
    return {"http": http, "ping": (ping["transmitted"], ping["received"]),
            "udp": soak_loads.parse_json_line(udp.stdout) if "{" in udp.stdout else {}}


def warm_up(net):
    """One of each kind of request, so that tables the stack and httpd make
    on first use exist before the baseline."""
    net.run(["curl", "-s", "-o", "/dev/null", "--max-time", "20", f"http://{GUEST_IP}/1m.bin"], timeout=30)
    net.run(["/usr/bin/python3", str(HERE / "clients.py"), "short", "--guest", GUEST_IP,
             "--seconds", "5", "--max-count", "3"], timeout=30)
    net.run(["/usr/bin/python3", str(HERE / "clients.py"), "slow", "--guest", GUEST_IP,
             "--seconds", "1", "--max-count", "2", "--parallel", "2", "--hold", "3"], timeout=30)
    probe(net)


class Watch:
    """Follows the serial log while the loads run: each new stats block's
    host time; a gap longer than `limit` seconds is a hang."""

    def __init__(self, net, limit):
        self.net = net
        self.limit = limit
        self.offset = len(net.log)
        self.last_block_at = time.monotonic()
        self.longest_gap = 0.0
        self.hang = None

    def poll(self):
        log = self.net.log
        new_blocks = STATS_END.findall(log, self.offset)
        self.offset = max(self.offset, log.rfind("\n") + 1)
        now = time.monotonic()
        if new_blocks:
            self.longest_gap = max(self.longest_gap, now - self.last_block_at)
            self.last_block_at = now
        elif now - self.last_block_at > self.limit and self.hang is None:
            self.hang = f"no stats block for {now - self.last_block_at:.0f} s"
        if self.net.process.poll() is not None and self.hang is None:
            self.hang = f"QEMU exited ({self.net.process.returncode}) during the run"


def run_loads(net, args, workdir):
    """Phase 2: every load for args.duration seconds; returns (loads, hang)."""
    host_mac = net.run(["cat", f"/sys/class/net/{net.tap}/address"], check=True).stdout.strip()
    loads = soak_loads.soak_loads(net.namespace, net.tap, GUEST_IP, GUEST_MAC, host_mac, args.duration,
                                  workdir, seed=args.seed)
    watch = Watch(net, limit=max(60.0, 10 * args.interval))
    started = time.monotonic()
    impaired_from, impaired_until = started + args.duration / 3, started + 2 * args.duration / 3
    phase = "clean"
    try:
        for load in loads:
            load.start()
        say(f"{len(loads)} loads started for {args.duration} s: " + ", ".join(load.name for load in loads))
        while time.monotonic() - started < args.duration and watch.hang is None:
            now = time.monotonic()
            if phase == "clean" and impaired_from <= now < impaired_until:
                net.set_impairment(**IMPAIRED)
                phase = "impaired"
                say(f"link impaired: {IMPAIRED}")
            elif phase == "impaired" and now >= impaired_until:
                net.set_impairment(**CLEAN)
                phase = "clean again"
                say("link clean again")
            watch.poll()
            time.sleep(1.0)
        if phase == "impaired":
            net.set_impairment(**CLEAN)
        deadline = time.monotonic() + LOAD_GRACE_SECONDS
        while any(load.running() for load in loads) and time.monotonic() < deadline and watch.hang is None:
            watch.poll()
            time.sleep(1.0)
        for load in loads:
            load.finish(grace=max(0.0, deadline - time.monotonic()))
    except BaseException:
        for load in loads:
            load.kill()
        raise
    hang = watch.hang
    unfinished = [f"{load.name}: {load.problem}" for load in loads if load.problem]
    if unfinished and hang is None:
        hang = "; ".join(unfinished)
    say(f"loads done; longest gap between stats blocks {watch.longest_gap:.1f} s")
    return loads, hang


def shutdown_dump(net):
    """Asks the guest to shut down; returns the dump block printed after it."""
    start = len(net.log)
    net.run(["/usr/bin/python3", "-c", "import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
             f".sendto(b'soak done', ('{GUEST_IP}', {SHUTDOWN_PORT}))"], timeout=10)
    try:
        after = net.wait_for_log(SHUTDOWN_LINE, timeout=30, start=start)
        net.wait_for_log(STATS_END, timeout=30, start=after)
    except HarnessError:
        return None
    blocks = checks.parse_blocks(net.log[after:])
    return blocks[0][2] if blocks else None


def latest_block(net):
    """The next complete periodic block, or {} when none comes (QEMU gone,
    guest hung): every check on it then fails."""
    try:
        net.wait_for_stats(timeout=60)
    except HarnessError as error:
        say(f"no stats block: {str(error).splitlines()[0]}")
        return {}
    return checks.parse_blocks(net.log)[-1][2]


def after_the_loads(net, args):
    """Phase 3: quiet, the probes, the end block, the shutdown dump."""
    say(f"quiet for {args.quiet} s")
    time.sleep(args.quiet)
    try:
        alive = probe(net)
    except (subprocess.TimeoutExpired, HarnessError) as error:
        say(f"probe failed: {error}")
        alive = {"http": "none", "ping": (0, 0), "udp": {}}
    time.sleep(TIME_WAIT_MS / 1000 + 3)
    end = latest_block(net)
    dump = shutdown_dump(net) if net.process.poll() is None else None
    return alive, end, dump


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=3600)
    parser.add_argument("--nic", default="e1000", choices=["e1000", "virtio-net-pci", "e1000e"])
    parser.add_argument("--image", default=str(ROOT / "build" / "keel.elf"))
    parser.add_argument("--quiet", type=int, default=30, help="seconds of silence before the end checks")
    parser.add_argument("--interval", type=int, default=5, help="keel.stats= seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", default=str(ROOT / "build" / "soak"))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("soak: needs root (network namespaces, a tap)")
    if not pathlib.Path(args.image).is_file():
        sys.exit(f"soak: {args.image} is missing (make)")
    results = pathlib.Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d-%H%M")
    began = time.monotonic()
    net = SoakGuest(nic=args.nic, machine="q35" if args.nic == "e1000e" else "pc", image=args.image,
                    cmdline=CMDLINE, stats_interval=args.interval, seed=args.seed, **CLEAN)
    try:
        net.start(timeout=120)
        say(f"{args.nic} guest up (namespace {net.namespace}); warm-up")
        warm_up(net)
        time.sleep(TIME_WAIT_MS / 1000 + 3)
        baseline = latest_block(net)
        if not baseline:
            raise HarnessError("no baseline stats block")
        say("baseline taken")
        loads, hang = run_loads(net, args, net.workdir)
        relay = net.relay_stats()
        alive, end, dump = after_the_loads(net, args)
        log = net.log
    except BaseException:
        net.keep_artifacts = True      # stop() keeps the serial log and says where
        raise
    finally:
        net.stop()
    blocks = checks.parse_blocks(log)
    load_counters = {load.name: load.counters for load in loads}
    result = checks.run_checks(log, baseline, end, dump, blocks, load_counters,
                               checks.drop_reasons_in_source(ROOT), hang, alive)
    run = {"nic": args.nic, "duration": args.duration, "wall": time.monotonic() - began, "seed": args.seed,
           "impaired": f"from {args.duration // 3} s to {2 * args.duration // 3} s: "
                       + ", ".join(f"{k}={v}" for k, v in IMPAIRED.items())}
    report = checks.summary(run, load_counters, relay, baseline, end, dump, blocks, result)
    print(report, flush=True)
    path = results / f"{stamp}-{args.nic}-{args.duration}s"
    path.with_suffix(".txt").write_text(report + "\n")
    path.with_suffix(".log").write_text(log)
    say(f"summary in {path.with_suffix('.txt')}, serial log in {path.with_suffix('.log')}")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
