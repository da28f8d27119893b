/* e1000_regs.h - registers, bits and descriptors of the Intel 8254x
 * (82540EM and relatives, QEMU `-device e1000`) and 82574L (QEMU `-device
 * e1000e`), declared once.
 *
 * Sources: "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual" (8254x SDM, rev 4.0) and the "Intel 82574 GbE
 * Controller Family Datasheet" (82574 DS, rev 3.x). The 82574 keeps the
 * 8254x register map and the legacy descriptor formats (82574 DS 7.1,
 * 7.2), and adds MSI-X with its own cause bits (IVAR, EIAC, EITR). */
#ifndef KEEL_DRIVERS_E1000_REGS_H
#define KEEL_DRIVERS_E1000_REGS_H

#include <stdint.h>

/* Register offsets in BAR0 (8254x SDM table 13-2, 82574 DS 10.2). */
#define E1000_CTRL 0x0000       /* device control */
#define E1000_STATUS 0x0008     /* device status (read only) */
#define E1000_EECD 0x0010       /* EEPROM/flash control */
#define E1000_EERD 0x0014       /* EEPROM read (not on the 82544) */
#define E1000_CTRL_EXT 0x0018   /* extended device control */
#define E1000_FCAL 0x0028       /* flow control address low */
#define E1000_FCAH 0x002C       /* flow control address high */
#define E1000_FCT 0x0030        /* flow control type */
#define E1000_ICR 0x00C0        /* interrupt cause read */
#define E1000_ITR 0x00C4        /* interrupt throttling, 256 ns units */
#define E1000_ICS 0x00C8        /* interrupt cause set */
#define E1000_IMS 0x00D0        /* interrupt mask set / read */
#define E1000_IMC 0x00D8        /* interrupt mask clear */
#define E1000_EIAC 0x00DC       /* 82574: MSI-X auto clear (82574 DS 10.2.4) */
#define E1000_IAM 0x00E0        /* 82574: interrupt acknowledge auto mask */
#define E1000_IVAR 0x00E4       /* 82574: cause -> MSI-X vector (82574 DS 10.2.4) */
#define E1000_EITR(vector) (0x00E8 + 4u * (vector)) /* 82574: per MSI-X vector ITR */
#define E1000_RCTL 0x0100       /* receive control */
#define E1000_FCTTV 0x0170      /* flow control transmit timer value */
#define E1000_TCTL 0x0400       /* transmit control */
#define E1000_TIPG 0x0410       /* transmit inter packet gap */
#define E1000_RDBAL 0x2800      /* RX descriptor base low */
#define E1000_RDBAH 0x2804      /* RX descriptor base high */
#define E1000_RDLEN 0x2808      /* RX ring length in bytes, multiple of 128 */
#define E1000_RDH 0x2810        /* RX head: the hardware's */
#define E1000_RDT 0x2818        /* RX tail: ours */
#define E1000_RDTR 0x2820       /* RX delay timer, 1.024 us units */
#define E1000_RADV 0x282C       /* RX absolute delay, 1.024 us units */
#define E1000_TDBAL 0x3800      /* TX descriptor base low */
#define E1000_TDBAH 0x3804      /* TX descriptor base high */
#define E1000_TDLEN 0x3808      /* TX ring length in bytes, multiple of 128 */
#define E1000_TDH 0x3810        /* TX head: the hardware's */
#define E1000_TDT 0x3818        /* TX tail: ours */
#define E1000_TIDV 0x3820       /* TX interrupt delay */
#define E1000_TADV 0x382C       /* TX absolute interrupt delay */
#define E1000_RXCSUM 0x5000     /* RX checksum control */
#define E1000_MTA 0x5200        /* multicast table, 128 x 32 bits */
#define E1000_MTA_ENTRIES 128
#define E1000_RAL0 0x5400       /* receive address 0 low */
#define E1000_RAH0 0x5404       /* receive address 0 high */

