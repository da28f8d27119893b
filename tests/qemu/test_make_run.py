"""`make run` the way README's quick start tells a user to run it: as a
non-root user, then `curl http://localhost:<port>/` from the host.

The user is `nobody` (uid 65534, no groups; setpriv drops root and execs
make, so the pid the test started is make's). make rewrites generated
sources' stamps in BUILD (apps/apps.mk), so that user gets a copy of the
build directory of its own, timestamps kept so that nothing is rebuilt; the
source tree is only read. make runs in the background with stdin from
/dev/null and a free port; once the console says `keel: ready`, curl (as
the same user) must get the index page with status 200 through QEMU's
user-mode network and the port forward. QEMU is make's child (the run
target execs it): the test finds it by pid among make's children and kills
that pid only.
"""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from qemu_boot import BUILD, KERNEL_ELF, READY_LINE, ROOT, require_image

USER_ID = 65534
GROUP_ID = 65534
READY_TIMEOUT = 180
# What the user copy of BUILD leaves out: images and trees make run never reads.
NOT_FOR_RUN = ("variants", "iso", "efi", "disk", "linux", "bench", "*.iso", "*.img", "*.qcow2", "*.EFI")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_user(cmd):
    return ["setpriv", f"--reuid={USER_ID}", f"--regid={GROUP_ID}", "--clear-groups", "--", *cmd]


def require_readable_tree():
    """Skips unless `nobody` can read the source tree (every parent searchable)."""
    for path in [ROOT, *ROOT.parents]:
        if not os.stat(path).st_mode & 0o005 == 0o005:
            pytest.skip(f"{path} is not readable and searchable by other users: nobody cannot run make there")


def user_build(workdir):
    """A copy of BUILD (its top level less NOT_FOR_RUN), owned by the user."""
    top_level_ignored = shutil.ignore_patterns(*NOT_FOR_RUN)
    copy = workdir / "build"
    shutil.copytree(BUILD, copy, symlinks=True,
                    ignore=lambda directory, names: top_level_ignored(directory, names)
                    if pathlib.Path(directory) == BUILD else set())
    for path in [workdir, *workdir.rglob("*")]:
        os.lchown(path, USER_ID, GROUP_ID)
    return copy


def qemu_child(parent_pid):
    """The pid of the QEMU process among parent_pid's children, or None."""
    children = pathlib.Path(f"/proc/{parent_pid}/task/{parent_pid}/children")
    try:
        pids = children.read_text().split()
    except OSError:
        return None
    for pid in pids:
        try:
            if pathlib.Path(f"/proc/{pid}/comm").read_text().startswith("qemu-system"):
                return int(pid)
        except OSError:
            continue
    return None


class MakeRun:
    """`make run` as the user, its output collected by a thread."""

    def __init__(self, build, port, home):
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TERM": "dumb"}
        cmd = as_user(["make", "-C", str(ROOT), f"BUILD={build}", f"PORT={port}", "run"])
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env=env, cwd=home)
        self.output = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.process.stdout.read1(65536), b""):
            self.output.append(chunk.decode("utf-8", "replace").replace("\r", ""))

    @property
    def log(self):
        return "".join(self.output)

    def wait_for(self, text, timeout):
        deadline = time.monotonic() + timeout
        while text not in self.log:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.reader.join(timeout=5)
                pytest.fail(f"no {text!r} from make run (exit {self.process.poll()}):\n{self.log[-6000:]}")
            time.sleep(0.1)

    def stop(self):
        """Kills QEMU by its pid (make then exits), make itself if it outlives it."""
        qemu = qemu_child(self.process.pid)
        if qemu is not None:
            os.kill(qemu, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        return qemu


@pytest.fixture
def user_workdir():
    """(workdir, build copy, home) owned by the user, in /tmp: pytest's
    tmp_path lies under a directory only root may enter."""
    if os.geteuid() != 0:
        pytest.skip("switching to an unprivileged user needs root")
    require_image(KERNEL_ELF)
    require_readable_tree()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="keel-make-run-"))
    try:
        home = workdir / "home"
        home.mkdir()
        yield workdir, user_build(workdir), home
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_make_run_serves_localhost(user_workdir):
    workdir, build, home = user_workdir
    port = free_port()
    run = MakeRun(build, port, home)
    try:
        run.wait_for(READY_LINE, READY_TIMEOUT)
        assert qemu_child(run.process.pid) is not None, "QEMU is not make's child: the run target must exec it"
        # The default command line is ip=dhcp: QEMU's user-mode DHCP server
        # leases 10.0.2.15 before the app starts.
        assert "command line: build/keel.elf ip=dhcp" in run.log or " ip=dhcp" in run.log, run.log
        assert "eth0: dhcp bound 10.0.2.15/24 via 10.0.2.2" in run.log, run.log
        result = subprocess.run(as_user(["curl", "-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}",
                                         f"http://localhost:{port}/"]),
                                capture_output=True, text=True, timeout=40, cwd=home)
    finally:
        qemu = run.stop()
    assert qemu is not None, f"no QEMU child of make found:\n{run.log}"
    body, _, status = result.stdout.rpartition("\n")
    assert status == "200", f"curl: {result.stdout}{result.stderr}\nmake run:\n{run.log}"
    assert body == (ROOT / "apps" / "httpd" / "www" / "index.html").read_text(), body[:300]
