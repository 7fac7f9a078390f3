# deskwire - terminal news dashboard for market analysts.
#
#   make                 build ./deskwire
#   make run             install missing dependencies, build, start the dashboard
#   make test            install missing dependencies, build, run every test
#   make WERROR=1        warnings are errors (CI)
#   make SANITIZE=address,undefined test   tests under ASan+UBSan
#   make SANITIZE=thread test-tsan         queue/poller tests under TSan
#   make fuzz            libFuzzer targets, FUZZ_SECONDS each (needs clang)
#   make bench           benchmarks (figures printed, nothing asserted)
#   make install PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := ncursesw libcurl libxml-2.0 sqlite3
TEST_PKGS := cmocka
FUZZ_SECONDS ?= 60

comma := ,
ifeq ($(SANITIZE),)
BUILD     := build
else
BUILD     := build/san-$(subst $(comma),-,$(SANITIZE))
endif
# pkg-config is asked only when the libraries are there; otherwise the
# deps target installs them first (see scripts/install-deps).
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS  = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wundef -Wpointer-arith -Wwrite-strings \
	-Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
CFLAGS ?=
CPPFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -I$(BUILD)/gen
ALL_CFLAGS = $(CPPFLAGS_ALL) $(OPT) $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

SRCS      := $(filter-out src/main.c,$(wildcard src/*.c))
OBJS      := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS)) $(BUILD)/obj/embed_data.o
LIB       := $(BUILD)/libdeskwire.a
BIN       := $(BUILD)/deskwire
EMBEDDED  := $(sort $(wildcard data/*) $(wildcard themes/*.theme))
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
# Programs the end-to-end tests drive (not tests themselves).
HELPER_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/helper_*.c))
BENCH_SRCS := $(wildcard bench/bench_*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all deps deps-check run test test-tsan check-build tests fuzz bench install \
	uninstall clean

all: deps-check $(BIN)
ifeq ($(SANITIZE),)
	@cp -f $(BIN) ./deskwire
endif

# Install missing packages only when pkg-config cannot find a library.
deps:
	@$(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && \
	    command -v tmux >/dev/null && command -v python3 >/dev/null || \
	    sh scripts/install-deps

deps-check:
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || sh scripts/install-deps --runtime
	@$(PKG_CONFIG) --exists $(PKGS) || { echo "missing libraries: $(PKGS)"; exit 1; }

run: deps-check
	@$(MAKE) --no-print-directory all
	./deskwire -c ./feeds.conf

$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/embed_data.c: $(BUILD)/embed $(EMBEDDED)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ $(EMBEDDED)

$(BUILD)/obj/embed_data.o: $(BUILD)/gen/embed_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(OPT) $(CFLAGS) $(filter -fsanitize=%,$(ALL_CFLAGS)) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS_ALL)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS_ALL)

tests: all $(TEST_BINS) $(HELPER_BINS)

# The README's test command: set-up included, then every test.
test: deps
	@$(MAKE) --no-print-directory tests
	@DESKWIRE_BIN=$(CURDIR)/$(BIN) BUILD=$(BUILD) sh tests/run.sh $(BUILD)/tests

# Threaded parts (queue, poller, fetch, store) under ThreadSanitizer.
test-tsan: deps
	@$(MAKE) --no-print-directory SANITIZE=thread tests
	@DESKWIRE_BIN=$(CURDIR)/build/san-thread/deskwire BUILD=build/san-thread \
	    TEST_FILTER='itemq poller fetch store' sh tests/run.sh build/san-thread/tests

FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS_ALL) \
	-Ibuild/fuzz/gen $(PKG_CFLAGS)
fuzz: deps
	@command -v $(FUZZ_CC) >/dev/null || sh scripts/install-deps --fuzz
	@mkdir -p build/fuzz/gen
	@$(MAKE) --no-print-directory BUILD=build/fuzz build/fuzz/gen/embed_data.c
	@for f in $(or $(FUZZ_ONLY),$(FUZZ_SRCS)); do \
	    n=$$(basename $$f .c); \
	    echo "== $$n"; \
	    $(FUZZ_CC) $(FUZZ_FLAGS) -o build/fuzz/$$n $$f $(SRCS) \
	        build/fuzz/gen/embed_data.c $(PKG_LIBS) -lpthread -lm || exit 1; \
	    mkdir -p build/fuzz/corpus-$$n; \
	    seeds=tests/fuzz/seeds-$$n; [ -d $$seeds ] || seeds=tests/data; \
	    build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	        -max_len=262144 build/fuzz/corpus-$$n $$seeds || exit 1; \
	done

bench: all $(BENCH_BINS)
	@BUILD=$(BUILD) DESKWIRE_BIN=$(CURDIR)/$(BIN) sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/deskwire/themes \
	    $(DESTDIR)$(PREFIX)/share/deskwire/data $(DESTDIR)$(PREFIX)/share/doc/deskwire
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/deskwire
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/deskwire/themes/
	install -m 644 data/* $(DESTDIR)$(PREFIX)/share/deskwire/data/
	install -m 644 feeds.conf README.md $(DESTDIR)$(PREFIX)/share/doc/deskwire/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/deskwire
	rm -rf $(DESTDIR)$(PREFIX)/share/deskwire $(DESTDIR)$(PREFIX)/share/doc/deskwire

clean:
	rm -rf build deskwire

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
