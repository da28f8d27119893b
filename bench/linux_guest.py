#!/usr/bin/env python3
"""linux_guest.py - the Linux baseline guest of `make bench BASELINE=linux`.

    linux_guest.py --out DIR --site DIR [--site DIR ...]

Builds DIR/vmlinuz and DIR/initramfs.cpio.gz from Debian packages, without
installing anything into the host's /boot or /etc:
  - the kernel: linux-image-amd64's kernel package, fetched with
    `apt-get download` and unpacked with `dpkg-deb -x` into DIR/extract;
  - busybox from busybox-static (the host's /bin/busybox) as /bin/busybox,
    its applets linked by /init;
  - nginx: the nginx package's binary, unpacked the same way, with the shared
    libraries `ldd` lists copied from the host at the same paths;
  - the NIC modules (Debian builds e1000, virtio_net and virtio_pci as
    modules) with their dependencies, read from each module's .modinfo,
    loaded by /init in dependency order;
  - the site: every --site directory merged into /www (later ones win).
Debian's kernel has no CONFIG_IP_PNP, so /init reads `ip=ADDR::GW:MASK` from
the kernel command line itself and configures eth0 with busybox, starts
nginx (port 80) and a TCP echo (port 7, busybox nc) and prints
"linux-guest: ready" on the console.

Router mode (`make bench-forward BASELINE=linux`, bench/bench_forward.py):
with `linux_guest.router=eth0=10.97.0.1/24,eth1=10.98.0.1/24` on the
command line, /init instead loads the netfilter modules (nf_tables, the
nft_ct/nft_nat/nft_masq/nft_chain_nat expressions, conntrack and NAT, with
their dependencies), addresses each named interface, sets ip_forward=1 and
sets the conntrack table's size to `linux_guest.conntrack_max=N` if given,
loads the ruleset given by --router-ruleset (keel's tests/qemu/nft/
router.nft, the very file keel's router image embeds) with Debian's `nft`
(the nftables package, unpacked as nginx is; its libraries from the host);
neither nginx nor the echo runs then. Rebuilds only what is
missing; the archive itself is rewritten every run (it takes a second).
"""
import argparse
import gzip
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys

KERNEL_METAPACKAGE = "linux-image-amd64"
NIC_MODULES = ["e1000", "virtio_pci", "virtio_net"]
# What router.nft needs from the kernel: the nf_tables core, `ct state` /
# `ct status` (nft_ct), dnat (nft_nat), masquerade (nft_masq) and the nat
# chain type (nft_chain_nat); conntrack and NAT come in as dependencies.
# libcrc32c (nf_tables, conntrack) finds its crc32c through the crypto API
# (a softdep, not a `depends=`): crc32c_generic first, since QEMU's default
# CPU has no SSE4.2 for crc32c-intel and there is no modprobe to ask.
ROUTER_MODULES = ["crc32c_generic", "nf_tables", "nft_ct", "nft_nat", "nft_masq", "nft_chain_nat"]
ROUTER_RULESET = "etc/nftables/router.nft"
BUSYBOX = pathlib.Path("/bin/busybox")
READY_LINE = "linux-guest: ready"

INIT_SCRIPT = r"""#!/bin/busybox sh
# The baseline guest's init: modules, network from ip=, nginx.
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for module in $(cat /etc/modules.order); do
	insmod "/lib/modules/$module" 2>/dev/null
done
router=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^linux_guest.router=//p' | tail -n 1)
if [ -n "$router" ]; then
	# Router mode: netfilter modules, each interface addressed, forwarding on, the ruleset.
	for module in $(cat /etc/modules.router); do
		insmod "/lib/modules/$module" || echo "linux-guest: insmod $module failed"
	done
	ip link set lo up
	for interface in $(echo "$router" | tr ',' ' '); do
		name=${interface%%=*}
		tries=0
		while [ ! -e "/sys/class/net/$name" ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
		ip addr add "${interface#*=}" dev "$name"
		ip link set "$name" up
	done
	echo 1 > /proc/sys/net/ipv4/ip_forward
	# The conntrack table's size when given (the bench passes keel's): Debian
	# sizes it from memory, about 2048 entries for 256 MiB.
	conntrack=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^linux_guest.conntrack_max=//p' | tail -n 1)
	if [ -n "$conntrack" ]; then
		echo "$conntrack" > /sys/module/nf_conntrack/parameters/hashsize
		echo "$conntrack" > /proc/sys/net/netfilter/nf_conntrack_max
	fi
	echo "linux-guest: nf_conntrack_max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)," \
		"buckets=$(cat /proc/sys/net/netfilter/nf_conntrack_buckets)"
	if nft -f /etc/nftables/router.nft; then
		echo "linux-guest: ruleset loaded ($(nft list ruleset | wc -l) lines listed)"
	else
		echo "linux-guest: nft -f failed"
	fi
	echo "linux-guest: router $router, ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
	echo "linux-guest: ready"
	exec sh -c 'while true; do sleep 3600; done'
fi
config=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^ip=//p' | tail -n 1)
address=$(echo "$config" | cut -d: -f1)
gateway=$(echo "$config" | cut -d: -f3)
netmask=$(echo "$config" | cut -d: -f4)
ip link set lo up
tries=0
while [ ! -e /sys/class/net/eth0 ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
ifconfig eth0 "$address" netmask "${netmask:-255.255.255.0}" up
[ -n "$gateway" ] && route add default gw "$gateway"
mkdir -p /var/log/nginx /var/lib/nginx /run
nginx -c /etc/nginx/nginx.conf
# TCP echo on port 7 (RFC 862), as keel's apps/echo: a peer for the echo tests.
nc -ll -p 7 -e /bin/cat &
echo "linux-guest: eth0 $address, nginx and echo started"
echo "linux-guest: ready"
exec sh -c 'while true; do sleep 3600; done'
"""

