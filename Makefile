# reprint: one Makefile for the library, the program, tests, benchmarks.
#
#   make            build build/reprint, build/libreprint.a and build/libreprint.so
#   make test       install missing Debian packages, build, run the unit tests
#                   and the fast CLI tests (tests/cli/*.sh; about a minute),
#                   the Python package's pytest suite among them
#                   (tests/cli/python.sh; the README's C and Python examples
#                   run in tests/cli/slow/examples.sh)
#   make check      everything make test runs, then the slow end-to-end CLI
#                   tests (tests/cli/slow/*.sh: hostile input, concurrent
#                   writers, kill -9 and resume, a wget crawl, a browser)
#   make slowtest   only the slow CLI tests
#   make demo       generate a demo corpus, index, cluster, print a summary
#   make eval       quality figures on labelled data (generator, ../shared/data)
#   make eval-real  quality on real syndicated pages (texts in .realpages/; the
#                   extra events of benchmarks/realpages-x in .realpages-x/),
#                   then per language on real non-English pages (texts in
#                   .realpages-intl/, benchmarks/realpages-intl/README.md)
#   make bench      speed figures (never asserted)
#   make bench-report  how fast chromium opens a report of ~21,000 copies
#   make asan/ubsan the unit and fast CLI tests under sanitizers, built in
#                   their own folder (SAN_TESTS="unit clitest slowtest": all)
#   make valgrind   the unit tests under valgrind (memory errors, leaks)
#   make fuzz       libFuzzer targets for a set time each (clang)
#   make format     clang-format the sources (format-check: only report)
#   make install    PREFIX=/usr/local DESTDIR= (bin, lib with reprint.pc for
#                   pkg-config, include, share/man/man1)
#   PROGRAM_LINK=dynamic  link build/reprint through pkg-config (default:
#                   static archives, see the rule for $(BUILD)/reprint)
#
# Tools beyond the build (clang, valgrind, clang-format, chromium) are
# installed by name: scripts/install-deps fuzz|valgrind|format|browser.
#
# Each module folder builds into libreprint.a; unit tests link only the
# modules they need (MODDEPS below), so one module's build never blocks
# another's tests.

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
SHARED  ?= ../shared

PKGS     = libxxhash sqlite3 zlib libutf8proc jansson libxml-2.0 liburiparser libpsl icu-uc \
           icu-i18n libexttextcat libpq
TESTPKGS = cmocka

# Debian package for each pkg-config name, for the "missing" message.
DEB_libxxhash   = libxxhash-dev
DEB_sqlite3     = libsqlite3-dev
DEB_zlib        = zlib1g-dev
DEB_libutf8proc = libutf8proc-dev
DEB_jansson     = libjansson-dev
DEB_libxml-2.0  = libxml2-dev
DEB_liburiparser = liburiparser-dev
DEB_libpsl      = libpsl-dev
DEB_icu-uc      = libicu-dev
DEB_icu-i18n    = libicu-dev
DEB_libexttextcat = libexttextcat-dev
DEB_libpq       = libpq-dev
DEB_cmocka      = libcmocka-dev

