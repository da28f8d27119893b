# net/netfilter/nft.mk - `make NFT=<file>`: the ruleset loaded at boot (our
# /etc/nftables.conf), embedded as $(BUILD)/gen/nft_ruleset.c (the file's
# bytes as a C array, with its name for error messages). Without NFT= the
# object is still built, empty: nft_boot_load then loads nothing. Rewritten
# only when its text changes, so a change of NFT= is never missed and
# nothing else is rebuilt.

NFT ?=
NFT_GENERATED := $(BUILD)/gen/nft_ruleset.o

$(BUILD)/gen/nft_ruleset.c: nft-ruleset-force net/netfilter/embed_ruleset.py $(NFT)
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) net/netfilter/embed_ruleset.py "$(NFT)" $@

.PHONY: nft-ruleset-force
nft-ruleset-force:

OBJECTS += $(NFT_GENERATED)
$(BUILD)/keel64.pass1.elf $(BUILD)/keel64.elf: $(NFT_GENERATED)
