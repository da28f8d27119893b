"""Host test of the operator console's pure parts (tests/host/console_check.c):
the line editor (backspace, CR LF, escape sequences, Ctrl-C/U, the bounded
line), the shell-like word splitter and the command dispatch (multi-word
names, abbreviations, options between words, output into a buffer),
compiled with ASan and UBSan."""
import host_build

SOURCES = ["kernel/console/line_editor.c", "kernel/console/command.c", host_build.HOST_TESTS / "console_check.c", host_build.HOST_TESTS / "console_capture.c"]


def test_console_line_editor_splitter_and_dispatch(tmp_path):
    binary = host_build.build(tmp_path, "console_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0 and "console: 0 failures" in result.stdout, result.stdout + result.stderr
