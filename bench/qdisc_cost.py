"""qdisc_cost.py - what the default qdisc costs the app on an unshaped
link (issue 11: "the req/s figures show no regression with fq_codel"): wrk
on the 1 KiB file with 1 and with 64 connections, keel only, on two boots of
the same image that differ only in sysctl.net.core.default_qdisc
(fq_codel, the default, and pfifo_fast), measured in alternation
(fq_codel, pfifo_fast, fq_codel, pfifo_fast) so that a drift of the host
shows as a spread rather than as a difference; each figure is the mean of
its kind's two runs. The Linux baseline column stays empty.
"""
import statistics

QDISCS = ("fq_codel", "pfifo_fast")
ROUNDS = 2
CONNECTIONS = (1, 64)


def _one_boot(make_guest, run_wrk, qdisc, path, duration):
    net = make_guest(f"sysctl.net.core.default_qdisc={qdisc}")
    try:
        net.start(until="keel: ready", timeout=60)
        return {connections: run_wrk(net, 1 if connections == 1 else 2, connections, path, duration)
                for connections in CONNECTIONS}
    finally:
        net.stop()


def measure(make_guest, run_wrk, path, duration, log):
    """make_guest(extra_cmdline) -> a guest (not started); run_wrk(net,
    threads, connections, path, duration) -> wrk figures."""
    runs = {qdisc: [] for qdisc in QDISCS}
    for round_number in range(ROUNDS):
        for qdisc in QDISCS:
            runs[qdisc].append(_one_boot(make_guest, run_wrk, qdisc, path, duration))
            log(f"  unshaped qdisc round {round_number + 1}, {qdisc}: "
                + ", ".join(f"c{c} {runs[qdisc][-1][c]['requests_per_second']:.0f} req/s" for c in CONNECTIONS))
    figures = {}
    for qdisc in QDISCS:
        for connections in CONNECTIONS:
            for key in ("requests_per_second", "p99_ms"):
                values = [run[connections][key] for run in runs[qdisc] if run[connections].get(key) is not None]
                figures.setdefault(qdisc, {}).setdefault(f"c{connections}", {})[key] = \
                    statistics.mean(values) if values else None
                figures[qdisc][f"c{connections}"][f"{key}_runs"] = values
    return figures


ROWS = [
    (f"c{c} {label} {qdisc}", ("unshaped_qdisc", qdisc, f"c{c}", key), fmt, higher_better)
    for c in CONNECTIONS
    for label, key, fmt, higher_better in (("req/s", "requests_per_second", "{:.0f}", True),
                                           ("p99 ms", "p99_ms", "{:.3f}", False))
    for qdisc in QDISCS
]
