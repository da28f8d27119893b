"""Host unit tests of byte queue limits (issue 11): the dynamic queue
limits algorithm (net/core/dql.c, Linux's lib/dynamic_queue_limits.c) and
the transmit queue it stops (net/core/netdev_bql.c with netdev_queue.c).

The sources are compiled unchanged for the host with ASan and UBSan
(tests/host/bql_check.c: a malloc'd packet pool, the fake clock, a device
whose ring finishes frames when the test says, a FIFO qdisc of its own).
Each scenario runs in its own process and ends with the pool full again.

dql: from 0 the limit grows while a device of a given rate starves and
settles within a few milliseconds' bytes (growth); a slower device takes
the slack back, by at most one step a hold time and none within a longer
hold time (slack); limit_max caps, limit_min floors, max wins when they
cross, out-of-range writes are refused (clamp); in flight is queued minus
completed, clamped when a driver over-reports, right across the counters'
wrap (in-flight). The queue: a 300-frame burst keeps the ring within the
limit plus one frame while the qdisc holds the rest, every frame sent in
order, stops and wakes counted (layer); limit_min at its maximum lets the
ring fill, which is what BQL prevents (limit-min-max); a driver that
reports nothing is never stopped (silent-driver); one whose completions
come up short never stays stopped with its ring empty: the leftover is
completed and counted (miscount).
"""
import pytest

import host_build

SOURCES = [
    "net/core/dql.c", "net/core/netdev_bql.c", "net/core/netdev.c", "net/core/netdev_queue.c", "net/core/gso.c",
    "net/core/pkt.c", "net/core/drop.c", "net/core/checksum.c", "net/core/siphash.c", "net/core/secret.c",
    "net/core/stats_print.c",
    *host_build.CAPTURE_TAP, host_build.HOST_TESTS / "host_time_shim.c", host_build.HOST_TESTS / "bql_check.c",
]
SCENARIOS = ["growth", "slack", "clamp", "in-flight", "layer", "limit-min-max", "silent-driver", "miscount"]


@pytest.fixture(scope="module")
def bql_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("bql"), "bql_check", SOURCES)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_bql(bql_check, scenario):
    result = host_build.run(bql_check, scenario)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout
