/* e1000_hw.c - register access and the chip-level steps of bring-up: global
 * reset, MAC-layer set-up, the MAC address (RAL/RAH or the EEPROM), link
 * state and the statistics registers. Every MMIO access of the driver goes
 * through the four helpers at the top. */
#include "drivers/e1000/e1000.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/time/clock.h"
#include "net/wire/ethernet.h"

#include <string.h>

#define E1000_QUIESCE_DELAY_US 10000     /* let in-flight DMA finish before reset */
#define E1000_RESET_DELAY_US 1000        /* 82574 DS 4.6: wait 1 ms after CTRL.RST */
#define E1000_RESET_TIMEOUT_US 100000
#define E1000_EERD_TIMEOUT_US 10000

uint32_t e1000_read32(const struct e1000 *nic, uint32_t offset)
{
	return mmio_read32(nic->registers, offset);
}

/* The barrier makes every store to descriptor memory (write-back RAM)
 * globally visible before the register write that may hand those
 * descriptors to the device (RDT/TDT, 8254x SDM 3.2.6 / 3.4). */
void e1000_write32(struct e1000 *nic, uint32_t offset, uint32_t value)
{
	write_barrier();
	mmio_write32(nic->registers, offset, value);
}

static void e1000_set_bits(struct e1000 *nic, uint32_t offset, uint32_t bits)
{
	e1000_write32(nic, offset, e1000_read32(nic, offset) | bits);
}

/* Polls until (register & mask) == expected; 0, or -1 after timeout_us. */
static int e1000_wait_bits(const struct e1000 *nic, uint32_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_us)
{
	uint64_t deadline = clock_monotonic_ns() + timeout_us * NSEC_PER_USEC;
	for (;;) {
		if ((e1000_read32(nic, offset) & mask) == expected)
			return 0;
		if (clock_monotonic_ns() > deadline)
			return -1;
		cpu_pause();
	}
}

/* Global reset (8254x SDM 14 "Reset Operation" / 82574 DS 4.6): mask interrupts, stop
 * RX/TX so no DMA is in flight, set CTRL.RST, wait for it to clear, mask
 * again (the reset restores defaults) and clear pending causes.
 * The quiesce wait is only needed when someone (a PXE ROM, an earlier
 * driver) left the receive or transmit unit enabled: RCTL.EN and TCTL.EN
 * are 0 after power-up and after any reset (8254x SDM 13.4, RCTL and TCTL
 * initial values), and with both clear the device starts no descriptor or
 * buffer DMA, so there is nothing to let finish. */
int e1000_reset(struct e1000 *nic)
{
	bool units_were_enabled = (e1000_read32(nic, E1000_RCTL) & E1000_RCTL_EN) ||
				  (e1000_read32(nic, E1000_TCTL) & E1000_TCTL_EN);
	e1000_write32(nic, E1000_IMC, E1000_INT_ALL);
	e1000_write32(nic, E1000_RCTL, 0);
	e1000_write32(nic, E1000_TCTL, E1000_TCTL_PSP);
	(void)e1000_read32(nic, E1000_STATUS);  /* flush the posted writes */
	if (units_were_enabled)
		clock_delay_us(E1000_QUIESCE_DELAY_US);

	e1000_set_bits(nic, E1000_CTRL, E1000_CTRL_RST);
	clock_delay_us(E1000_RESET_DELAY_US);
	if (e1000_wait_bits(nic, E1000_CTRL, E1000_CTRL_RST, 0, E1000_RESET_TIMEOUT_US) != 0) {
		pr_err("e1000: %s: reset did not complete\n", nic->model->name);
		return -1;
	}
	e1000_write32(nic, E1000_IMC, E1000_INT_ALL);
	(void)e1000_read32(nic, E1000_ICR);
	return 0;
}

/* The statistics registers clear on read (8254x SDM 13): one read of each
 * starts every counter from zero. */
static void e1000_clear_stats(struct e1000 *nic)
{
	for (uint32_t offset = E1000_STATS_FIRST; offset <= E1000_STATS_LAST; offset += 4)
		(void)e1000_read32(nic, offset);
}

/* General configuration (8254x SDM 14.3, 82574 DS 4.6): link set up
 * by auto-negotiation with speed detection, no flow control, empty
 * multicast table, statistics zeroed.
 * The PHY is left alone: CTRL.RST resets the MAC, not the PHY, and the
 * PHY auto-negotiates by itself from power-up with its default
 * advertisement (PHY Control register: Auto-Negotiation Enable is 1 by
 * default), the MAC following its result through ASDE and SLU (8254x SDM
 * 14.3). Writing Restart Auto-Negotiation would only take a link that is
 * up, or coming up, down again for a whole negotiation (QEMU's model
 * drops STATUS.LU for 500 ms on that write). */
void e1000_init_mac_layer(struct e1000 *nic)
{
	uint32_t control = e1000_read32(nic, E1000_CTRL);
	control |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	control &= ~(E1000_CTRL_FRCSPD | E1000_CTRL_FRCDPLX | E1000_CTRL_ILOS | E1000_CTRL_VME |
		     E1000_CTRL_PHY_RST);
	e1000_write32(nic, E1000_CTRL, control);

	/* 8254x SDM 14.3: "If flow control is not used, write 0 to FCAL, FCAH, FCT, FCTTV". */
	e1000_write32(nic, E1000_FCAL, 0);
	e1000_write32(nic, E1000_FCAH, 0);
	e1000_write32(nic, E1000_FCT, 0);
	e1000_write32(nic, E1000_FCTTV, 0);

	for (unsigned i = 0; i < E1000_MTA_ENTRIES; i++)
		e1000_write32(nic, E1000_MTA + 4 * i, 0);
	e1000_clear_stats(nic);
}

