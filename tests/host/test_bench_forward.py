"""bench/bench_forward.py without QEMU (the bench itself is `make
bench-forward`): its arguments, the dry run's plan, the conntrack size
handed to the Linux router (keel's, read from keel's boot line), and the
table: figures, ratios, and the status of a router that did not forward.
"""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_forward  # noqa: E402

KEEL_CONNTRACK = "conntrack: 65536 entries of 96 bytes, 65536 buckets (6400 KiB)"


def test_dry_run_plans_both_routers_on_both_nics():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_forward.py"), "--keel", "k.elf",
                             "--linux", "linuxdir", "--duration", "3", "--dry-run"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    plans = [line for line in result.stdout.splitlines() if line.startswith("bench-forward: ") and "qemu" in line]
    assert [line.split(":")[1].strip() for line in plans] == ["keel/e1000", "linux/e1000", "keel/virtio-net-pci",
                                                              "linux/virtio-net-pci"]
    assert all(line.count("-device e1000,") == 2 for line in plans[:2])          # one model on both sides
    assert "sysctl.net.ipv4.ip_forward=1" in plans[0]
    assert "linux_guest.router=eth0=10.97.0.1/24,eth1=10.98.0.1/24" in plans[1]
    assert "loads of 3 s" in result.stdout


@pytest.mark.parametrize("argv", [["--duration", "0"], ["--connection-workers", "0"],
                                  ["--linux-conntrack-max", "lots"]])
def test_bad_arguments_refused(argv):
    with pytest.raises(SystemExit) as exit_info:
        bench_forward.parse_arguments(["--keel", "k.elf", *argv])
    assert exit_info.value.code == 2


def test_linux_conntrack_size_follows_keel():
    args = bench_forward.parse_arguments(["--keel", "k.elf", "--linux", "d"])
    assert bench_forward.linux_conntrack_max(args, {"conntrack": KEEL_CONNTRACK}) == 65536
    assert bench_forward.linux_conntrack_max(args, {}) == bench_forward.DEFAULT_CONNTRACK_MAX
    args = bench_forward.parse_arguments(["--keel", "k.elf", "--linux-conntrack-max", "debian"])
    assert bench_forward.linux_conntrack_max(args, {"conntrack": KEEL_CONNTRACK}) is None
    args = bench_forward.parse_arguments(["--keel", "k.elf", "--linux-conntrack-max", "4096"])
    assert bench_forward.linux_conntrack_max(args, {"conntrack": KEEL_CONNTRACK}) == 4096


def test_boot_lines_parsed():
    log = f"[    0.1] nft: ruleset loaded (2 tables, 3 chains, 6 rules)\n[    0.2] {KEEL_CONNTRACK}\n"
    assert bench_forward.ruleset_line(log) == "nft: ruleset loaded (2 tables, 3 chains, 6 rules)"
    assert bench_forward.conntrack_entries(bench_forward.conntrack_line(log)) == 65536
    linux = "linux-guest: nf_conntrack_max=2048, buckets=2048\nlinux-guest: nft -f failed\n"
    assert bench_forward.conntrack_entries(bench_forward.conntrack_line(linux)) == 2048
    assert bench_forward.ruleset_line(linux) == "linux-guest: nft -f failed"
    assert bench_forward.ruleset_line("") == "no ruleset line on the console"


def test_table_ratios_and_a_router_that_did_not_forward():
    keel = {"status": "forwarding", "tcp_1": {"mib_per_second": 60.0}, "tcp_8": {"error": "iperf3 timed out"},
            "udp": {"sent_pps": 1000.0, "received_pps": 900.0, "sent": 5000, "received": 4500, "seconds": 5.0},
            "connections": {"per_second": 300.0, "completed": 1500, "failed": 0, "source_seen_outside": "10.98.0.1"},
            "ping": {"median_ms": 0.5}}
    linux = {"status": "not forwarding"}
    table = bench_forward.format_table("e1000", [("keel", keel), ("linux", linux)], "duration 5 s")
    rows = {line[:26].strip(): line[26:].split() for line in table.splitlines()[2:9]}
    assert rows["TCP MiB/s, 1 stream"] == ["60.0", "not", "forwarding", "-"]
    assert rows["TCP MiB/s, 8 streams"][0] == "failed"
    assert rows["UDP 64 B received pps"][0] == "900"
    assert "keel: tcp_8 failed: iperf3 timed out" in table
    both = bench_forward.format_table("e1000", [("keel", keel), ("linux", dict(keel, udp={"received_pps": 300.0}))],
                                      "duration 5 s")
    received = next(line for line in both.splitlines() if line.startswith("UDP 64 B received pps"))
    assert received.split()[-1] == "3.00"
