# tests/soak/soak.mk - `make soak` (included by the Makefile; not part of `make test`).
#
#   make soak                     an hour (DURATION=3600) of every load at once on
#                                 one image, then the leak checks (tests/soak/soak.py)
#   make soak DURATION=120        seconds of load (the run takes about a minute more)
#   make soak NIC=e1000           the NIC (virtio-net-pci by default, as for `make run`;
#                                 e1000e too)
#   make soak SOAK_SEED=2         another sequence of junk frames and link losses
#
# Needs root (a network namespace and a tap). The image is $(BUILD)/keel.elf;
# the summary and the serial log go to $(BUILD)/soak/<date>-<nic>-<seconds>s.txt
# and .log. The exit status is 1 when a check failed.

DURATION ?= 3600
SOAK_SEED ?= 1

.PHONY: soak
soak: deps $(BUILD)/keel.elf
	$(PYTHON) tests/soak/soak.py --duration $(DURATION) --nic $(NIC) --seed $(SOAK_SEED) \
		--image $(BUILD)/keel.elf --results $(BUILD)/soak
