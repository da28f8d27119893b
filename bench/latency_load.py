"""latency_load.py - the "latency under load" figures of `make bench`
(issue 11): keel booted with `keel.shape=eth0:20mbit`, so the bottleneck
queue is keel's qdisc, then for its child fq_codel and then pfifo_fast
(switched with the console's `tc qdisc replace dev eth0 parent 1:1 ...`,
one boot): FLOWS parallel downloads of the bench's 1 MiB file, each flow
fetching it again until LOAD_SECONDS are over, while the host pings the
guest from its namespace. Figures: the idle ping RTT median, the ping's
p50 and p99 under load, and the downloads' goodput (Mbit/s).

keel only: the Linux baseline guest (bench/linux_guest.py) has no tc in its
initramfs to put a tbf and fq_codel on its device, so its column stays
empty for these rows.
"""
import statistics
import threading
import time

from netharness import HarnessError  # tests/lib, on the path bench.py set

SHAPE = "keel.shape=eth0:20mbit keel.pkts=4096"
MEMORY_MIB = 256          # the pool pfifo_fast's 1000 frames and 8 windows need
FLOWS = 8
LOAD_SECONDS = 10
SETTLE_SECONDS = 2
PINGS = 40
PING_INTERVAL = 0.15

# One flow: GET the file again and again until the deadline; prints the bytes.
FLOW_SCRIPT = r"""
end=$((SECONDS + {seconds})); total=0
while [ $SECONDS -lt $end ]; do
  got=$(curl -s -o /dev/null --max-time $((end - SECONDS)) -w '%{{size_download}}' {url}) || true
  total=$((total + ${{got%.*}}))
done
echo $total
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def under_load(net, url):
    """{p50_ms, p99_ms, goodput_mbit, pings} with FLOWS flows running."""
    totals = []

    def flow():
        result = net.run(["bash", "-c", FLOW_SCRIPT.format(seconds=LOAD_SECONDS, url=url)],
                         timeout=LOAD_SECONDS + 30)
        totals.append(int(result.stdout.strip() or 0))

    workers = [threading.Thread(target=flow) for _ in range(FLOWS)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    time.sleep(SETTLE_SECONDS)
    rtts = net.ping(count=PINGS, interval=PING_INTERVAL, deadline=int(PINGS * PING_INTERVAL + 10))["rtts_ms"]
    for worker in workers:
        worker.join(timeout=LOAD_SECONDS + 40)
    elapsed = max(LOAD_SECONDS, time.monotonic() - started)
    return {"p50_ms": statistics.median(rtts) if rtts else None,
            "p99_ms": percentile(rtts, 0.99) if rtts else None,
            "goodput_mbit": sum(totals) * 8 / elapsed / 1e6, "pings": len(rtts)}


def measure(make_guest, url, log):
    """make_guest(extra_cmdline, memory_mib) -> a started-on-start() guest
    with console=True. Returns {idle_ms, fq_codel: {...}, pfifo_fast: {...}}."""
    net = make_guest(SHAPE, MEMORY_MIB)
    figures = {}
    try:
        net.start(until=None)
        net.wait_for_log("keel: ready", timeout=60)
        net.console("")
        idle = net.ping(count=40, interval=0.05)["rtts_ms"]
        figures["idle_ms"] = statistics.median(idle) if idle else None
        figures["fq_codel"] = under_load(net, url)
        log(f"  shaped 20 Mbit, {FLOWS} flows, fq_codel: {figures['fq_codel']}")
        refused = net.console("tc qdisc replace dev eth0 parent 1:1 pfifo_fast")
        if refused:   # tc prints nothing when it replaced the qdisc
            raise HarnessError(f"tc qdisc replace refused: {refused.strip()}")
        time.sleep(2)   # what fq_codel's flows left behind drains
        figures["pfifo_fast"] = under_load(net, url)
        log(f"  shaped 20 Mbit, {FLOWS} flows, pfifo_fast: {figures['pfifo_fast']}")
    finally:
        net.stop()
    return figures


ROWS = [
    ("20M shaped idle ping ms", ("shaped", "idle_ms"), "{:.3f}", False),
    ("fq_codel 8fl p50 ms", ("shaped", "fq_codel", "p50_ms"), "{:.3f}", False),
    ("fq_codel 8fl p99 ms", ("shaped", "fq_codel", "p99_ms"), "{:.3f}", False),
    ("fq_codel goodput Mbit/s", ("shaped", "fq_codel", "goodput_mbit"), "{:.1f}", True),
    ("pfifo_fast 8fl p50 ms", ("shaped", "pfifo_fast", "p50_ms"), "{:.3f}", False),
    ("pfifo_fast 8fl p99 ms", ("shaped", "pfifo_fast", "p99_ms"), "{:.3f}", False),
    ("pfifo_fast goodput Mb/s", ("shaped", "pfifo_fast", "goodput_mbit"), "{:.1f}", True),
]