/* Statistics registers (8254x SDM 13, statistics registers; 82574 DS 10.2): all clear on
 * read, 32 bits unless noted. */
#define E1000_STATS_FIRST 0x4000
#define E1000_STATS_LAST 0x40FC
#define E1000_CRCERRS 0x4000    /* CRC errors */
#define E1000_ALGNERRC 0x4004   /* alignment errors */
#define E1000_SYMERRS 0x4008    /* symbol errors */
#define E1000_RXERRC 0x400C     /* RX errors (RX_ER from the PHY) */
#define E1000_MPC 0x4010        /* missed packets: RX FIFO had no room */
#define E1000_ECOL 0x4018       /* excessive collisions */
#define E1000_LATECOL 0x4020    /* late collisions */
#define E1000_COLC 0x4028       /* collisions */
#define E1000_TNCRS 0x4034      /* transmit with no carrier sense */
#define E1000_RLEC 0x4040       /* receive length errors */
#define E1000_MPRC 0x407C       /* multicast packets received */
#define E1000_RNBC 0x40A0       /* receive no buffers (descriptors ran out) */
#define E1000_RUC 0x40A4        /* receive undersize */
#define E1000_ROC 0x40AC        /* receive oversize */

/* CTRL (8254x SDM 13.4.1, 82574 DS 10.2.2). */
#define E1000_CTRL_FD (1u << 0)         /* full duplex */
#define E1000_CTRL_ASDE (1u << 5)       /* auto speed detection enable */
#define E1000_CTRL_SLU (1u << 6)        /* set link up */
#define E1000_CTRL_ILOS (1u << 7)       /* invert loss of signal */
#define E1000_CTRL_FRCSPD (1u << 11)    /* force speed */
#define E1000_CTRL_FRCDPLX (1u << 12)   /* force duplex */
#define E1000_CTRL_RST (1u << 26)       /* device reset, self clearing */
#define E1000_CTRL_VME (1u << 30)       /* VLAN mode enable */
#define E1000_CTRL_PHY_RST (1u << 31)   /* PHY reset */

/* STATUS (8254x SDM 13.4.2). */
#define E1000_STATUS_FD (1u << 0)
#define E1000_STATUS_LU (1u << 1)       /* link up */
#define E1000_STATUS_SPEED_SHIFT 6
#define E1000_STATUS_SPEED_MASK (3u << E1000_STATUS_SPEED_SHIFT)
#define E1000_STATUS_SPEED_10 0u
#define E1000_STATUS_SPEED_100 1u       /* 2 and 3 both mean 1000 */

/* EERD (8254x SDM 13.4.4; 82574 DS 10.2.2): two layouts. The 82540,
 * 82545 and 82546 put DONE in bit 4 and the word address in bits 15:8; the
 * 82541, 82547 and 82574 put DONE in bit 1 and the address in bits 15:2. */
#define E1000_EERD_START (1u << 0)
#define E1000_EERD_DATA_SHIFT 16
#define E1000_EERD_ADDRESS_8_DONE (1u << 4)
#define E1000_EERD_ADDRESS_8_SHIFT 8
#define E1000_EERD_ADDRESS_2_DONE (1u << 1)
#define E1000_EERD_ADDRESS_2_SHIFT 2
#define E1000_EEPROM_MAC_WORD0 0        /* MAC in words 0-2, little endian (8254x SDM 5.6.1) */

/* CTRL_EXT, 82574 bits (82574 DS 10.2.2). */
#define E1000_CTRL_EXT_EIAME (1u << 24) /* extended auto mask on MSI-X */
#define E1000_CTRL_EXT_IAME (1u << 27)  /* auto mask (IAM) on ICR read */
#define E1000_CTRL_EXT_PBA_SUPPORT (1u << 31) /* MSI-X pending bits cleared by the device */

/* Interrupt causes, same bit in ICR/ICS/IMS/IMC (8254x SDM 13.4.17-21,
 * 82574 DS 10.2.4). */
