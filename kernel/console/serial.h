/* serial.h - 16550 UART driver for the console (COM1 by default).
 * Transmit is polled: the console must work before interrupts exist and
 * from inside a panic. serial_write spins on the UART (bounded per byte);
 * serial_write_ready writes only what the transmitter takes now, for the
 * operator's console (kernel/console/shell.c) which must not hold up the
 * loop. Receive is polled too (serial_read_byte); the receive interrupt
 * only wakes the CPU (serial_receive_interrupt). */
#ifndef KEEL_SERIAL_H
#define KEEL_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1 0x3F8
#define SERIAL_COM2 0x2F8

/* Programs 115200 8N1 with FIFOs; returns 0, or -1 when no UART answers. */
int serial_init(uint16_t port);
void serial_write(uint16_t port, const char *text, size_t length);
/* Writes bytes while the transmitter has room (its FIFO when empty), with
 * no waiting; returns how many of text were taken (a '\n' is sent as
 * "\r\n" and counts as one). */
size_t serial_write_ready(uint16_t port, const char *text, size_t length);
/* The next received byte, or -1 when none is waiting. */
int serial_read_byte(uint16_t port);
/* Whether a received byte is waiting (Line Status "data ready"). */
bool serial_receive_pending(uint16_t port);
/* Receive-data interrupt on (IER bit 0) or off. */
void serial_receive_interrupt(uint16_t port, bool enable);

#endif
