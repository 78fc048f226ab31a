# retold - find copies, rewrites and translations of the same story.
# Plain GNU make.  `make help` lists the targets.

PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := libxxhash libutf8proc lmdb libzstd
OPT     ?= -O2
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wpointer-arith -Wconversion -Wno-sign-conversion
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS))
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lxxhash -lutf8proc -llmdb -lzstd) -lstemmer -lz -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)
BUILD   ?= build

LIB_SRC := $(wildcard src/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/check_*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/lib/%.o)
CLI_OBJ := $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
TESTS   := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIBA    := $(BUILD)/libretold.a
BIN     := $(BUILD)/retold

.PHONY: all test check-unit check-cli check-index check-browser asan valgrind bench demo install uninstall clean help
all: $(LIBA) $(BIN)

$(BUILD)/lib/%.o: src/%.c $(wildcard include/retold/*.h src/*.h) | $(BUILD)/lib
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/cli/%.o: src/cli/%.c $(wildcard include/retold/*.h src/cli/*.h) | $(BUILD)/cli
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(LIBA): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BIN): $(CLI_OBJ) $(LIBA)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LIBS)
$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LIBA) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Wno-conversion $(shell pkg-config --cflags check) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS) $(CHECK_LIBS)
$(BUILD)/lib $(BUILD)/cli $(BUILD)/tests:
	mkdir -p $@

## test: unit tests (Check), CLI end-to-end tests, the HTML report in a browser
test: check-unit check-cli check-index check-browser
check-unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; CK_FORK=yes $$t; done
check-cli: $(BIN)
	@RETOLD=$(BIN) sh tests/cli/run.sh
	@RETOLD=$(BIN) sh tests/cli/overlap.sh
	@RETOLD=$(BIN) sh tests/cli/matrix.sh
# headless Chromium (installed by the script when run as root; skipped otherwise)
check-browser: $(BIN)
	@RETOLD=$(BIN) sh tests/browser/report.sh
## check-index: the standing index end to end, kill -9 during adds (ROUNDS
## kills), a writer and a reader side by side (SECS seconds)
check-index: $(BIN)
	@RETOLD=$(BIN) sh tests/cli/index.sh
	@RETOLD=$(BIN) ROUNDS=$${ROUNDS:-100} sh tests/index/crash.sh
	@RETOLD=$(BIN) SECS=$${SECS:-60} sh tests/index/concurrent.sh

## asan: rebuild with ASan+UBSan in build-asan/ and rerun every test
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 CFLAGS="-g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" test

## valgrind: the CLI end-to-end tests with every retold run under memcheck
valgrind: $(BIN)
	@RETOLD=tests/valgrind-retold sh tests/cli/run.sh

## bench: build and run the benchmarks (see bench/README.md; BENCH_SIZES, BENCH_FULL=1)
bench: all bench-progs
	@sh bench/run.sh

include bench/bench.mk
include Makefile.fuzz

## demo: build and run retold on the bundled seed articles
demo: all
	@sh scripts/demo

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/retold $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/retold
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/libretold.a
	install -m 644 include/retold.h $(DESTDIR)$(PREFIX)/include/retold.h
	install -m 644 include/retold/*.h $(DESTDIR)$(PREFIX)/include/retold/
	sed -e 's|@PREFIX@|$(PREFIX)|' retold.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/retold.pc
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/retold $(DESTDIR)$(PREFIX)/lib/libretold.a $(DESTDIR)$(PREFIX)/include/retold.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/retold.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/retold

clean:
	rm -rf build build-asan

help:
	@echo "make [all]     build $(LIBA) and $(BIN)"
	@echo "make test      unit tests (Check) + CLI end-to-end tests + report in a browser"
	@echo "make asan      the tests again under ASan+UBSan (build-asan/)"
	@echo "make valgrind  the CLI tests with retold under valgrind memcheck"
	@echo "make fuzz      build the libFuzzer targets; make fuzz-run FUZZ_SECONDS=N runs them"
	@echo "make bench     benchmarks (bench/run.sh)"
	@echo "make demo      run retold on the seed articles in data/seeds"
	@echo "make install   install to PREFIX=$(PREFIX) (uninstall removes)"
	@echo "make clean     remove build directories"
