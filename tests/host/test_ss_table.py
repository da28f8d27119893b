"""Host test of `ss`'s layout (net/socket/ss_table.c) against iproute2 6.1's
output captured on Debian 12 for the same sockets (tests/host/ss_table_check.c
says how), compiled with ASan and UBSan."""
import host_build

SOURCES = ["net/socket/ss_table.c", "kernel/console/command.c", "kernel/console/line_editor.c", host_build.HOST_TESTS / "ss_table_check.c", host_build.HOST_TESTS / "console_capture.c"]


def test_ss_layout_matches_iproute2(tmp_path):
    binary = host_build.build(tmp_path, "ss_table_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0 and "ss_table: 0 failures" in result.stdout, result.stdout + result.stderr