#define E1000_INT_TXDW (1u << 0)        /* TX descriptor written back */
#define E1000_INT_TXQE (1u << 1)        /* TX queue empty */
#define E1000_INT_LSC (1u << 2)         /* link status change */
#define E1000_INT_RXSEQ (1u << 3)       /* RX sequence error */
#define E1000_INT_RXDMT0 (1u << 4)      /* RX descriptors below minimum threshold */
#define E1000_INT_RXO (1u << 6)         /* RX overrun (FIFO) */
#define E1000_INT_RXT0 (1u << 7)        /* RX timer: frame(s) received */
#define E1000_INT_RXQ0 (1u << 20)       /* 82574 MSI-X: RX queue 0 */
#define E1000_INT_TXQ0 (1u << 22)       /* 82574 MSI-X: TX queue 0 */
#define E1000_INT_OTHER (1u << 24)      /* 82574 MSI-X: any other cause (LSC, RXO, ...) */
#define E1000_INT_ASSERTED (1u << 31)   /* 82574: ICR read while the interrupt was asserted */
#define E1000_INT_ALL 0xFFFFFFFFu

/* IVAR (82574 DS 10.2.4): 4-bit fields, a vector number and a valid bit. */
#define E1000_IVAR_VALID 0x8u
#define E1000_IVAR_RXQ0_SHIFT 0
#define E1000_IVAR_TXQ0_SHIFT 8
#define E1000_IVAR_OTHER_SHIFT 16
#define E1000_IVAR_TX_INT_EVERY_WRITEBACK (1u << 31)

/* ITR/EITR interval field (8254x SDM 13.4.18): bits 15:0, 256 ns units. */
#define E1000_ITR_INTERVAL_MASK 0xFFFFu
#define E1000_ITR_UNIT_NS 256u

/* RCTL (8254x SDM 13.4.22). */
#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_SBP (1u << 2)        /* store bad packets */
#define E1000_RCTL_UPE (1u << 3)        /* unicast promiscuous */
#define E1000_RCTL_MPE (1u << 4)        /* multicast promiscuous */
#define E1000_RCTL_LPE (1u << 5)        /* long packets (> 1522) */
#define E1000_RCTL_RDMTS_HALF (0u << 8) /* RXDMT0 when half the ring is left */
#define E1000_RCTL_BAM (1u << 15)       /* accept broadcast */
#define E1000_RCTL_BSIZE_2048 (0u << 16) /* with BSEX = 0 */
#define E1000_RCTL_SECRC (1u << 26)     /* strip the Ethernet CRC */
#define E1000_RX_BUFFER_SIZE 2048u

/* TCTL (8254x SDM 13.4.33). */
#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)        /* pad short packets to 64 bytes */
#define E1000_TCTL_CT_SHIFT 4           /* collision threshold */
#define E1000_TCTL_COLD_SHIFT 12        /* collision distance */
#define E1000_TCTL_CT_RECOMMENDED 0x0Fu /* 16 retries, IEEE 802.3 */
#define E1000_TCTL_COLD_FULL_DUPLEX 0x40u /* 512 bit times (8254x SDM 14.5) */

/* TIPG (8254x SDM 13.4.34 and 14.5: copper 10/8/6; 82574 DS TIPG: 8/8/6). */
#define E1000_TIPG_IPGR1_SHIFT 10
#define E1000_TIPG_IPGR2_SHIFT 20
#define E1000_TIPG_IPGT_8254X_COPPER 10u
#define E1000_TIPG_IPGT_82574 8u
#define E1000_TIPG_IPGR1 8u
#define E1000_TIPG_IPGR2 6u

/* RXCSUM (8254x SDM 13.4, Receive Checksum Control). */
#define E1000_RXCSUM_IPOFLD (1u << 8)   /* IPv4 header checksum offload */
#define E1000_RXCSUM_TUOFLD (1u << 9)   /* TCP/UDP checksum offload */

/* RAH (8254x SDM 13.4, Receive Address High). */
#define E1000_RAH_AV (1u << 31)         /* address valid */

