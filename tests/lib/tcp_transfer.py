"""Two small Python programs for TCP transfers through a router under
test, run with `python3 -c` inside a test's network namespaces (so they
carry no import of the test's own), each bounded by its socket timeouts and
printing one JSON line: the peer's view of what it sent or received, with a
SHA-256, so the test compares the two ends.
"""

# argv: port, timeout, mode. "sink": accepts one connection, reads to EOF,
# prints bytes, SHA-256 and the peer's address. "source": accepts one
# connection, sends argv[4] bytes of seeded data, prints their SHA-256 and
# the peer's address.
SERVER_SCRIPT = r"""
import hashlib, json, random, socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", int(sys.argv[1])))
server.listen(1)
server.settimeout(float(sys.argv[2]))
connection, peer = server.accept()
connection.settimeout(float(sys.argv[2]))
if sys.argv[3] == "sink":
    digest, total = hashlib.sha256(), 0
    while True:
        data = connection.recv(65536)
        if not data:
            break
        digest.update(data)
        total += len(data)
    print(json.dumps({"bytes": total, "sha256": digest.hexdigest(), "peer": peer[0]}), flush=True)
else:
    data = random.Random(11).randbytes(int(sys.argv[4]))
    connection.sendall(data)
    connection.shutdown(socket.SHUT_WR)
    connection.recv(1)
    print(json.dumps({"sha256": hashlib.sha256(data).hexdigest(), "peer": peer[0]}), flush=True)
"""

# argv: address, port, mode, bytes. "send": connects, sends seeded data,
# prints its SHA-256. "receive": connects, reads to EOF, prints bytes and
# SHA-256. "echo": sends while reading the echo back, prints both digests.
CLIENT_SCRIPT = r"""
import hashlib, json, random, socket, sys, threading, time
for attempt in range(50):
    try:
        connection = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
        break
    except OSError:
        time.sleep(0.2)
connection.settimeout(90)
size = int(sys.argv[4])
def read_all(limit):
    digest, total = hashlib.sha256(), 0
    while total < limit:
        data = connection.recv(65536)
        if not data:
            break
        digest.update(data)
        total += len(data)
    return {"bytes": total, "sha256": digest.hexdigest()}
if sys.argv[3] == "receive":
    print(json.dumps(read_all(1 << 40)), flush=True)
else:
    data = random.Random(12).randbytes(size)
    result = {}
    if sys.argv[3] == "echo":
        reader = threading.Thread(target=lambda: result.update(read_all(size)))
        reader.start()
    connection.sendall(data)
    if sys.argv[3] == "echo":
        reader.join(120)
    else:
        connection.shutdown(socket.SHUT_WR)
        connection.recv(1)
    result["sent_sha256"] = hashlib.sha256(data).hexdigest()
    print(json.dumps(result), flush=True)
"""
