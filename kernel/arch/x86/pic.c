/* pic.c - the legacy 8259A pair, moved out of the way and silenced. Firmware
 * leaves the master at vectors 0x08-0x0F, on top of CPU exceptions; we remap
 * both chips to 0x20-0x2F (so a spurious IRQ 7/15 lands on a harmless vector)
 * and mask every line, since all interrupts go through the APICs.
 * Reference: Intel 8259A datasheet, "Initialization Command Words". Done even
 * when the MADT lacks PCAT_COMPAT: writes to absent ports are ignored. */
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"

#define PIC_MASTER_COMMAND 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_COMMAND 0xA0
#define PIC_SLAVE_DATA 0xA1

#define ICW1_INIT 0x10         /* start the initialization sequence */
#define ICW1_ICW4_NEEDED 0x01
#define ICW3_MASTER_SLAVE_ON_IRQ2 (1u << 2) /* master: bit mask of the cascade input */
#define ICW3_SLAVE_CASCADE_ID 2             /* slave: its cascade identity */
#define ICW4_8086_MODE 0x01
#define OCW1_MASK_ALL 0xFF

/* Port 0x80 (POST diagnostics) is unused: a write there gives the slow
 * 8259 time between initialization words. */
#define IO_DELAY_PORT 0x80

static void io_delay(void)
{
	outb(IO_DELAY_PORT, 0);
}

static void pic_write(uint16_t port, uint8_t value)
{
	outb(port, value);
	io_delay();
}

void pic_disable(void)
{
	pic_write(PIC_MASTER_COMMAND, ICW1_INIT | ICW1_ICW4_NEEDED);
	pic_write(PIC_SLAVE_COMMAND, ICW1_INIT | ICW1_ICW4_NEEDED);
	pic_write(PIC_MASTER_DATA, VECTOR_PIC_BASE);     /* ICW2: vector base */
	pic_write(PIC_SLAVE_DATA, VECTOR_PIC_BASE + 8);
	pic_write(PIC_MASTER_DATA, ICW3_MASTER_SLAVE_ON_IRQ2);
	pic_write(PIC_SLAVE_DATA, ICW3_SLAVE_CASCADE_ID);
	pic_write(PIC_MASTER_DATA, ICW4_8086_MODE);
	pic_write(PIC_SLAVE_DATA, ICW4_8086_MODE);
	pic_write(PIC_MASTER_DATA, OCW1_MASK_ALL);
	pic_write(PIC_SLAVE_DATA, OCW1_MASK_ALL);
}
