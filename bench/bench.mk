# bench/bench.mk - the benchmark programs, built against $(LIBA) with the
# Makefile's flags.  Included by the Makefile (`include bench/bench.mk`);
# bench/run.sh also runs `make -f Makefile -f bench/bench.mk bench-progs`,
# so the guard keeps a second inclusion harmless.
ifndef RETOLD_BENCH_MK
RETOLD_BENCH_MK := 1

BENCH_OUT   ?= bench/out
BENCH_PROGS := $(BENCH_OUT)/datagen $(BENCH_OUT)/exact_pairs $(BENCH_OUT)/stages $(BENCH_OUT)/tokbench

.PHONY: bench-progs bench-check bench-flags bench-clean
## bench-progs: build bench/out/{datagen,exact_pairs,stages,tokbench}
bench-progs: $(BENCH_PROGS)

$(BENCH_OUT):
	mkdir -p $@
# datagen needs only libc and libxxhash (see bench/README-datagen.md)
$(BENCH_OUT)/datagen: bench/datagen.c | $(BENCH_OUT)
	$(CC) -std=c11 $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< -lxxhash
$(BENCH_OUT)/exact_pairs: bench/exact_pairs.c $(LIBA) | $(BENCH_OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)
$(BENCH_OUT)/stages: bench/stages.c $(LIBA) | $(BENCH_OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)
$(BENCH_OUT)/tokbench: bench/tokbench.c $(LIBA) | $(BENCH_OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)

## bench-check: exact_pairs (prefix filter) against brute force on 2k documents
bench-check: $(BENCH_PROGS)
	@sh bench/check-exact.sh

## bench-clean: remove bench/out (programs, and the cached corpora: ~5 GB with 1M)
bench-clean:
	rm -rf $(BENCH_OUT)

# the flags, for the results file
bench-flags:
	@echo 'CC=$(CC)'
	@echo 'CFLAGS=$(ALL_CFLAGS)'
	@echo 'LIBS=$(LIBS)'

endif
