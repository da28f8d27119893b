"""Host unit test of the virtio_mmio.device= parser
(drivers/virtio-net/virtio_mmio_location.c), built with ASan and UBSan:
the entries QEMU's microvm and Firecracker pass are taken, every malformed
or out-of-range value (signs, blanks, overflowing sizes, windows past
52-bit addresses, GSIs over 32 bits) is refused (tests/host/virtio_mmio_check.c).
"""
import host_build

SOURCES = ["drivers/virtio-net/virtio_mmio_location.c", host_build.HOST_TESTS / "virtio_mmio_check.c"]


def test_virtio_mmio_parser(tmp_path):
    binary = host_build.build(tmp_path, "virtio_mmio_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "virtio_mmio: 0 failures" in result.stdout, result.stdout
