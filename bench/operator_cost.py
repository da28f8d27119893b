"""operator_cost.py - what operating keel costs the app (issue 13): wrk
-t2 -c64 on the 1 KiB file, keel only, in four conditions measured back to
back on the same NIC:

  console off      a boot with keel.console=off (the serial port only prints);
  console on       a boot with the console and the management port
                   (keel.admin=) up but idle: the default an operator runs;
  /metrics 1/s     the same boot while the host scrapes GET /metrics once a
                   second, as Prometheus would;
  capture on       the same boot while a GET /pcap of the app's port 80
                   traffic streams to the host (copying every frame into the
                   capture buffer; what the buffer cannot hold is dropped and
                   counted, never waited for).

The Linux baseline has no equivalent of these (its column stays empty).
"""
import re
import threading

ADMIN_PORT = 9100
SCRAPE_SCRIPT = r"""
end=$((SECONDS + {seconds})); scrapes=0
while [ $SECONDS -lt $end ]; do
  curl -s -o /dev/null --max-time 2 http://{guest}:{port}/metrics && scrapes=$((scrapes + 1))
  sleep 1
done
echo $scrapes
"""


def _background(net, script, timeout, results, key):
    def run():
        result = net.run(["bash", "-c", script], timeout=timeout)
        results[key] = result.stdout.strip()
    worker = threading.Thread(target=run)
    worker.start()
    return worker


def _capture_counters(net, guest_ip):
    text = net.run(["curl", "-s", "--max-time", "5", f"http://{guest_ip}:{ADMIN_PORT}/metrics"]).stdout
    return {name: int(float(value)) for name, value in
            re.findall(r"^(keel_capture_(?:frames|dropped_frames)_total) (\S+)$", text, re.M)}


def measure(make_guest, run_wrk, guest_ip, path, duration, log):
    """make_guest(extra_cmdline) -> a guest (not started) with console=True;
    run_wrk(net, threads, connections, path, duration) -> wrk figures."""
    figures = {}
    net = make_guest("keel.console=off")
    try:
        net.start(until="keel: ready", timeout=60)
        figures["console_off"] = run_wrk(net, 2, 64, path, duration)
    finally:
        net.stop()
    log(f"  operator cost, console off: {figures['console_off']}")
    net = make_guest(f"keel.admin={guest_ip}:{ADMIN_PORT}")
    try:
        net.start(until="keel: ready", timeout=60)
        figures["console_on"] = run_wrk(net, 2, 64, path, duration)
        log(f"  operator cost, console + admin idle: {figures['console_on']}")
        background = {}
        scraper = _background(net, SCRAPE_SCRIPT.format(seconds=duration, guest=guest_ip, port=ADMIN_PORT),
                              duration + 30, background, "scrapes")
        figures["metrics_1s"] = run_wrk(net, 2, 64, path, duration)
        scraper.join(timeout=duration + 40)
        figures["metrics_1s"]["scrapes"] = background.get("scrapes")
        log(f"  operator cost, /metrics 1/s: {figures['metrics_1s']}")
        url = f"http://{guest_ip}:{ADMIN_PORT}/pcap?dev=eth0&count=1000000&seconds={duration + 2}&proto=tcp&port=80"
        capture = _background(net, f"curl -s -o /dev/null -w '%{{size_download}}' --max-time {duration + 10} '{url}'",
                              duration + 30, background, "pcap_bytes")
        figures["capture_on"] = run_wrk(net, 2, 64, path, duration)
        capture.join(timeout=duration + 40)
        figures["capture_on"]["pcap_bytes"] = background.get("pcap_bytes")
        figures["capture_on"].update(_capture_counters(net, guest_ip))
        log(f"  operator cost, capture on: {figures['capture_on']}")
    finally:
        net.stop()
    return figures


ROWS = [
    ("c64 req/s console off", ("operator", "console_off", "requests_per_second"), "{:.0f}", True),
    ("c64 req/s console on", ("operator", "console_on", "requests_per_second"), "{:.0f}", True),
    ("c64 req/s /metrics 1/s", ("operator", "metrics_1s", "requests_per_second"), "{:.0f}", True),
    ("c64 req/s capture on", ("operator", "capture_on", "requests_per_second"), "{:.0f}", True),
    ("c64 p99 ms console off", ("operator", "console_off", "p99_ms"), "{:.3f}", False),
    ("c64 p99 ms console on", ("operator", "console_on", "p99_ms"), "{:.3f}", False),
    ("c64 p99 ms /metrics 1/s", ("operator", "metrics_1s", "p99_ms"), "{:.3f}", False),
    ("c64 p99 ms capture on", ("operator", "capture_on", "p99_ms"), "{:.3f}", False),
]
