/* command_line.h - the kernel command line on the EFI path.
 *
 * Contract: command_line_read() writes into out (NUL-terminated, ASCII,
 * at most `capacity` bytes) the contents of the file keel.cmdline in the
 * loader's own directory (\EFI\BOOT\keel.cmdline on a removable-media boot),
 * followed by the arguments the loader was started with: the UEFI shell's
 * argv[1..], or the raw LoadOptions text of a firmware boot entry. Either may
 * be absent; the default is the empty line. Line breaks become spaces. */
#ifndef KEEL_EFI_COMMAND_LINE_H
#define KEEL_EFI_COMMAND_LINE_H

#include <efi.h>

void command_line_read(EFI_HANDLE image_handle, char *out, UINTN capacity);

#endif
