# cmdline.awk - copies a grub.cfg template, replacing every @CMDLINE@ with the
# first line of the file named by -v cmdline_file (the kernel command line).
# Used by boot/grub/iso.mk and boot/disk/disk.mk.
#
# The replacement is literal: awk's gsub() and -v would treat '&' and '\'
# in the command line specially, so the line is read from a file and spliced
# in with index()/substr().
BEGIN { getline cmdline < cmdline_file }
{
	out = ""
	line = $0
	while ((at = index(line, "@CMDLINE@")) > 0) {
		out = out substr(line, 1, at - 1) cmdline
		line = substr(line, at + 9)
	}
	print out line
}