/* One EEPROM word through EERD (8254x SDM 5.3.1), in the model's field
 * layout (e1000_regs.h). Returns 0 or -1. */
static int eeprom_read_word(struct e1000 *nic, unsigned word, uint16_t *value)
{
	bool address_2 = nic->model->eerd == E1000_EERD_ADDRESS_2;
	unsigned shift = address_2 ? E1000_EERD_ADDRESS_2_SHIFT : E1000_EERD_ADDRESS_8_SHIFT;
	uint32_t done = address_2 ? E1000_EERD_ADDRESS_2_DONE : E1000_EERD_ADDRESS_8_DONE;

	e1000_write32(nic, E1000_EERD, (uint32_t)word << shift | E1000_EERD_START);
	if (e1000_wait_bits(nic, E1000_EERD, done, done, E1000_EERD_TIMEOUT_US) != 0)
		return -1;
	*value = (uint16_t)(e1000_read32(nic, E1000_EERD) >> E1000_EERD_DATA_SHIFT);
	return 0;
}

static bool mac_is_usable(const uint8_t *mac)
{
	static const uint8_t zero[ETHERNET_ADDRESS_LENGTH];
	bool multicast = mac[0] & 1;
	return !multicast && memcmp(mac, zero, ETHERNET_ADDRESS_LENGTH) != 0;
}

static int mac_from_eeprom(struct e1000 *nic, uint8_t *mac)
{
	if (nic->model->eerd == E1000_EERD_NONE)
		return -1;
	for (unsigned i = 0; i < ETHERNET_ADDRESS_LENGTH / 2; i++) {
		uint16_t word;
		if (eeprom_read_word(nic, E1000_EEPROM_MAC_WORD0 + i, &word) != 0)
			return -1;
		mac[2 * i] = (uint8_t)word;
		mac[2 * i + 1] = (uint8_t)(word >> 8);
	}
	return 0;
}

/* The MAC the firmware (or the EEPROM auto-load after reset) put in receive
 * address 0, else the EEPROM words 0-2 (8254x SDM 5.6.1); receive address 0
 * is then written back valid so the filter accepts our unicast frames. */
int e1000_read_mac_address(struct e1000 *nic)
{
	uint8_t *mac = nic->netdev.mac;
	uint32_t low = e1000_read32(nic, E1000_RAL0), high = e1000_read32(nic, E1000_RAH0);
	for (unsigned i = 0; i < 4; i++)
		mac[i] = (uint8_t)(low >> (8 * i));
	mac[4] = (uint8_t)high;
	mac[5] = (uint8_t)(high >> 8);
	if (!(high & E1000_RAH_AV) || !mac_is_usable(mac)) {
		if (mac_from_eeprom(nic, mac) != 0 || !mac_is_usable(mac)) {
			pr_err("e1000: %s: no valid MAC address in RAL0/RAH0 or the EEPROM\n", nic->model->name);
			return -1;
		}
	}
	low = mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
	high = mac[4] | (uint32_t)mac[5] << 8 | E1000_RAH_AV;
	e1000_write32(nic, E1000_RAL0, low);
	e1000_write32(nic, E1000_RAH0, high);
	return 0;
}

static uint32_t speed_from_status(uint32_t status)
{
	switch ((status & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT) {
	case E1000_STATUS_SPEED_10:
		return 10;
	case E1000_STATUS_SPEED_100:
		return 100;
	default:
		return 1000;
	}
}

/* Reports STATUS.LU and the resolved speed to the stack when they change. */
void e1000_update_link(struct e1000 *nic)
{
	uint32_t status = e1000_read32(nic, E1000_STATUS);
	bool up = status & E1000_STATUS_LU;
	uint32_t speed = up ? speed_from_status(status) : 0;
	if (up == nic->netdev.link_up && speed == nic->netdev.link_speed_mbps)
		return;
	nic->counters.link_changes++;
	netdev_set_link(&nic->netdev, up, speed);
}

/* Folds the clear-on-read counters (8254x SDM 13, statistics registers) into the /proc/net/dev
 * columns: errors the MAC filtered out never reach a descriptor, so these
 * registers are the only place they are seen. */
void e1000_update_stats(struct e1000 *nic)
{
	struct netdev_stats *stats = &nic->netdev.stats;
	uint64_t crc = e1000_read32(nic, E1000_CRCERRS), alignment = e1000_read32(nic, E1000_ALGNERRC);
	uint64_t symbol = e1000_read32(nic, E1000_SYMERRS), receive = e1000_read32(nic, E1000_RXERRC);
	uint64_t length = e1000_read32(nic, E1000_RLEC), missed = e1000_read32(nic, E1000_MPC);
	stats->rx_frame_errors += crc + alignment;
	stats->rx_errors += crc + alignment + symbol + receive + length;
	stats->rx_fifo_errors += missed;
	stats->rx_dropped += missed;
	stats->rx_multicast += e1000_read32(nic, E1000_MPRC);
	nic->counters.rx_hw_no_descriptor += e1000_read32(nic, E1000_RNBC);

	uint64_t excessive = e1000_read32(nic, E1000_ECOL), late = e1000_read32(nic, E1000_LATECOL);
	stats->tx_collisions += e1000_read32(nic, E1000_COLC);
	stats->tx_errors += excessive + late;
	uint64_t no_carrier = e1000_read32(nic, E1000_TNCRS);
	/* TNCRS counts only in half duplex (8254x SDM, TNCRS). */
	if (!(e1000_read32(nic, E1000_STATUS) & E1000_STATUS_FD))
		stats->tx_carrier_errors += no_carrier;
}