/* [8254x SDM 3.2.3] legacy receive descriptor; the 82574 reads the same
 * layout while RFCTL.EXSTEN is 0 (82574 DS 7.1). */
struct e1000_rx_desc {
	uint64_t buffer_address;
	uint16_t length;            /* written back: bytes in this buffer */
	uint16_t packet_checksum;
	uint8_t status;             /* E1000_RXD_STATUS_* */
	uint8_t errors;             /* E1000_RXD_ERROR_*, valid with EOP */
	uint16_t special;           /* VLAN tag */
};
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "legacy RX descriptor is 16 bytes");

/* [8254x SDM 3.2.3.1] RX status. */
#define E1000_RXD_STATUS_DD (1u << 0)    /* descriptor done */
#define E1000_RXD_STATUS_EOP (1u << 1)   /* last descriptor of the frame */
#define E1000_RXD_STATUS_IXSM (1u << 2)  /* ignore the checksum indications */
#define E1000_RXD_STATUS_UDPCS (1u << 4) /* 82574: UDP checksum calculated */
#define E1000_RXD_STATUS_TCPCS (1u << 5) /* TCP (82574: or UDP) checksum calculated */
#define E1000_RXD_STATUS_IPCS (1u << 6)  /* IPv4 header checksum calculated */

/* [8254x SDM 3.2.3.2] RX errors. */
#define E1000_RXD_ERROR_CE (1u << 0)     /* CRC or alignment error */
#define E1000_RXD_ERROR_SE (1u << 1)     /* symbol error */
#define E1000_RXD_ERROR_SEQ (1u << 2)    /* sequence error */
#define E1000_RXD_ERROR_CXE (1u << 4)    /* carrier extension error */
#define E1000_RXD_ERROR_TCPE (1u << 5)   /* TCP/UDP checksum error */
#define E1000_RXD_ERROR_IPE (1u << 6)    /* IPv4 checksum error */
#define E1000_RXD_ERROR_RXE (1u << 7)    /* RX data error */
#define E1000_RXD_ERROR_FRAME (E1000_RXD_ERROR_CE | E1000_RXD_ERROR_SE | E1000_RXD_ERROR_SEQ | \
			       E1000_RXD_ERROR_CXE | E1000_RXD_ERROR_RXE)

/* [8254x SDM 3.3.3] legacy transmit descriptor. */
struct e1000_tx_desc {
	uint64_t buffer_address;
	uint16_t length;
	uint8_t checksum_offset;    /* CSO, with CMD.IC */
	uint8_t command;            /* E1000_TXD_CMD_* */
	uint8_t status;             /* E1000_TXD_STATUS_* */
	uint8_t checksum_start;     /* CSS, with CMD.IC */
	uint16_t special;           /* VLAN tag */
};
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "legacy TX descriptor is 16 bytes");

/* [8254x SDM 3.3.3.1] TX command. */
#define E1000_TXD_CMD_EOP (1u << 0)      /* end of packet */
#define E1000_TXD_CMD_IFCS (1u << 1)     /* insert the Ethernet CRC */
#define E1000_TXD_CMD_RS (1u << 3)       /* report status: write DD back */
#define E1000_TXD_STATUS_DD (1u << 0)    /* descriptor done */

/* [8254x SDM 3.3.6; 82574 DS 7.2.10.2] TCP/IP context descriptor: tells the
 * checksum and segmentation engines where the headers are. It stays in
 * force for the data descriptors that follow until the next context (the
 * 8254x keeps one; the 82574 reads the same format into its context), which
 * is why the driver remembers the last one it wrote. Offsets count from the
 * first byte of the frame (the Ethernet header). */
