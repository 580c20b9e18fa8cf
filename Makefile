# pptpkit - GNU Makefile.
#
#   make                 build ./pptpkit
#   make check           install missing Debian packages, build, run every test
#   make check-interop   against real pppd/pptpd/pptp-linux in a VM (in check)
#   make check-asan      the unit tests again under ASan+UBSan
#   make fuzz            build the libFuzzer harnesses (clang)
#   make fuzz-smoke      run each fuzzer for FUZZ_SECONDS on its seed corpus
#   make bench           build the benchmarks in bench/
#   make demo            (arrives with the VPN) server and client in namespaces
#
# Each src/<module>/ is a static archive.  The pure cores (wire, crypto, ppp,
# pptp) and their tests link only core archives plus base, so a core that
# reaches for event/ or os/ fails to link: a layering fault, found for free.

CC	?= cc
GROUP_START := -Wl,--start-group
GROUP_END   := -Wl,--end-group
FUZZCC	?= clang
BUILD	?= build
WERROR	?=
SAN	?=

CFLAGS_WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	      -Wpointer-arith -Wformat=2 -Wvla $(WERROR)
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(CFLAGS_WARN) -MMD -MP $(CFLAGS) \
	     -DT_DATA='"$(CURDIR)/tests/data"'
ifeq ($(SAN),1)
BUILD	 := build-asan
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all
LDSAN	 = -fsanitize=address,undefined
endif
LDLIBS	= -lnettle -lpcap

# A face appears in the program (and its --help) once its entry point exists.
ifneq ($(wildcard src/server/server_main.c),)
ALL_CFLAGS += -DPPTPKIT_HAVE_SERVER
endif
ifneq ($(wildcard src/client/client_main.c),)
ALL_CFLAGS += -DPPTPKIT_HAVE_CLIENT
endif
ifneq ($(wildcard src/inspect/inspect_main.c),)
ALL_CFLAGS += -DPPTPKIT_HAVE_INSPECT
endif

# Module order is link order: a module may use only those after it.
CORE_MODULES = ppp pptp crypto wire base
MODULES	= $(sort $(patsubst src/%/,%,$(wildcard src/*/)))
module_srcs = $(wildcard src/$(1)/*.c)
module_lib  = $(BUILD)/lib$(1).a

CORE_LIBS = $(foreach m,$(CORE_MODULES),$(if $(call module_srcs,$(m)),$(call module_lib,$(m))))
APP_MODULES = $(filter-out $(CORE_MODULES),$(MODULES))
APP_LIBS  = $(foreach m,$(APP_MODULES),$(if $(call module_srcs,$(m)),$(call module_lib,$(m))))

TEST_SRCS  = $(wildcard tests/test_*.c)
TEST_BINS  = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
# Every other tests/*.c (the harness, capture reader, PPP pair...) goes into
# one archive, so a test pulls in only the support it uses.
TEST_SUPPORT_OBJS = $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(filter-out tests/test_%.c,$(wildcard tests/*.c)))
TEST_SUPPORT = $(BUILD)/tests/libtest.a
BENCH_SRCS = $(wildcard bench/*.c)
BENCH_BINS = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
FUZZ_SRCS  = $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS  = $(patsubst fuzz/%.c,build-fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 5

.PHONY: all check check-unit check-asan check-interop deps fuzz fuzz-smoke bench clean demo
all: pptpkit

# The unit tests need the build group; the namespace tests (server, client,
# tunnel) need ip, nft, ping and friends from the net group.
deps:
	@scripts/deps.sh build net

# Installed by rename, so a ./pptpkit that is running is not disturbed.
pptpkit: $(BUILD)/pptpkit
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/pptpkit: $(BUILD)/main.o $(APP_LIBS) $(CORE_LIBS)
	$(CC) $(LDSAN) -o $@ $< $(GROUP_START) $(APP_LIBS) $(CORE_LIBS) $(GROUP_END) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O3 -c -o $@ $<

define module_rules
$(call module_lib,$(1)): $(patsubst src/%.c,$(BUILD)/%.o,$(call module_srcs,$(1)))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

# Core tests link only the core archives (a layering check).  Tests of the
# I/O edge are named after their module (test_event*, test_os*, test_server*,
# test_client*, test_inspect*) and link the application archives too.
APP_TEST_BINS = $(filter $(foreach m,$(APP_MODULES),$(BUILD)/tests/test_$(m)%),$(TEST_BINS))
$(APP_TEST_BINS): EXTRA_LIBS = $(APP_LIBS)
$(APP_TEST_BINS): $(APP_LIBS)

$(TEST_SUPPORT): $(TEST_SUPPORT_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_SUPPORT) $(CORE_LIBS)
	$(CC) $(LDSAN) -o $@ $< $(TEST_SUPPORT) $(if $(EXTRA_LIBS),$(GROUP_START) $(EXTRA_LIBS) $(CORE_LIBS) $(GROUP_END),$(CORE_LIBS)) $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(CORE_LIBS)
	$(CC) -o $@ $^ $(LDLIBS)

check: deps
	@$(MAKE) --no-print-directory check-unit
	@$(MAKE) --no-print-directory check-interop

# Real pppd 2.4.9, pptpd 1.4.0 and pptp-linux 1.10.0 in a qemu VM against
# pptpkit (../shared/interop/vm.sh); docs/INTEROP.md.
check-interop: pptpkit
	@scripts/check-interop.sh

check-unit: $(TEST_BINS) pptpkit
	@scripts/run-tests.sh $(TEST_BINS)

check-asan:
	@$(MAKE) --no-print-directory SAN=1 check-unit

# Fuzzers: the core modules compiled again with clang, sanitizers and
# coverage (fuzzer-no-link) into archives of their own, so a harness pulls
# in only the code it drives.
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
# inspect is not a core, but its analysis (inspect_packet) is pure and
# takes file input, so it is fuzzed too.
FUZZ_MODULES = inspect $(CORE_MODULES)
FUZZ_LIBS   = $(foreach m,$(FUZZ_MODULES),$(if $(call module_srcs,$(m)),build-fuzz/lib$(m).a))
fuzz: $(FUZZ_BINS)

build-fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

define fuzz_module_rules
build-fuzz/lib$(1).a: $(patsubst src/%.c,build-fuzz/obj/%.o,$(call module_srcs,$(1)))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach m,$(FUZZ_MODULES),$(eval $(call fuzz_module_rules,$(m))))

build-fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_LIBS)
	@mkdir -p build-fuzz
	$(FUZZCC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBS) $(LDLIBS)

fuzz-smoke: $(FUZZ_BINS)
	@scripts/fuzz-smoke.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

bench: $(BENCH_BINS)

# A server and a client in network namespaces, MS-CHAPv2 + MPPE-128.
demo: deps
	@$(MAKE) --no-print-directory pptpkit
	@scripts/demo.sh

clean:
	rm -rf build build-asan build-fuzz pptpkit

.SECONDARY:

-include $(shell find $(BUILD) build-fuzz -name '*.d' 2>/dev/null)

# main.o lists the faces that exist: rebuild it when one appears.
$(BUILD)/main.o: $(wildcard src/server/server_main.c src/client/client_main.c src/inspect/inspect_main.c)
