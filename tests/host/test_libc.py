"""Host unit tests for keel's freestanding libc (libc/).

The libc sources are compiled for the host with the kernel's code-generation
flags plus ASan/UBSan, then every global symbol they define is renamed with a
keel_ prefix (objcopy --redefine-syms), so keel_snprintf and glibc's snprintf
can be compared in one program. References to symbols the libc does not
define (malloc, the sanitizer runtime, __stack_chk_fail) keep their names and
resolve to the host's. The driver (libc_check*.c) runs one category per
pytest test; KEEL_TEST_SEED=<n> changes the random seed (printed on each run).

Also checked: every libc source compiles warning-free with the exact kernel
flags at -O2 and -Og, the kernel objects reference nothing outside the libc
except what the kernel provides, and every header stands alone.
"""
import os
import re
import subprocess

import pytest

import host_build

LIBC = host_build.REPO / "libc"
HOST_DIR = host_build.HOST_TESTS

# Symbols the kernel, not the libc, provides (declared in libc headers).
KERNEL_PROVIDED = {"malloc", "free", "calloc", "realloc", "aligned_alloc",
                   "abort", "__assert_fail", "__stack_chk_fail"}

CATEGORIES = ["printf", "strto", "mem", "string", "ctype", "sort", "errno"]


def libc_sources():
    return sorted((LIBC / "src").rglob("*.c"))


def run(cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True,
                            text=True, **kwargs)
    assert result.returncode == 0, (
        f"command failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
        f"{result.stdout}{result.stderr}")
    return result


def object_name(source, suffix=".o"):
    """Flattened unique object name: string/memcpy.c -> string__memcpy.o."""
    rel = source.relative_to(LIBC / "src").with_suffix("")
    return "__".join(rel.parts) + suffix


def defined_globals(objects):
    out = run(["nm", "-g", "--defined-only", *objects]).stdout
    return {line.split()[-1] for line in out.splitlines()
            if re.match(r"^[0-9a-f]+ [A-Za-z] ", line)}


def undefined_symbols(objects):
    out = run(["nm", "-u", *objects]).stdout
    return {line.split()[-1] for line in out.splitlines()
            if line.strip().startswith("U ")}


def errno_codes():
    """NAME -> value for every code in libc/include/errno.h, aliases resolved."""
    raw = dict(re.findall(r"^#define\s+(E[A-Z0-9]+)\s+(\w+)",
                          (LIBC / "include" / "errno.h").read_text(), re.M))
    return {name: int(value) if value.isdigit() else int(raw[value])
            for name, value in raw.items()}


# Both optimisation levels the kernel uses: register allocation around the
# inline asm differs between them.
@pytest.fixture(scope="session", params=["-O2", "-Og"])
def libc_check(request, tmp_path_factory):
    """Builds the sanitized, keel_-prefixed libc and the driver; returns it."""
    build = tmp_path_factory.mktemp("libc_host")
    objects = []
    for source in libc_sources():
        obj = build / object_name(source)
        host_build.compile_object(source, obj, flags=host_build.kernel_cflags_sanitized(request.param))
        objects.append(obj)
    renames = build / "keel_renames.txt"
    renames.write_text("".join(f"{s} keel_{s}\n"
                               for s in sorted(defined_globals(objects))))
    for obj in objects:
        run(["objcopy", f"--redefine-syms={renames}", obj])
    (build / "errno_list.h").write_text("".join(
        f"X({name}, {value})\n" for name, value in errno_codes().items()))
    return host_build.build(build, "libc_check", [*sorted(HOST_DIR.glob("libc_check*.c")), *objects],
                            include_dirs=[build, HOST_DIR], link_flags=["-no-pie", "-lm"])


@pytest.mark.parametrize("category", CATEGORIES)
def test_libc_matches_glibc(libc_check, category):
    # check_printf=0: ASan need not vet the odd formats we hand glibc.
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:check_printf=0",
               UBSAN_OPTIONS="print_stacktrace=1")
    result = subprocess.run([str(libc_check), category], capture_output=True,
                            text=True, env=env, timeout=600)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, (
        f"{category}: keel libc differs from glibc (or a sanitizer fired):\n"
        f"{result.stdout[-6000:]}{result.stderr[-6000:]}")
    assert re.search(rf"^{category}: \d+ cases, 0 mismatches$", result.stdout,
                     re.M), result.stdout


@pytest.mark.parametrize("opt", ["-O2", "-Og"])
def test_kernel_flags_compile_cleanly(tmp_path, opt):
    objects = []
    for source in libc_sources():
        obj = tmp_path / object_name(source)
        result = host_build.compile_object(source, obj, flags=host_build.kernel_cflags(opt))
        assert result.stderr == "", f"{source}: {result.stderr}"
        objects.append(obj)
    # Nothing outside the libc but what the kernel provides: catches a
    # stray dependency on e.g. a float helper or a libgcc routine.
    missing = undefined_symbols(objects) - defined_globals(objects)
    assert missing <= KERNEL_PROVIDED, f"unexpected externals: {missing}"


@pytest.mark.parametrize("header", sorted(
    p.name for p in (LIBC / "include").glob("*.h")))
def test_header_stands_alone(tmp_path, header):
    source = tmp_path / "t.c"
    source.write_text(f"#include <{header}>\n#include <{header}>\n")
    host_build.compile_object(source, tmp_path / "t.o", flags=host_build.kernel_cflags("-O2"))


def test_types_limits_and_format_macros(tmp_path):
    """PRI* macros pass -Wformat against the declared snprintf; limits.h
    values match the types; NDEBUG removes assert's expression."""
    source = tmp_path / "t.c"
    source.write_text(r"""
#include <assert.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
static_assert(INT_MAX == 0x7fffffff && INT_MIN == -INT_MAX - 1, "int");
static_assert(LONG_MAX == 0x7fffffffffffffffL && ULONG_MAX + 1 == 0, "long");
static_assert(LLONG_MIN == -LLONG_MAX - 1 && ULLONG_MAX + 1 == 0, "llong");
static_assert(UINT_MAX + 1 == 0 && USHRT_MAX == 0xffff, "uint");
static_assert(SCHAR_MIN == -128 && UCHAR_MAX == 255 && CHAR_BIT == 8, "c");
static_assert(CHAR_MIN == SCHAR_MIN, "char is signed on x86_64");
int f(char *b, size_t n, int64_t i, uint64_t u, intptr_t p, uintmax_t m,
      int_fast16_t f16, uint32_t u32, int8_t i8)
{
	return snprintf(b, n, "%" PRId64 "%" PRIu64 "%" PRIxPTR "%" PRIdPTR
			"%" PRIuMAX "%" PRIdFAST16 "%" PRIX32 "%" PRIi8 "%" PRIo64,
			i, u, (uintptr_t)p, p, m, f16, u32, i8, u);
}
#define NDEBUG
#include <assert.h>
void g(void) { assert(this_is_not_even_declared()); }
""")
    host_build.compile_object(source, tmp_path / "t.o", flags=[*host_build.kernel_cflags("-O2"), "-Wformat=2"])
