/* serial.h - 16550 UART driver for the console (COM1 by default).
 * Polled transmit only: the console must work before interrupts exist and
 * from inside a panic. */
#ifndef KEEL_SERIAL_H
#define KEEL_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1 0x3F8
#define SERIAL_COM2 0x2F8

/* Programs 115200 8N1 with FIFOs; returns 0, or -1 when no UART answers. */
int serial_init(uint16_t port);
void serial_write(uint16_t port, const char *text, size_t length);

#endif