NGINX_CONF = """user root;
worker_processes 1;
error_log /var/log/nginx/error.log;
pid /run/nginx.pid;
events { worker_connections 4096; }
http {
    types {
        text/html html htm;
        text/css css;
        text/plain txt;
        application/javascript js;
        application/json json;
        image/png png;
        image/jpeg jpg jpeg;
        image/svg+xml svg;
        image/x-icon ico;
    }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server {
        listen 80 default_server;
        root /www;
        index index.html;
    }
}
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs).stdout


def kernel_package():
    """linux-image-amd64 depends on the versioned package holding the kernel."""
    for line in run(["apt-cache", "depends", KERNEL_METAPACKAGE]).splitlines():
        match = re.match(r"\s*Depends: (linux-image-\S+)", line)
        if match:
            return match.group(1)
    sys.exit(f"linux_guest: apt-cache knows no dependency of {KERNEL_METAPACKAGE} (run apt-get update)")


def fetch_and_extract(package, debs, destination):
    """apt-get download + dpkg-deb -x, once."""
    if (destination / ".done").exists():
        return destination
    debs.mkdir(parents=True, exist_ok=True)
    if not list(debs.glob(f"{package}_*.deb")):
        print(f"linux_guest: downloading {package}")
        run(["apt-get", "download", package], cwd=debs)
    deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    run(["dpkg-deb", "-x", str(deb), str(destination)])
    (destination / ".done").touch()
    return destination


def module_dependencies(path):
    text = path.read_bytes()
    match = re.search(rb"(?:^|\0)depends=([^\0]*)", text)
    return [name.decode() for name in match.group(1).split(b",") if name] if match else []


def modules_in_load_order(module_root, wanted):
    """Every module `wanted` needs, dependencies first, as paths under module_root."""
    index = {path.name[:-3].replace("-", "_"): path for path in module_root.rglob("*.ko")}
    ordered, seen = [], set()

    def visit(name):
        name = name.replace("-", "_")
        if name in seen:
            return
        seen.add(name)
        if name not in index:
            sys.exit(f"linux_guest: module {name} not found under {module_root}")
        for dependency in module_dependencies(index[name]):
            visit(dependency)
        ordered.append(index[name])

    for name in wanted:
        visit(name)
    return ordered


def shared_libraries(binary):
    """The absolute paths ldd resolves for binary (the loader included)."""
    libraries = []
    for line in run(["ldd", str(binary)]).splitlines():
        if "not found" in line:
            sys.exit(f"linux_guest: {binary}: {line.strip()} (install the library's package)")
        match = re.search(r"(/\S+) \(0x", line)
        if match:
            libraries.append(pathlib.Path(match.group(1)))
    return libraries


class Archive:
    """A cpio "newc" archive (the initramfs format, see the kernel's
    Documentation/driver-api/early-userspace/buffer-format.rst)."""

    def __init__(self):
        self.parts = []
        self.inode = 1
        self.names = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.strip("/")
        if name in self.names:
            return
        self.names.add(name)
        fields = [self.inode, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
        self.inode += 1
        header = b"070701" + b"".join(b"%08X" % field for field in fields)
        self.parts += [header, name.encode() + b"\0", self._pad(len(header) + len(name) + 1), data,
                       self._pad(len(data))]

    @staticmethod
    def _pad(length):
        return b"\0" * (-length % 4)

    def directory(self, name):
        parts = pathlib.PurePosixPath(name.strip("/")).parts
        for depth in range(1, len(parts) + 1):
            self._entry("/".join(parts[:depth]), stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self.directory(str(pathlib.PurePosixPath(name.strip("/")).parent))
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self.directory(str(pathlib.PurePosixPath(name.strip("/")).parent))
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def device(self, name, major, minor):
        self.directory(str(pathlib.PurePosixPath(name.strip("/")).parent))
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def copy(self, name, path):
        mode = 0o755 if os.access(path, os.X_OK) else 0o644
        self.file(name, pathlib.Path(path).read_bytes(), mode)

    def bytes(self):
        self._entry("TRAILER!!!", 0)
        return b"".join(self.parts)


def copy_with_libraries(archive, name, binary):
    """binary at /name in the archive, with the host's copies of the libraries it links."""
    archive.copy(name, binary)
    for library in shared_libraries(binary):
        archive.copy(str(library), library.resolve())


