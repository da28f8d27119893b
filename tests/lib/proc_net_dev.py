"""One /proc/net/dev row as keel (and Linux) prints it: `%6s:%8llu %7llu ...`,
so a byte count of 8 digits or more leaves no blank after the colon. Shared by
the QEMU harness, the console tests and the soak's checks."""
import re

ROW = re.compile(r"^\s*(\w+):\s*(\d+(?:\s+\d+){15})\s*$")
COLUMNS = [
    "rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "rx_fifo_errors", "rx_frame_errors",
    "rx_compressed", "rx_multicast", "tx_bytes", "tx_packets", "tx_errors", "tx_dropped",
    "tx_fifo_errors", "tx_collisions", "tx_carrier_errors", "tx_compressed"]


def parse_row(line):
    """(device, {column: value}) for a /proc/net/dev row, None for any other line."""
    row = ROW.match(line)
    if not row:
        return None
    return row.group(1), dict(zip(COLUMNS, map(int, row.group(2).split())))
