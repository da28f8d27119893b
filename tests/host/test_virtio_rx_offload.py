"""Host unit test of the virtio-net receive header (virtio 1.2 5.1.6.4,
drivers/virtio-net/virtio_net_rx_offload.c) and of cutting an accepted
super-frame for TCP input (net/core/gso.c), built with ASan and UBSan
(tests/host/virtio_rx_offload_check.c): every malformed header (ECN flag,
an unknown or non-TCPv4 gso_type, GSO not negotiated, gso_size 0, hdr_len
beyond the frame, no NEEDS_CSUM, csum_start/offset not TCP's field,
headers split over buffers) and every frame that is not one whole IPv4 TCP
datagram (UDP, ARP, wrong IPv4 length, a fragment, IHL 4, TCP offset 4,
CWR) is refused with exactly its own counter moved; a 21-segment
super-frame in 2 KB buffers becomes one pkt with gso_size and a PARTIAL
checksum and is cut into 21 datagrams with the right sequence numbers,
lengths, flags, checksums and bytes; a one-segment GSO frame and a plain
frame spread over buffers are joined into one ordinary frame; nothing leaks.
"""
import host_build

SOURCES = ["drivers/virtio-net/virtio_net_rx_offload.c", "drivers/virtio-net/virtio_net_checksum.c",
           "net/core/pkt.c", "net/core/checksum.c", "net/core/gso.c",
           host_build.HOST_TESTS / "virtio_rx_offload_check.c"]


def test_virtio_receive_header_and_super_frames(tmp_path):
    binary = host_build.build(tmp_path, "virtio_rx_offload_check", SOURCES)
    result = host_build.run(binary, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "virtio_rx_offload: 0 failures" in result.stdout, result.stdout