missing = $(strip $(foreach p,$(1),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
need    = $(if $(call missing,$(1)),$(error missing libraries: $(call missing,$(1)) (Debian: $(foreach p,$(call missing,$(1)),$(DEB_$(p)))); run scripts/install-deps as root))

WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Werror
OPT    ?= -O2 -g
CFLAGS ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -I. -I$(BUILD)/gen $(CFLAGS) \
             $(call need,$(PKGS))$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libpq is not linked: db/pgapi.c opens it when a PostgreSQL database is
# named, so only its headers are needed here.
LIBS    = $(shell pkg-config --libs $(filter-out libpq,$(PKGS)) 2>/dev/null) -lstemmer -lpthread -lm -ldl
TESTLIBS = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

MODULES = util lang url input shingle minhash verify cluster db pipeline report
# Which modules each module's unit test links (dependencies run one way).
MODDEPS_util     = util
MODDEPS_lang     = util lang
MODDEPS_url      = util url
MODDEPS_input    = util lang url input
MODDEPS_html     = util lang url input
MODDEPS_shingle  = util lang shingle
MODDEPS_minhash  = util lang shingle minhash
MODDEPS_verify   = util lang shingle verify
MODDEPS_cluster  = util cluster
MODDEPS_db       = util lang url input db
MODDEPS_pipeline = $(MODULES)
MODDEPS_report   = $(MODULES)

srcs_of = $(wildcard $(1)/*.c)
objs_of = $(patsubst %.c,$(BUILD)/%.o,$(foreach m,$(1),$(call srcs_of,$(m))))

LIB_OBJS = $(call objs_of,$(MODULES))
# Library objects are position-independent so that one set builds both
# libreprint.a and libreprint.so. It costs nothing measurable: Debian's gcc
# builds position-independent executables anyway (index and cluster of a
# 4,600-article corpus took the same time either way).
# -fno-semantic-interposition lets calls inside the library stay direct.
LIB_CFLAGS = -fPIC -fno-semantic-interposition
$(LIB_OBJS): ALL_CFLAGS += $(LIB_CFLAGS)

# The shared library's soname carries the major version of RP_VERSION.
VERSION := $(shell sed -n 's/^\#define RP_VERSION "\(.*\)"$$/\1/p' include/reprint.h)
SONAME   = libreprint.so.$(firstword $(subst ., ,$(VERSION)))
SOFILE   = libreprint.so.$(VERSION)
LIB_SO   = $(BUILD)/$(SOFILE) $(BUILD)/$(SONAME) $(BUILD)/libreprint.so
CLI_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard cli/*.c))
UNIT_TESTS = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCH_PROGS = $(patsubst benchmarks/%.c,$(BUILD)/benchmarks/%,$(wildcard benchmarks/*.c))

.PHONY: FORCE all deps test check unit clitest slowtest test-progs demo eval eval-real bench bench-report asan \
        ubsan valgrind fuzz install clean format format-check
.SECONDEXPANSION:

all: $(BUILD)/reprint $(BUILD)/libreprint.a $(LIB_SO) $(BENCH_PROGS)

deps:
	@scripts/install-deps --if-missing test

# Objects depend on the flags they were built with: a change of CC, OPT,
# CFLAGS or the library's flags rebuilds them. (Not ALL_CFLAGS: the
# library objects' addition to it would reach this file too.)
STAMP = $(CC) $(OPT) $(WARN) $(CFLAGS) $(LIB_CFLAGS)
$(BUILD)/cflags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(STAMP)' | cmp -s - $@ || echo '$(STAMP)' >$@

$(BUILD)/%.o: %.c include/reprint.h $$(wildcard $$(dir %)*.h) $(BUILD)/cflags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The stopword lists of languages other than English are read from Debian's
# liblingua-stopwords-perl at build time (lang/stopwords.c says why).
$(BUILD)/gen/lang/stopwords_data.h: scripts/gen-stopwords
	@mkdir -p $(dir $@)
	@perl -MLingua::StopWords -e 1 2>/dev/null || { echo "missing Perl module Lingua::StopWords" \
	    "(Debian: liblingua-stopwords-perl); run scripts/install-deps as root" >&2; exit 2; }
	perl scripts/gen-stopwords >$@.tmp && mv $@.tmp $@
$(BUILD)/lang/stopwords.o: $(BUILD)/gen/lang/stopwords_data.h $(BUILD)/gen/lang/stopwords_table.h

# The stopword lists' word set is made at build time, by the rest of the
# lang module with lang/stopwords.c compiled to make it at run time
# (scripts/gen-stopword-table.c says why).
GEN_TABLE_OBJS = $(BUILD)/gen/stopwords_rt.o $(BUILD)/lang/lang.o $(BUILD)/lang/calendar.o \
                 $(BUILD)/lang/wordset.o
$(BUILD)/gen/stopwords_rt.o: lang/stopwords.c lang/lang.h $(BUILD)/gen/lang/stopwords_data.h \
                             $(BUILD)/cflags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DRP_STOPWORDS_RUNTIME -c $< -o $@
$(BUILD)/gen/gen-stopword-table: scripts/gen-stopword-table.c lang/lang.h $(GEN_TABLE_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(GEN_TABLE_OBJS) $(LIBS)
$(BUILD)/gen/lang/stopwords_table.h: $(BUILD)/gen/gen-stopword-table
	@mkdir -p $(dir $@)
	$< >$@.tmp && mv $@.tmp $@

$(BUILD)/libreprint.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# The shared library exports the functions declared in include/reprint.h
# and nothing else: the modules' shared internals (db_*, in_*, report_*,
# and rp_* names of the module headers such as verify/verify.h) stay
# inside. The version script lists every prototype that opens a line of
# the header. --no-undefined makes a library that would need symbols from
# the program fail here, not in its users' builds.
$(BUILD)/libreprint.map: include/reprint.h
	@mkdir -p $(dir $@)
	@{ echo '{ global:'; \
	   sed -n 's/^[a-z][^(]*[ *]\(rp_[a-z0-9_]*\)(.*/    \1;/p' include/reprint.h | sort -u; \
	   echo 'local: *; };'; } >$@

$(BUILD)/$(SOFILE): $(LIB_OBJS) $(BUILD)/libreprint.map
	$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SONAME) -Wl,--version-script=$(BUILD)/libreprint.map \
	    -Wl,--no-undefined -o $@ $(LIB_OBJS) $(LIBS)

$(BUILD)/$(SONAME) $(BUILD)/libreprint.so: $(BUILD)/$(SOFILE)
	ln -sf $(SOFILE) $@

# reprint.pc for the installed paths; written at install time. libpq is
# not required: the library opens it at run time (db/pgapi.c).
$(BUILD)/reprint.pc: reprint.pc.in include/reprint.h FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|; s|@PKGS@|$(filter-out libpq,$(PKGS))|' reprint.pc.in >$@

FORCE:

# The program links the libraries statically where Debian ships an archive
# (all but liburiparser, libc and libm) and is not position-independent: a
# fresh process then maps three shared libraries instead of 20 and applies
# about 230 relocations instead of 31,000 (26,800 of them relative ones in
# ICU, libxml2 and libstdc++), each written page a copy-on-write fault.
# `reprint --version` took 18-22 ms of CPU on the 2-core VM, 4-5 ms so
# linked (benchmarks/RESULTS.md, "Fifth session"). The price: a 39 MB
# program (ICU's data, read only where used) whose own image is at a fixed
# address (the libraries, heap and stack are still placed at random).
# libreprint.so, libreprint.a, the tests and the benchmarks link through
# pkg-config as before. PROGRAM_LINK=dynamic links the program that way
# too (the sanitizer builds do).
PROGRAM_LINK ?= static
STATIC_LIBS = xxhash sqlite3 jansson xml2 psl idn2 unistring exttextcat-2.0 stemmer utf8proc \
              icui18n icuuc icudata lzma z stdc++
# Debian package of each archive, for the "missing" message.
DEBA_xxhash = libxxhash-dev
DEBA_sqlite3 = libsqlite3-dev
DEBA_jansson = libjansson-dev
DEBA_xml2 = libxml2-dev
DEBA_psl = libpsl-dev
DEBA_idn2 = libidn2-dev
DEBA_unistring = libunistring-dev
DEBA_exttextcat-2.0 = libexttextcat-dev
DEBA_stemmer = libstemmer-dev
DEBA_utf8proc = libutf8proc-dev
DEBA_icui18n = libicu-dev
DEBA_icuuc = libicu-dev
DEBA_icudata = libicu-dev
DEBA_lzma = liblzma-dev
DEBA_z = zlib1g-dev
DEBA_stdc++ = g++
# An archive the compiler cannot find is printed back as its bare name.
missing_a = $(strip $(foreach l,$(STATIC_LIBS),$(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),,$(l))))
ifeq ($(PROGRAM_LINK),static)
PROG_LIBS = -no-pie -static-libgcc -Wl,-Bstatic $(addprefix -l,$(STATIC_LIBS)) -Wl,-Bdynamic \
            -luriparser -lpthread -lm -ldl
