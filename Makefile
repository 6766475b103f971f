# evtag: a plain Makefile. `make` builds ./evtag, build/libevtag.a and
# build/libevtag.so (the public API of src/api/evtag.h only),
# `make check` runs the tests, `make check SAN=1` the same under
# AddressSanitizer and UBSan, `make models` retrains the shipped models.

PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/evtag
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
CORPORA ?= ../shared/corpora
SHARED  ?= $(dir $(CORPORA))
CC      ?= cc
CFLAGS  ?= -O2 -g
SAN     ?=

BUILD := build
ifeq ($(SAN),1)
BUILD := build-asan
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
BUILD := build-tsan
CFLAGS += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif

PKG_CFLAGS := $(shell pkg-config --cflags gsl zlib 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs gsl zlib 2>/dev/null || echo -lgsl -lgslcblas -lz)
CPPFLAGS += -Isrc -I/usr/include/libsvm $(PKG_CFLAGS) -D_POSIX_C_SOURCE=200809L \
	-DEVTAG_DATADIR='"$(DATADIR)"'
ALL_CFLAGS = -std=c11 -Wall -Wextra -MMD -MP -pthread $(CFLAGS)
LDLIBS  += -lsvm $(PKG_LIBS) -lm -pthread

# The library's layers, lowest first: a file includes only from its own
# folder and the folders before it (tests/cli/test_layers.sh checks it).
# src/cli/ is the front end: only it prints, exits or sees argv.
LAYERS    := base text features learn coder eval api
FRONT_SRC := $(wildcard src/cli/*.c)
LIB_SRC   := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
FRONT_OBJ := $(FRONT_SRC:src/%.c=$(BUILD)/%.o)
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB       := $(BUILD)/libevtag.a
BIN       := $(BUILD)/evtag
# The shared library: the same sources compiled -fPIC under $(BUILD)/pic,
# exporting only the evtag_ functions of src/api/evtag.h (hidden
# visibility and a version script).
SO_VERSION := 0.1.0
SO_MAJOR   := 0
SONAME     := libevtag.so.$(SO_MAJOR)
SO         := $(BUILD)/libevtag.so.$(SO_VERSION)
SO_LINKS   := $(BUILD)/$(SONAME) $(BUILD)/libevtag.so
PIC_OBJ    := $(LIB_SRC:src/%.c=$(BUILD)/pic/%.o)


.PHONY: all check check-threads run models bench install uninstall clean deps fuzz
all: $(BIN) evtag $(SO_LINKS)

# ./evtag is the normal build; sanitizer builds stay under their folder.
evtag: $(BIN)
	@if [ "$(BUILD)" = build ]; then cp $(BIN) evtag.tmp && mv -f evtag.tmp evtag; fi

$(BUILD)/deps.ok:
	@mkdir -p $(BUILD)
	@CC="$(CC)" sh training/deps.sh
	@touch $@

$(BUILD)/%.o: src/%.c | $(BUILD)/deps.ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/pic/%.o: src/%.c | $(BUILD)/deps.ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DEVTAG_SHARED $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(SO): $(PIC_OBJ) src/api/libevtag.map
	$(CC) $(LDFLAGS) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined \
		-Wl,--version-script=src/api/libevtag.map -o $@ $(PIC_OBJ) $(LDLIBS)

$(BUILD)/$(SONAME): $(SO)
	ln -sf $(notdir $(SO)) $@

$(BUILD)/libevtag.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(FRONT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) $(ALL_CFLAGS) -o $@ $(FRONT_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/t.h $(LIB) | $(BUILD)/deps.ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Fuzz targets (tests/fuzz/fuzz_*.c): `make fuzz` builds them with clang's
# libFuzzer and runs each for FUZZ_SECONDS; `make check` replays every
# saved input under tests/fuzz/regress/NAME/ through the same code.
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY  := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)
FUZZ_SECONDS ?= 60

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB) | $(BUILD)/deps.ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) $(LDLIBS)

fuzz: | build/deps.ok
	@CPPFLAGS="$(CPPFLAGS)" LDLIBS="$(LDLIBS)" FUZZ_SECONDS=$(FUZZ_SECONDS) \
		LIB_SRC="$(LIB_SRC)" sh tests/fuzz/run.sh $(FUZZ_TARGETS)

check: $(BIN) $(TEST_BIN) $(FUZZ_REPLAY) $(SO_LINKS)
	@EVTAG=$(abspath $(BIN)) BUILD=$(BUILD) SAN=$(SAN) SHARED=$(SHARED) DATADIR=$(DATADIR) sh tests/run.sh

# The threaded paths (the ordered batch engine and `evtag classify
# --threads`) under ThreadSanitizer.
check-threads:
	$(MAKE) SAN=thread build-tsan/evtag build-tsan/tests/test_pipe build-tsan/tests/test_api
	@EVTAG=$(abspath build-tsan/evtag) BUILD=build-tsan SHARED=$(SHARED) \
		TESTS="build-tsan/tests/test_pipe build-tsan/tests/test_api tests/cli/test_classify.sh" sh tests/run.sh

run: all
	./evtag classify $(SHARED)samples/article-2020-10-09.txt

deps:
	@CC="$(CC)" sh training/deps.sh

models: all
	@CORPORA=$(CORPORA) SHARED=$(SHARED) EVTAG=$(abspath evtag) sh training/models.sh

bench: all
	@CORPORA=$(CORPORA) SHARED=$(SHARED) EVTAG=$(abspath evtag) sh tests/bench/run.sh

# Installs the binary, both libraries (with the soname and development
# links), the one public header evtag.h, evtag.pc, the models and the man
# pages of man/ (when there are any).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/evtag
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libevtag.a
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/$(notdir $(SO))
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libevtag.so
	install -m 644 src/api/evtag.h $(DESTDIR)$(INCDIR)/evtag.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
		'Name: evtag' 'Description: code news articles into political event records' \
		'Version: $(SO_VERSION)' 'Requires.private: gsl zlib' \
		'Libs: -L$${libdir} -levtag' 'Libs.private: -lsvm -lm -pthread' \
		'Cflags: -I$${includedir}' >$(DESTDIR)$(LIBDIR)/pkgconfig/evtag.pc
	for m in models/*.evm models/agents.txt; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(DATADIR)/models/ || true; done
	if ls man/*.1 >/dev/null 2>&1; then install -d $(DESTDIR)$(MANDIR)/man1 && \
		install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/evtag $(DESTDIR)$(LIBDIR)/libevtag.a \
		$(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libevtag.so $(DESTDIR)$(LIBDIR)/pkgconfig/evtag.pc \
		$(DESTDIR)$(INCDIR)/evtag.h
	for f in man/*.1; do [ -f "$$f" ] && rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/} || true; done
	rm -rf $(DESTDIR)$(INCDIR)/evtag $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-tsan build-fuzz evtag

-include $(LIB_OBJ:.o=.d) $(FRONT_OBJ:.o=.d) $(PIC_OBJ:.o=.d)
