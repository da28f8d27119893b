"""`make check` (tests/check/layers.py): the include rules of
docs/ARCHITECTURE.md hold on the tree, and the check does fail on a
wrong-way include. Each failure case copies the rule document and one source
file into a temporary tree, checks that it passes there, adds one include
that breaks a rule, and expects `file:line:` of that include in the output.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS = REPO / "tests" / "check" / "layers.py"


def run_check(root):
    return subprocess.run([sys.executable, str(LAYERS), str(root)], capture_output=True, text=True, timeout=60)


def test_tree_follows_the_rules():
    result = run_check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def small_tree(tmp_path, source):
    """A tree holding the rule document and one source file."""
    for relative in ("docs/ARCHITECTURE.md", source):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / relative, tmp_path / relative)
    return tmp_path


def add_line(path, text):
    """Appends a line; returns its line number."""
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, text]) + "\n")
    return len(lines) + 1


WRONG_WAY = [
    ("drivers/e1000/e1000_rx.c", '#include "net/tcp/internal.h"', "private to net/tcp/"),
    ("drivers/virtio-net/virtqueue.c", '#include "net/ipv4/ipv4.h"', "drivers may not include net/ipv4/ipv4.h"),
    ("apps/httpd/main.c", '#include "kernel/core/cmdline.h"', "apps may not include kernel/core/cmdline.h"),
    ("apps/echo/main.c", "#include <net/core/pkt.h>", "apps may not include net/core/pkt.h"),
    ("kernel/time/clock.c", '#include "net/core/pkt.h"', "kernel may not include net/core/pkt.h"),
    ("kernel/core/main.c", '#include "net/core/netdev.h"', "kernel/core/main.c may not include net/core/netdev.h"),
    ("kernel/arch/x86/interrupt_entry.asm", '%include "net/core/pkt.h"', "kernel may not include net/core/pkt.h"),
    ("libc/src/string/strlen.c", '#include "kernel/console/printk.h"', "libc/src may not include kernel/console"),
    ("net/wire/tcp.h", '#include "net/ipv4/ipv4.h"', "net/wire may not include net/ipv4/ipv4.h"),
    ("net/socket/io.c", '#include "net/tcp/internal.h"', "private to net/tcp/"),
    ("net/ipv4/input.c", '#include "net/udp/internal.h"', "private to net/udp/"),
    ("net/tcp/input.c", '#include "net/testing/tcp_fault.h"', "net/tcp may not include net/testing/tcp_fault.h"),
    ("net/core/pkt.c", '#include "net/ipv4/ipv4.h"', "net/core may not include net/ipv4/ipv4.h"),
    ("drivers/e1000/e1000_irq.c", '#include "kernel/arch/x86/apic.h"', "drivers may never include kernel/arch/x86/apic.h"),
]


@pytest.mark.parametrize("source,include,complaint", WRONG_WAY, ids=[case[0] for case in WRONG_WAY])
def test_wrong_way_include_fails(tmp_path, source, include, complaint):
    root = small_tree(tmp_path, source)
    if "apic.h" in include:  # the one file of this case may hold it already
        text = (root / source).read_text().replace('#include "kernel/arch/x86/apic.h"\n', "")
        (root / source).write_text(text)
    before = run_check(root)
    assert before.returncode == 0, before.stdout + before.stderr
    line = add_line(root / source, include)
    after = run_check(root)
    assert after.returncode == 1, after.stdout + after.stderr
    assert f"{source}:{line}: " in after.stdout, after.stdout
    assert complaint in after.stdout, after.stdout


def test_rules_come_from_the_document(tmp_path):
    """Dropping net/net.h from main.c's row makes main.c's include of it fail:
    the check reads the table, it does not restate it."""
    root = small_tree(tmp_path, "kernel/core/main.c")
    document = root / "docs" / "ARCHITECTURE.md"
    text = document.read_text()
    row = "| `kernel/core/main.c` | `kernel`, `libc/include`, `net/net.h` |"
    assert row in text
    document.write_text(text.replace(row, "| `kernel/core/main.c` | `kernel`, `libc/include` |"))
    result = run_check(root)
    assert result.returncode == 1
    assert "kernel/core/main.c:" in result.stdout and "net/net.h" in result.stdout, result.stdout


def test_a_file_no_row_covers_fails(tmp_path):
    root = small_tree(tmp_path, "net/core/pkt.c")
    (root / "net/newlayer").mkdir()
    (root / "net/newlayer/thing.c").write_text('#include "net/core/pkt.h"\n')
    result = run_check(root)
    assert result.returncode == 1
    assert "net/newlayer/thing.c:1: no row" in result.stdout, result.stdout
