/* nft_boot.c - the ruleset `make NFT=<file>` embeds (our
 * /etc/nftables.conf): loaded once at bring-up, before the devices open,
 * so no packet passes before the rules are in place. One console line
 * says what was loaded, or the error (and then there is no ruleset: boot
 * goes on, as a Linux box whose nftables.service failed). The generated
 * object (net/netfilter/nft.mk) always exists; without NFT= it is empty. */
#include <string.h>

#include "kernel/console/printk.h"
#include "net/netfilter/nft_internal.h"

extern const char nft_boot_ruleset[];
extern const unsigned long nft_boot_ruleset_length;
extern const char nft_boot_ruleset_name[];

void nft_stats_register(void);

void nft_boot_load(void)
{
	nft_stats_register();
	if (nft_boot_ruleset_length == 0)
		return;
	char error[1024];
	if (nft_load_text(nft_boot_ruleset, nft_boot_ruleset_length, nft_boot_ruleset_name, error, sizeof(error)) != 0) {
		pr_err("%s\n", error);
		pr_err("nft: ruleset not loaded\n");
		return;
	}
	unsigned tables, chains, rules;
	nft_ruleset_count(nft_ruleset_current(), &tables, &chains, &rules);
	pr_info("nft: ruleset loaded (%u tables, %u chains, %u rules)\n", tables, chains, rules);
}
