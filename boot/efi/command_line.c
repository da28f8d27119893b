/* command_line.c - see command_line.h. Protocols: EFI_LOADED_IMAGE_PROTOCOL
 * (UEFI 2.10 section 9.1), EFI_SIMPLE_FILE_SYSTEM_PROTOCOL and
 * EFI_FILE_PROTOCOL (section 13.4, 13.5), file path media device path
 * (section 10.3.5.4), EFI_SHELL_PARAMETERS_PROTOCOL (UEFI Shell 2.2
 * section 2.3). */
#include <efi.h>
#include <efilib.h>
#include <efishell.h>

#include "boot/efi/command_line.h"
#include "kernel/core/boot_info.h"

#define COMMAND_LINE_FILE_NAME L"keel.cmdline"
#define DEFAULT_DIRECTORY L"\\EFI\\BOOT\\"
#define PATH_MAX_CHARACTERS 512

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID simple_file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID shell_parameters_guid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;

/* Appends one ASCII character; anything unprintable (line breaks, tabs,
 * non-ASCII) becomes a space so that the kernel sees one line of words. */
static void append_character(char *out, UINTN capacity, UINTN *length, UINT32 character)
{
	if (*length + 1 >= capacity)
		return;
	out[(*length)++] = character >= 0x20 && character < 0x7F ? (char)character : ' ';
	out[*length] = '\0';
}

static void append_separator(char *out, UINTN capacity, UINTN *length)
{
	if (*length > 0 && out[*length - 1] != ' ')
		append_character(out, capacity, length, ' ');
}

static void append_wide_string(char *out, UINTN capacity, UINTN *length, const CHAR16 *text, UINTN max_characters)
{
	for (UINTN i = 0; i < max_characters && text[i]; i++)
		append_character(out, capacity, length, text[i]);
}

/* One shell argument; the shell removed its quotes, so an argument with
 * spaces is quoted again for the kernel's parser (kernel/core/cmdline.c). */
static void append_argument(char *out, UINTN capacity, UINTN *length, const CHAR16 *argument)
{
	BOOLEAN quote = FALSE;
	for (UINTN i = 0; argument[i]; i++)
		quote |= argument[i] == L' ';
	append_separator(out, capacity, length);
	if (quote)
		append_character(out, capacity, length, '"');
	append_wide_string(out, capacity, length, argument, capacity);
	if (quote)
		append_character(out, capacity, length, '"');
}

/* The loader's directory from its file path nodes, e.g. "\EFI\BOOT\" (with
 * the trailing separator), or the removable-media default. */
static void loader_directory(EFI_LOADED_IMAGE *loaded_image, CHAR16 *path, UINTN max_characters)
{
	UINTN length = 0, after_last_separator = 0;
	for (EFI_DEVICE_PATH *node = loaded_image->FilePath; node && !IsDevicePathEnd(node); node = NextDevicePathNode(node)) {
		if (DevicePathType(node) != MEDIA_DEVICE_PATH || DevicePathSubType(node) != MEDIA_FILEPATH_DP)
			continue;
		const CHAR16 *name = ((FILEPATH_DEVICE_PATH *)node)->PathName;
		UINTN name_characters = (DevicePathNodeLength(node) - sizeof(EFI_DEVICE_PATH)) / sizeof(CHAR16);
		for (UINTN i = 0; i < name_characters && name[i] && length + 1 < max_characters; i++) {
			path[length++] = name[i];
			if (name[i] == L'\\')
				after_last_separator = length;
		}
	}
	if (after_last_separator == 0) {
		StrCpy(path, DEFAULT_DIRECTORY);
		return;
	}
	path[after_last_separator] = L'\0';
}

static void append_command_line_file(EFI_LOADED_IMAGE *loaded_image, char *out, UINTN capacity, UINTN *length)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *file_system;
	EFI_FILE_HANDLE root, file;
	CHAR16 path[PATH_MAX_CHARACTERS];
	loader_directory(loaded_image, path, PATH_MAX_CHARACTERS - StrLen(COMMAND_LINE_FILE_NAME));
	StrCat(path, COMMAND_LINE_FILE_NAME);
	if (EFI_ERROR(BS->HandleProtocol(loaded_image->DeviceHandle, &simple_file_system_guid, (void **)&file_system)))
		return;
	if (EFI_ERROR(file_system->OpenVolume(file_system, &root)))
		return;
	if (!EFI_ERROR(root->Open(root, &file, path, EFI_FILE_MODE_READ, 0))) {
		char bytes[BOOT_INFO_CMDLINE_MAX];
		UINTN size = sizeof(bytes);
		if (!EFI_ERROR(file->Read(file, &size, bytes))) {
			append_separator(out, capacity, length);
			for (UINTN i = 0; i < size; i++)
				append_character(out, capacity, length, (UINT8)bytes[i]);
		}
		file->Close(file);
	}
	root->Close(root);
}

/* LoadOptions of a firmware boot entry are opaque bytes: EDK II's
 * auto-created entries carry a binary GUID there. Only UCS-2 text counts. */
static BOOLEAN load_options_are_text(const CHAR16 *options, UINTN size)
{
	if (options == NULL || size < sizeof(CHAR16) || size % sizeof(CHAR16) != 0)
		return FALSE;
	for (UINTN i = 0; i < size / sizeof(CHAR16) && options[i]; i++)
		if (options[i] < 0x20 || options[i] >= 0x7F)
			return FALSE;
	return TRUE;
}

static void append_arguments(EFI_HANDLE image_handle, EFI_LOADED_IMAGE *loaded_image, char *out, UINTN capacity,
			     UINTN *length)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *shell_parameters;
	/* Started from the UEFI shell: LoadOptions also holds argv[0], the program name. */
	if (!EFI_ERROR(BS->HandleProtocol(image_handle, &shell_parameters_guid, (void **)&shell_parameters))) {
		for (UINTN i = 1; i < shell_parameters->Argc; i++)
			append_argument(out, capacity, length, shell_parameters->Argv[i]);
		return;
	}
	if (!load_options_are_text(loaded_image->LoadOptions, loaded_image->LoadOptionsSize))
		return;
	append_separator(out, capacity, length);
	append_wide_string(out, capacity, length, loaded_image->LoadOptions, loaded_image->LoadOptionsSize / sizeof(CHAR16));
}

static void trim_trailing_spaces(char *out, UINTN *length)
{
	while (*length > 0 && out[*length - 1] == ' ')
		out[--*length] = '\0';
}

void command_line_read(EFI_HANDLE image_handle, char *out, UINTN capacity)
{
	UINTN length = 0;
	EFI_LOADED_IMAGE *loaded_image;
	if (capacity == 0)
		return;
	out[0] = '\0';
	if (EFI_ERROR(BS->HandleProtocol(image_handle, &loaded_image_guid, (void **)&loaded_image)))
		return;
	append_command_line_file(loaded_image, out, capacity, &length);
	append_arguments(image_handle, loaded_image, out, capacity, &length);
	trim_trailing_spaces(out, &length);
}