def add_modules(archive, module_root, wanted, order_file):
    """The wanted modules and their dependencies, listed in load order in order_file."""
    modules = modules_in_load_order(module_root, wanted)
    for module in modules:
        archive.copy(f"lib/modules/{module.name}", module)
    archive.file(order_file, "".join(f"{m.name}\n" for m in modules).encode())
    return [module.name for module in modules]


def add_router(archive, module_root, nftables_tree, ruleset):
    """Router mode's pieces: the netfilter modules, nft and the ruleset."""
    add_modules(archive, module_root, ROUTER_MODULES, "etc/modules.router")
    copy_with_libraries(archive, "usr/sbin/nft", nftables_tree / "usr/sbin/nft")
    archive.file(ROUTER_RULESET, pathlib.Path(ruleset).read_bytes())


def build_archive(kernel_tree, nginx_tree, sites, router=None):
    archive = Archive()
    for directory in ("dev", "proc", "sys", "tmp", "run", "etc", "bin", "sbin", "usr/bin", "usr/sbin",
                      "var/log/nginx", "var/lib/nginx"):
        archive.directory(directory)
    archive.device("dev/console", 5, 1)
    archive.device("dev/null", 1, 3)
    archive.copy("bin/busybox", BUSYBOX)
    archive.symlink("bin/sh", "busybox")
    archive.file("init", INIT_SCRIPT.encode(), 0o755)
    archive.file("etc/nginx/nginx.conf", NGINX_CONF.encode())
    archive.file("etc/passwd", b"root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
    archive.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n")
    copy_with_libraries(archive, "usr/sbin/nginx", nginx_tree / "usr/sbin/nginx")
    module_root = next((kernel_tree / "lib/modules").iterdir())
    modules = add_modules(archive, module_root, NIC_MODULES, "etc/modules.order")
    if router:
        add_router(archive, module_root, *router)
    archive.directory("www")
    for site in sites:
        for path in sorted(pathlib.Path(site).rglob("*")):
            relative = path.relative_to(site)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                archive.copy(f"www/{relative.as_posix()}", path)
    return archive.bytes(), modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--site", action="append", default=[])
    parser.add_argument("--router-ruleset", type=pathlib.Path,
                        help="nftables ruleset for router mode (adds nft and the netfilter modules)")
    args = parser.parse_args()
    out = args.out.resolve()
    debs = out / "debs"
    kernel_tree = fetch_and_extract(kernel_package(), debs, out / "extract" / "kernel")
    nginx_tree = fetch_and_extract("nginx", debs, out / "extract" / "nginx")
    vmlinuz = sorted((kernel_tree / "boot").glob("vmlinuz-*"))[-1]
    shutil.copyfile(vmlinuz, out / "vmlinuz")
    router = None
    if args.router_ruleset:
        router = (fetch_and_extract("nftables", debs, out / "extract" / "nftables"), args.router_ruleset)
    data, modules = build_archive(kernel_tree, nginx_tree, [s for s in args.site if pathlib.Path(s).is_dir()],
                                  router)
    with gzip.open(out / "initramfs.cpio.gz.tmp", "wb", compresslevel=6) as archive_file:
        archive_file.write(data)
    os.replace(out / "initramfs.cpio.gz.tmp", out / "initramfs.cpio.gz")
    (out / "kernel-version").write_text(vmlinuz.name[len("vmlinuz-"):] + "\n")
    print(f"linux_guest: {out}/vmlinuz ({vmlinuz.name}), initramfs.cpio.gz "
          f"({(out / 'initramfs.cpio.gz').stat().st_size} bytes; modules {' '.join(modules)}"
          f"{'; router mode: nft, ' + str(args.router_ruleset) if router else ''})")


if __name__ == "__main__":
    main()
