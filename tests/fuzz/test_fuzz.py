"""`make test`'s share of the fuzzing (tests/fuzz, `make fuzz` for the long
runs): every libFuzzer harness is built with clang (ASan + UBSan) and run
over its seed corpus (tests/fuzz/corpus/<harness>: valid inputs and the
reproducers of crashes found before, as regression inputs), then fuzzed
for a few seconds. Any crash, sanitizer report, leak or hang fails the
test with libFuzzer's log. About 55 s on 2 cores (about 20 s of builds).
"""
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

import fuzz_driver

SECONDS = 4


@pytest.fixture(scope="module")
def binaries(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    try:
        with ThreadPoolExecutor(2) as pool:
            built = pool.map(lambda harness: fuzz_driver.build(harness, directory), fuzz_driver.HARNESSES)
            return directory, dict(zip(fuzz_driver.BY_NAME, built))
    except fuzz_driver.BuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.mark.parametrize("harness", fuzz_driver.HARNESSES, ids=lambda harness: harness.name)
def test_seed_corpus_present(harness):
    assert any(fuzz_driver.seed_corpus(harness).glob("seed-*")), f"no seeds for {harness.name}"


@pytest.mark.parametrize("harness", fuzz_driver.HARNESSES, ids=lambda harness: harness.name)
def test_harness_survives(binaries, harness):
    directory, built = binaries
    outcome = fuzz_driver.run(harness, built[harness.name], seconds=SECONDS, build_dir=directory)
    assert not outcome.crashed, f"{outcome.summary()}\n{outcome.log[-6000:]}"
    assert outcome.executions > 0 and outcome.coverage > 0, outcome.log[-3000:]
    print(outcome.summary())


def test_a_crash_is_caught(tmp_path):
    """The driver's verdict can fail: a harness that overflows a buffer on
    one input is reported crashed, with its reproducer written."""
    source = tmp_path / "fuzz_overflow.c"
    source.write_text("#include <stdint.h>\n#include <stddef.h>\n#include <stdlib.h>\n"
                      "int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)\n"
                      "{\n\tchar *copy = malloc(4);\n"
                      "\tif (size >= 2 && data[0] == 'k' && data[1] == '!')\n\t\tcopy[4] = 1;\n"
                      "\tfree(copy);\n\treturn 0;\n}\n")
    binary = tmp_path / "overflow_binary"
    subprocess.run([fuzz_driver.CLANG, *fuzz_driver.SANITIZE, str(source), "-o", str(binary)], check=True)
    harness = fuzz_driver.Harness("overflow")
    outcome = fuzz_driver.run(harness, binary, seconds=SECONDS, build_dir=tmp_path)
    assert outcome.crashed and "heap-buffer-overflow" in outcome.log, outcome.log[-3000:]
    assert list((tmp_path / "overflow").glob("crash-*")), outcome.summary()