struct e1000_tx_context_desc {
	uint8_t ip_checksum_start;   /* IPCSS: first byte of the IPv4 header */
	uint8_t ip_checksum_offset;  /* IPCSO: where the IPv4 header checksum goes */
	uint16_t ip_checksum_end;    /* IPCSE: last byte of the IPv4 header (inclusive) */
	uint8_t tu_checksum_start;   /* TUCSS: first byte the TCP/UDP checksum covers */
	uint8_t tu_checksum_offset;  /* TUCSO: where the TCP/UDP checksum goes */
	uint16_t tu_checksum_end;    /* TUCSE: last byte covered, 0 = to the end of the packet */
	uint32_t command_and_length; /* PAYLEN 19:0 (TSO), DTYP 23:20 = 0, TUCMD 31:24 */
	uint8_t status;              /* STA 3:0 (DD with TUCMD.RS) */
	uint8_t header_length;       /* HDRLEN (TSO): bytes of Ethernet + IP + TCP header */
	uint16_t mss;                /* MSS (TSO): TCP payload bytes per segment */
};
_Static_assert(sizeof(struct e1000_tx_context_desc) == 16, "TX context descriptor is 16 bytes");

/* [8254x SDM 3.3.7; 82574 DS 7.2.10.3] TCP/IP data descriptor: one buffer
 * of a packet whose offloads the current context describes. */
struct e1000_tx_data_desc {
	uint64_t buffer_address;
	uint32_t command_and_length; /* DTALEN 19:0, DTYP 23:20 = 1, DCMD 31:24 */
	uint8_t status;              /* STA 3:0: DD */
	uint8_t options;             /* POPTS: E1000_TXD_POPTS_*, read from a packet's first descriptor */
	uint16_t special;            /* VLAN tag */
};
_Static_assert(sizeof(struct e1000_tx_data_desc) == 16, "TX data descriptor is 16 bytes");

/* command_and_length of the context and data descriptors (8254x SDM
 * 3.3.6.1, 3.3.7.1): DEXT marks the extended formats, DTYP tells them apart. */
#define E1000_TXD_LENGTH_MASK 0x000FFFFFu     /* PAYLEN / DTALEN */
#define E1000_TXD_DTYP_CONTEXT (0x0u << 20)
#define E1000_TXD_DTYP_DATA (0x1u << 20)
#define E1000_TXD_DCMD_EOP (1u << 24)         /* data: end of packet */
#define E1000_TXD_DCMD_IFCS (1u << 25)        /* data: insert the Ethernet CRC */
#define E1000_TXD_DCMD_TSE (1u << 26)         /* data: this packet is segmented per the context */
#define E1000_TXD_DCMD_RS (1u << 27)          /* data: report status (DD) */
#define E1000_TXD_DEXT (1u << 29)             /* both: extended descriptor */
#define E1000_TXD_TUCMD_TCP (1u << 24)        /* context: TCP (else UDP), used by TSO */
#define E1000_TXD_TUCMD_IP (1u << 25)         /* context: IPv4 (else IPv6), used by TSO */
#define E1000_TXD_TUCMD_TSE (1u << 26)        /* context: TCP segmentation context */
/* [8254x SDM 3.3.7.2] POPTS: which checksums the device inserts. */
#define E1000_TXD_POPTS_IXSM 0x01u            /* IPv4 header checksum (IPCSS..IPCSE into IPCSO) */
#define E1000_TXD_POPTS_TXSM 0x02u            /* TCP/UDP checksum (TUCSS..TUCSE into TUCSO) */
/* Field widths the formats impose: IPCSS/TUCSS/TUCSO and HDRLEN are 8 bits. */
#define E1000_TXD_OFFSET_MAX 0xFFu

/* Every descriptor field is naturally aligned, so neither struct needs
 * packing; the asserts pin the layout. */

/* Descriptor rings: RDLEN/TDLEN must be multiples of 128 bytes (8254x SDM
 * 13.4, RDLEN/TDLEN), i.e. the count a multiple of 8; base addresses 16-byte aligned
 * (we use whole pages). */
#define E1000_RING_COUNT_MULTIPLE 8u
#define E1000_RING_MINIMUM 8u
#define E1000_RING_MAXIMUM 4096u

#endif
