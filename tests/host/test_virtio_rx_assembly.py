"""Host unit test of virtio-net's receive poll with MRG_RXBUF frames
spanning several buffers (drivers/virtio-net/virtio_net_rxtx.c, with the
real virtqueue.c and virtio_net_rx_offload.c), built with ASan and UBSan
against a simulated device (tests/host/virtio_rx_assembly_check.c): a
3-buffer TCP super-frame arrives as one pkt with gso_size, also when the
poll's budget ends between its buffers; more than VIRTIO_NET_RX_BUFFERS_MAX
buffers, an empty pool in mid-frame and an empty continuation buffer each
drop the frame and its remaining buffers under their counters, and the next
frame is received; the ring stays full and nothing leaks.
"""
import host_build

SOURCES = ["drivers/virtio-net/virtio_net_rxtx.c", "drivers/virtio-net/virtqueue.c",
           "drivers/virtio-net/virtio_net_rx_offload.c", "drivers/virtio-net/virtio_net_checksum.c",
           "net/core/pkt.c", "net/core/checksum.c", host_build.HOST_TESTS / "virtio_rx_assembly_check.c"]


def test_virtio_receive_assembles_merged_frames(tmp_path):
    binary = host_build.build(tmp_path, "virtio_rx_assembly_check", SOURCES)
    result = host_build.run(binary, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "virtio_rx_assembly: 0 failures" in result.stdout, result.stdout
