# apps/httpd/app.mk - embeds the site directory WWW into the image (included
# by apps/apps.mk when APP=httpd).
#
# apps/httpd/embed_site.py turns every regular file under $(WWW) into
#   $(BUILD)/gen/httpd_site_table.c  the table: URL path, length, ETag (from
#                                    the content), Last-Modified (the mtime)
#   $(BUILD)/gen/httpd_site_data.S   the bytes, with .incbin: straight into
#                                    .rodata, no C array to compile
# It runs on every make but rewrites its outputs only when they change.
#
# The default site also gets large files generated into the build directory
# (deterministic bytes, fixed mtime) instead of being committed:
# HTTPD_GENERATED lists NAME:BYTES pairs, e.g.
#   make HTTPD_GENERATED="1m.bin:1048576 10m.bin:10485760"
# A site given with WWW=<dir> gets none unless HTTPD_GENERATED says so.

HTTPD_DEFAULT_WWW := apps/httpd/www
HTTPD_GENERATED ?= $(if $(filter $(HTTPD_DEFAULT_WWW) $(HTTPD_DEFAULT_WWW)/,$(WWW)),1m.bin:1048576)

APP_GENERATED_OBJECTS += $(APP_GEN)/httpd_site_table.o $(APP_GEN)/httpd_site_data.o
APP_LINUX_SOURCES := $(APP_GEN)/httpd_site_table.c $(APP_GEN)/httpd_site_data.S

$(APP_GEN)/httpd_site_table.c $(APP_GEN)/httpd_site_data.S &: app-generated-force apps/httpd/embed_site.py
	@mkdir -p $(APP_GEN)
	$(Q)$(PYTHON) apps/httpd/embed_site.py --site "$(WWW)" --output $(APP_GEN)/httpd_site \
		$(foreach file,$(HTTPD_GENERATED),--generate $(file))
