"""Parsing the guest's TCP statistics blocks (net/tcp/stats.c, printed
every `keel.tcp.stats=` seconds):

    tcp stats #N at T s
    tcp: active_opens=0 passive_opens=3 ...
    tcp: states connections=1 LISTEN=1 ...
    drops: tcp_truncated=0 ...
    tcp stats end #N
"""
import re
import time

BLOCK = re.compile(r"^tcp stats #(\d+) at [\d.]+ s$\n(.*?)^tcp stats end #\1$", re.M | re.S)
PAIR = re.compile(r"(\w+)=(\d+)")


def parse_blocks(log):
    """[(number, {"counters": {...}, "states": {...}, "drops": {...}})] in order."""
    blocks = []
    for match in BLOCK.finditer(log):
        parsed = {"counters": {}, "states": {}, "drops": {}}
        for line in match.group(2).splitlines():
            pairs = {name: int(value) for name, value in PAIR.findall(line)}
            if line.startswith("tcp: states"):
                parsed["states"].update(pairs)
            elif line.startswith("tcp:"):
                parsed["counters"].update(pairs)
            elif line.startswith("drops:"):
                parsed["drops"].update(pairs)
        blocks.append((int(match.group(1)), parsed))
    return blocks


def wait_for_fresh_block(net, timeout=15):
    """The first block the guest starts printing after this call."""
    numbers = [number for number, _ in parse_blocks(net.log)]
    wanted = (max(numbers) if numbers else 0) + 2
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for number, block in parse_blocks(net.log):
            if number >= wanted:
                return block
        time.sleep(0.2)
    raise AssertionError(f"no tcp stats block #{wanted}; log tail:\n{net.log[-3000:]}")
