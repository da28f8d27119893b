# tests/fuzz/fuzz.mk - `make fuzz` (included by the Makefile): builds every
# libFuzzer harness of tests/fuzz with clang (ASan + UBSan) and runs each
# FUZZ_SECONDS seconds over its seed corpus, printing per harness its
# executions per second and coverage (libFuzzer's final cov: and ft:).
# tests/fuzz/fuzz_driver.py does the work; `make test` runs the short
# version (tests/fuzz/test_fuzz.py).
#
#   make fuzz                        every harness, 60 s each
#   make fuzz FUZZ_SECONDS=600       longer
#   make fuzz FUZZ_HARNESSES=wire    one harness (wire dhcp http_request tcp cmdline http_range conntrack nft console capture virtio_rx)

FUZZ_SECONDS ?= 60
FUZZ_HARNESSES ?=

.PHONY: fuzz
fuzz: deps
	$(PYTHON) tests/fuzz/fuzz_driver.py --seconds $(FUZZ_SECONDS) $(FUZZ_HARNESSES)
