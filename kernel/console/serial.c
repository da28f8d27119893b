/* serial.c - 16550 UART, polled (see serial.h). Register layout: PC16550D
 * datasheet, section 8.3 "Register Summary". */
#include "kernel/console/serial.h"
#include "kernel/arch/x86/cpu.h"

enum uart_register {
	UART_DATA = 0,            /* THR/RBR; DLL when DLAB=1 */
	UART_INTERRUPT_ENABLE = 1, /* IER; DLM when DLAB=1 */
	UART_FIFO_CONTROL = 2,
	UART_LINE_CONTROL = 3,
	UART_MODEM_CONTROL = 4,
	UART_LINE_STATUS = 5,
	UART_SCRATCH = 7,
};

#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20
#define UART_IER_RECEIVE_DATA 0x01
/* The 16550's transmit FIFO: THR empty means this many bytes fit. */
#define UART_FIFO_BYTES 16
#define UART_CLOCK_DIVISOR_115200 1
/* Bounded wait so a missing or wedged UART cannot hang the kernel. */
#define UART_TX_SPIN_LIMIT 100000

int serial_init(uint16_t port)
{
	/* A UART keeps what is written to its scratch register; an empty port
	 * reads back 0xFF. */
	outb(port + UART_SCRATCH, 0x5A);
	if (inb(port + UART_SCRATCH) != 0x5A)
		return -1;
	outb(port + UART_INTERRUPT_ENABLE, 0);
	outb(port + UART_LINE_CONTROL, UART_LCR_DLAB);
	outb(port + UART_DATA, UART_CLOCK_DIVISOR_115200 & 0xFF);
	outb(port + UART_INTERRUPT_ENABLE, UART_CLOCK_DIVISOR_115200 >> 8);
	outb(port + UART_LINE_CONTROL, UART_LCR_8N1);
	outb(port + UART_FIFO_CONTROL, 0xC7);   /* enable + clear FIFOs, 14-byte trigger */
	outb(port + UART_MODEM_CONTROL, 0x03);  /* DTR, RTS */
	return 0;
}

/* Waits (bounded) until the transmitter holding register is empty: the
 * FIFO then takes UART_FIFO_BYTES bytes without another look. */
static void serial_wait_fifo_empty(uint16_t port)
{
	for (int spin = 0; spin < UART_TX_SPIN_LIMIT; spin++) {
		if (inb(port + UART_LINE_STATUS) & UART_LSR_THR_EMPTY)
			return;
		cpu_pause();
	}
}

/* One status read per FIFO's worth of bytes rather than per byte (as
 * Linux's 8250 driver loads tx_loadsz bytes per THRE): under emulation each
 * port access is a trap, and boot output is mostly these traps. */
void serial_write(uint16_t port, const char *text, size_t length)
{
	unsigned room = 0;
	for (size_t i = 0; i < length; i++) {
		unsigned needed = text[i] == '\n' ? 2 : 1;
		if (room < needed) {
			serial_wait_fifo_empty(port);
			room = UART_FIFO_BYTES;
		}
		if (text[i] == '\n')
			outb(port + UART_DATA, '\r');
		outb(port + UART_DATA, (uint8_t)text[i]);
		room -= needed;
	}
}

size_t serial_write_ready(uint16_t port, const char *text, size_t length)
{
	size_t taken = 0;
	while (taken < length && (inb(port + UART_LINE_STATUS) & UART_LSR_THR_EMPTY)) {
		/* The FIFO is empty: a whole FIFO's worth fits, "\r\n" counted as two. */
		unsigned room = UART_FIFO_BYTES;
		while (taken < length && room >= 2) {
			if (text[taken] == '\n') {
				outb(port + UART_DATA, '\r');
				room--;
			}
			outb(port + UART_DATA, (uint8_t)text[taken++]);
			room--;
		}
	}
	return taken;
}

bool serial_receive_pending(uint16_t port)
{
	return (inb(port + UART_LINE_STATUS) & UART_LSR_DATA_READY) != 0;
}

int serial_read_byte(uint16_t port)
{
	if (!serial_receive_pending(port))
		return -1;
	return inb(port + UART_DATA);
}

void serial_receive_interrupt(uint16_t port, bool enable)
{
	outb(port + UART_INTERRUPT_ENABLE, enable ? UART_IER_RECEIVE_DATA : 0);
}