need_a = $(if $(call missing_a),$(error missing static libraries for build/reprint: $(call missing_a) \
         (Debian: $(sort $(foreach l,$(call missing_a),$(DEBA_$(l))))); run scripts/install-deps as root, \
         or make PROGRAM_LINK=dynamic))
else
PROG_LIBS = $(LIBS)
need_a =
endif

# A change of PROGRAM_LINK relinks the program.
$(BUILD)/linkmode: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PROGRAM_LINK)' | cmp -s - $@ || echo '$(PROGRAM_LINK)' >$@

$(BUILD)/reprint: $(CLI_OBJS) $(BUILD)/libreprint.a $(BUILD)/linkmode
	$(need_a)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libreprint.a $(PROG_LIBS)

$(BUILD)/tests/test_%: tests/test_%.c tests/testutil.h $$(call objs_of,$$(MODDEPS_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(call need,$(TESTPKGS))$(shell pkg-config --cflags $(TESTPKGS)) -o $@ $< \
	    $(call objs_of,$(MODDEPS_$*)) $(LIBS) $(TESTLIBS)

$(BUILD)/benchmarks/%: benchmarks/%.c $(BUILD)/libreprint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libreprint.a $(LIBS)

# Programs the tests run: the CLI tests use datagen and evalclusters (and
# pairscore, through scripts/eval-real-intl), and tests/cli/install.sh
# installs the libraries.
TEST_PROGS = $(UNIT_TESTS) $(BUILD)/reprint $(BUILD)/benchmarks/datagen $(BUILD)/benchmarks/evalclusters \
             $(BUILD)/benchmarks/pairscore $(BUILD)/libreprint.a $(LIB_SO)
# Test programs are built in parallel (JOBS, default: one per core), the
# tests then run one after another: several check timing or memory.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The CLI tests' Python: Debian's (scripts/install-deps installs it), not a
# wrapper earlier in PATH that is slow to start (see tests/cli/common.inc).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
CLI_ENV = REPRINT=$(abspath $(BUILD)/reprint) BUILD=$(abspath $(BUILD)) SHARED=$(abspath $(SHARED)) \
          CC='$(CC)' TEST_LDFLAGS='$(LDFLAGS)' PYTHON='$(PYTHON)'

# `make test` and `make check` install what is missing first.
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) test-progs
	@$(MAKE) --no-print-directory unit clitest

check: deps
	@$(MAKE) --no-print-directory -j$(JOBS) test-progs
	@$(MAKE) --no-print-directory unit clitest slowtest

test-progs: $(TEST_PROGS)

unit: $(UNIT_TESTS)
	@scripts/run-tests unit $(UNIT_TESTS)

clitest: $(TEST_PROGS)
	@$(CLI_ENV) scripts/run-tests cli tests/cli/*.sh

slowtest: $(TEST_PROGS)
	@$(CLI_ENV) scripts/run-tests cli tests/cli/slow/*.sh

demo:
	@scripts/install-deps --if-missing demo
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@BUILD=$(BUILD) scripts/demo

eval: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@BUILD=$(BUILD) SHARED=$(SHARED) scripts/eval

# English pages (../shared/realpages, texts in .realpages/), then the
# non-English ones per language (benchmarks/realpages-intl, texts in
# .realpages-intl/); each part says SKIP when its texts are absent.
eval-real: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/reprint $(BUILD)/benchmarks/pairscore \
		$(BUILD)/benchmarks/datagen
	@SHARED=$(SHARED) scripts/eval-real --reprint $(abspath $(BUILD)/reprint)
	@echo
	@SHARED=$(SHARED) scripts/eval-real --reprint $(abspath $(BUILD)/reprint) \
	    --labels benchmarks/realpages-x --texts .realpages-x
	@scripts/eval-real-intl --reprint $(abspath $(BUILD)/reprint)

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@BUILD=$(BUILD) SHARED=$(SHARED) scripts/bench

bench-report: deps
	@scripts/install-deps --if-missing browser
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@BUILD=$(BUILD) scripts/bench-report

SAN_TESTS ?= unit clitest
ASAN_VARS = BUILD=build-asan PROGRAM_LINK=dynamic OPT="-O1 -g -fno-omit-frame-pointer" \
    CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" LDFLAGS="-fsanitize=address,undefined"
UBSAN_VARS = BUILD=build-ubsan PROGRAM_LINK=dynamic OPT="-O1 -g" \
    CFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" LDFLAGS="-fsanitize=undefined"

asan:
	@$(MAKE) --no-print-directory $(ASAN_VARS) -j$(JOBS) test-progs
	@$(MAKE) --no-print-directory $(ASAN_VARS) $(SAN_TESTS)

ubsan:
	@$(MAKE) --no-print-directory $(UBSAN_VARS) -j$(JOBS) test-progs
	@$(MAKE) --no-print-directory $(UBSAN_VARS) $(SAN_TESTS)

# Definite and indirect leaks are errors; memory still reachable at exit
# (thread-local stemmers, library caches) is not.
valgrind:
	@command -v valgrind >/dev/null || { echo "make valgrind: valgrind not found;" \
	    "as root: scripts/install-deps valgrind (Debian package valgrind)" >&2; exit 2; }
	@$(MAKE) --no-print-directory -j$(JOBS) $(UNIT_TESTS)
	@RUN_WITH="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	    scripts/run-tests unit $(UNIT_TESTS)

fuzz:
	@command -v $${CLANG:-clang} >/dev/null || { echo "make fuzz: clang not found;" \
	    "as root: scripts/install-deps fuzz (Debian packages clang, libclang-rt-N-dev)" >&2; exit 2; }
	@BUILD=build-fuzz scripts/fuzz

install: $(BUILD)/reprint $(BUILD)/libreprint.a $(LIB_SO) $(BUILD)/reprint.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/reprint $(DESTDIR)$(BINDIR)/reprint
	install -m 644 $(BUILD)/libreprint.a $(DESTDIR)$(LIBDIR)/libreprint.a
	install -m 755 $(BUILD)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SOFILE)
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libreprint.so
	install -m 644 $(BUILD)/reprint.pc $(DESTDIR)$(LIBDIR)/pkgconfig/reprint.pc
	install -m 644 include/reprint.h $(DESTDIR)$(INCLUDEDIR)/reprint.h
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1/

need_clang_format = @command -v clang-format >/dev/null || { echo "make $@: clang-format not found;" \
    "as root: scripts/install-deps format (Debian package clang-format)" >&2; exit 2; }

format:
	$(need_clang_format)
	clang-format -i $(foreach m,$(MODULES) cli tests benchmarks,$(wildcard $(m)/*.c $(m)/*.h)) include/reprint.h

format-check:
	$(need_clang_format)
	clang-format --dry-run -Werror $(foreach m,$(MODULES) cli tests benchmarks,$(wildcard $(m)/*.c $(m)/*.h)) include/reprint.h

clean:
	rm -rf build build-asan build-ubsan build-fuzz
