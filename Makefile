# xv6j's front door. Make only finds a JDK and calls Maven and the launchers in scripts/;
# the real build lives in pom.xml and the Java tools.
#
#   make qemu          build if anything changed, then boot the xv6 kernel on fs.img
#                      (Ctrl-A x quits, Ctrl-A h lists the other keys)
#   make EXO=1 qemu    the same with the exokernel, on fs-exo.img
#   make qemu-gdb      the same, stopped before the first user instruction, waiting for
#                      gdb-multiarch in another window (it reads the .gdbinit written here)
#   make test          every test (what CI runs); TEST=SomeTest runs one class
#   make bench         the benchmark tables (also written to target/bench.json);
#                      BENCH=cpu, kernels or kv runs just those
#   make fs.img        make the disk image, or put changed programs into it;
#   make fsck          check it; make clean starts afresh (new images too)
#
# Options for qemu: MEM=128 (MiB)  CPUS=3 (harts)  DET=1 (deterministic virtual time;
# several harts take turns)  ENGINE=translator|interpreter|eager (how harts run code)
# VIEW=1 (a live view of the machine on http://127.0.0.1:6828/; VIEW=PORT for another port)

# Only the JDK's home and version, read from its release file: no JVM starts here.
JDK_FOUND := $(shell scripts/find-jdk -v 2>/dev/null)
ifeq ($(JDK_FOUND),)
# find-jdk's own line: which JDK it needs, and the newest it found.
$(error $(shell scripts/find-jdk 2>&1))
endif
export JAVA_HOME := $(word 1,$(JDK_FOUND))
JDK_MAJOR := $(word 2,$(JDK_FOUND))
# Maven 3.8's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every run.
ifeq ($(shell [ "$(JDK_MAJOR)" -ge 24 ] 2>/dev/null && echo new),new)
export MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
endif
# The build's JavaCPP loads clang's libraries (JDK 22+ asks that such access be allowed).
ifeq ($(shell [ "$(JDK_MAJOR)" -ge 22 ] 2>/dev/null && echo new),new)
export MAVEN_OPTS += --enable-native-access=ALL-UNNAMED
endif
# Maven's console library ends its run with a colour reset (ESC[0m) even when its output
# is a pipe or a file; this keeps piped output plain text.
export MAVEN_OPTS += -Djansi.noreset=true
MVN ?= mvn
MAVEN = $(MVN) -q -B -Dstyle.color=never

MEM ?= 128
CPUS ?= 3
DET ?= 0

# Switches are 0 or 1: anything else is a typo, not a quiet "off".
ifneq ($(filter-out 0 1,$(DET)),)
$(error DET=$(DET): say DET=1 for deterministic virtual time, or DET=0)
endif
ifneq ($(filter-out 0 1,$(EXO)),)
$(error EXO=$(EXO): say EXO=1 for kernel-exo, or EXO=0 for the xv6 kernel)
endif

ifeq ($(EXO),1)
KERNEL = scripts/kernel-exo
IMG = fs-exo.img
UBIN = target/user/exo/bin
UDEBUG = target/user/exo/debug
# After the file system, blocks for the LibOSes of their own: /storage deals them out
# (user/libos/root/storage: kv's 1000, pager's 256).
MKFSFLAGS = --extra 1256
else
KERNEL = scripts/kernel
IMG = fs.img
UBIN = target/user/kernel/bin
UDEBUG = target/user/kernel/debug
MKFSFLAGS =
endif
# Quoted, so that MEM= is told as MEM's mistake, not taken for the next option's.
QEMUFLAGS = -m '$(MEM)' -c '$(CPUS)' $(if $(filter 1,$(DET)),-d) $(if $(ENGINE),-e '$(ENGINE)') \
	$(if $(filter-out 0,$(VIEW)),$(if $(filter 1,$(VIEW)),--view,--view='$(VIEW)'))
# The launcher tells a bad value (CPUS=0) as this command's variable, in one line.
LAUNCH = XV6J_MAKE="make $(if $(filter 1,$(EXO)),EXO=1 )$@" $(KERNEL)

.PHONY: all build qemu qemu-gdb test bench fsck clean $(IMG)

all: build

# Maven runs only when something it builds from is newer than its last successful
# build: deciding that nothing changed takes Maven seconds, and make milliseconds.
# Folders are listed too, so a file added or deleted counts as a change.
BUILT = target/.built
$(BUILT): pom.xml $(shell find src/main user)
	$(MAVEN) -DskipTests package
	@touch $@

build: $(BUILT)

# The image is made once and then kept: when a program or the README changed, they are
# put into it in place (mkfs --update), and what you made in it stays, as with a disk.
# Only when it cannot be updated (corrupt, full) is a new one made, the old one kept
# beside it and a loud message printed.
$(IMG): $(BUILT)
	@if [ ! -f $@ ] || [ -n "$$(find $(UBIN) README.md -newer $@ 2>/dev/null)" ]; then \
		scripts/mkfs --update $(MKFSFLAGS) $@ README.md $(UBIN)/*; fi

qemu: $(IMG)
	@$(LAUNCH) $(QEMUFLAGS) $(IMG)

# As xv6's: the GDB stub listens on a free port of 127.0.0.1 (printed, and written into
# .gdbinit with the programs' symbols), and the machine waits, before its first user
# instruction, for gdb to connect and continue. README: "Debugging with gdb".
qemu-gdb: $(IMG)
	@$(LAUNCH) $(QEMUFLAGS) --gdb --gdbinit .gdbinit --symbols $(UDEBUG) $(IMG)

fsck:
	@scripts/fsck $(IMG)

# The old reports go first: the summary counts every report it finds, and a test class
# since deleted or renamed would otherwise be counted from its last run.
# TEST=SomeTest (or SomeTest#someMethod, or A,B) runs just those, under every engine.
test:
	rm -rf target/surefire-reports
	$(MAVEN) verify $(if $(TEST),-Dtest='$(TEST)' -Dsurefire.failIfNoSpecifiedTests=false)
	@touch $(BUILT)
	@scripts/test-summary target/surefire-reports

# Compiles what the benchmarks need (never runs the tests), then runs xv6j.bench.Bench.
bench: $(BUILT)
	@case "$(BENCH)" in ""|cpu|kernels|kv) ;; \
	*) echo "make bench: no benchmark '$(BENCH)'; BENCH= takes cpu, kernels or kv" >&2; exit 2;; esac
	$(MAVEN) test-compile exec:exec@bench $(if $(BENCH),-Dbench.only=$(BENCH))

clean:
	$(MAVEN) clean
	rm -f fs.img fs-exo.img .gdbinit
