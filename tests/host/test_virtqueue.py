"""Host unit test of the split virtqueue's notification decisions
(drivers/virtio-net/virtqueue.c), built with ASan and UBSan: with a device
whose writes the driver sees late, publish without a device barrier skips
the notification the device waits for and enable misses a used buffer; with
the barrier both are caught, and a notification the device asks for needs
no barrier (tests/host/virtqueue_check.c).
"""
import host_build

SOURCES = ["drivers/virtio-net/virtqueue.c", host_build.HOST_TESTS / "virtqueue_check.c"]


def test_virtqueue_notification_decisions(tmp_path):
    binary = host_build.build(tmp_path, "virtqueue_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "virtqueue: 0 failures" in result.stdout, result.stdout
