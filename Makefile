# reprint: one Makefile for the library, the program, tests, benchmarks.
#
#   make            build build/reprint and build/libreprint.a
#   make test       install missing Debian packages, build, run unit + CLI tests
#   make demo       generate a demo corpus, index, cluster, print a summary
#   make eval       quality figures on labelled data (generator, ../shared/data)
#   make eval-real  quality on real syndicated pages (texts in .realpages/)
#   make bench      speed figures (never asserted)
#   make asan/ubsan the tests under sanitizers, built in their own folder
#   make valgrind   the unit tests under valgrind (memory errors, leaks)
#   make fuzz       libFuzzer targets for a set time each (clang)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Each module folder builds into libreprint.a; unit tests link only the
# modules they need (MODDEPS below), so one module's build never blocks
# another's tests.

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
SHARED  ?= ../shared

PKGS     = libxxhash sqlite3 zlib libutf8proc jansson libxml-2.0
TESTPKGS = cmocka

# Debian package for each pkg-config name, for the "missing" message.
DEB_libxxhash   = libxxhash-dev
DEB_sqlite3     = libsqlite3-dev
DEB_zlib        = zlib1g-dev
DEB_libutf8proc = libutf8proc-dev
DEB_jansson     = libjansson-dev
DEB_libxml-2.0  = libxml2-dev
DEB_cmocka      = libcmocka-dev

missing = $(strip $(foreach p,$(1),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
need    = $(if $(call missing,$(1)),$(error missing libraries: $(call missing,$(1)) (Debian: $(foreach p,$(call missing,$(1)),$(DEB_$(p)))); run scripts/install-deps as root))

WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Werror
OPT    ?= -O2 -g
CFLAGS ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -I. $(CFLAGS) \
             $(call need,$(PKGS))$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
TESTLIBS = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

MODULES = util input shingle minhash verify cluster db pipeline report
# Which modules each module's unit test links (dependencies run one way).
MODDEPS_util     = util
MODDEPS_input    = util input
MODDEPS_html     = util input
MODDEPS_shingle  = util shingle
MODDEPS_minhash  = util shingle minhash
MODDEPS_verify   = util shingle verify
MODDEPS_cluster  = util cluster
MODDEPS_db       = util input db
MODDEPS_pipeline = $(MODULES)
MODDEPS_report   = $(MODULES)

srcs_of = $(wildcard $(1)/*.c)
objs_of = $(patsubst %.c,$(BUILD)/%.o,$(foreach m,$(1),$(call srcs_of,$(m))))

LIB_OBJS = $(call objs_of,$(MODULES))
CLI_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard cli/*.c))
UNIT_TESTS = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCH_PROGS = $(patsubst benchmarks/%.c,$(BUILD)/benchmarks/%,$(wildcard benchmarks/*.c))

.PHONY: all deps test check unit clitest demo eval eval-real bench asan ubsan valgrind fuzz install clean format format-check
.SECONDEXPANSION:

all: $(BUILD)/reprint $(BUILD)/libreprint.a $(BENCH_PROGS)

deps:
	@scripts/install-deps --if-missing

$(BUILD)/%.o: %.c include/reprint.h $$(wildcard $$(dir %)*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libreprint.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/reprint: $(CLI_OBJS) $(BUILD)/libreprint.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libreprint.a $(LIBS)

$(BUILD)/tests/test_%: tests/test_%.c tests/testutil.h $$(call objs_of,$$(MODDEPS_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(call need,$(TESTPKGS))$(shell pkg-config --cflags $(TESTPKGS)) -o $@ $< \
	    $(call objs_of,$(MODDEPS_$*)) $(LIBS) $(TESTLIBS)

$(BUILD)/benchmarks/%: benchmarks/%.c $(BUILD)/libreprint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libreprint.a $(LIBS)

# `make test` installs what is missing first, then builds and runs everything.
test: deps
	@$(MAKE) --no-print-directory check

check: unit clitest

unit: $(UNIT_TESTS)
	@scripts/run-tests unit $(UNIT_TESTS)

clitest: $(BUILD)/reprint $(BENCH_PROGS)
	@REPRINT=$(abspath $(BUILD)/reprint) BUILD=$(abspath $(BUILD)) SHARED=$(abspath $(SHARED)) \
	    scripts/run-tests cli tests/cli/*.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) scripts/demo

eval: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) SHARED=$(SHARED) scripts/eval

eval-real: deps
	@$(MAKE) --no-print-directory $(BUILD)/reprint
	@SHARED=$(SHARED) scripts/eval-real --reprint $(abspath $(BUILD)/reprint)

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) SHARED=$(SHARED) scripts/bench

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" check

ubsan:
	@$(MAKE) --no-print-directory BUILD=build-ubsan OPT="-O1 -g" \
	    CFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" LDFLAGS="-fsanitize=undefined" check

# Definite and indirect leaks are errors; memory still reachable at exit
# (thread-local stemmers, library caches) is not.
valgrind: $(UNIT_TESTS)
	@command -v valgrind >/dev/null || { echo "valgrind not found (Debian: valgrind)" >&2; exit 2; }
	@RUN_WITH="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	    scripts/run-tests unit $(UNIT_TESTS)

fuzz:
	@BUILD=build-fuzz scripts/fuzz

install: $(BUILD)/reprint $(BUILD)/libreprint.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/reprint $(DESTDIR)$(PREFIX)/bin/reprint
	install -m 644 $(BUILD)/libreprint.a $(DESTDIR)$(PREFIX)/lib/libreprint.a
	install -m 644 include/reprint.h $(DESTDIR)$(PREFIX)/include/reprint.h

format:
	clang-format -i $(foreach m,$(MODULES) cli tests benchmarks,$(wildcard $(m)/*.c $(m)/*.h)) include/reprint.h

format-check:
	clang-format --dry-run -Werror $(foreach m,$(MODULES) cli tests benchmarks,$(wildcard $(m)/*.c $(m)/*.h)) include/reprint.h

clean:
	rm -rf build build-asan build-ubsan build-fuzz
