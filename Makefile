# xv6j's front door. Make only finds a JDK and calls Maven and java; the real build
# lives in pom.xml and the Java tools.
#
#   make qemu          build, then boot the xv6 kernel on fs.img (Ctrl-A x quits)
#   make EXO=1 qemu    build, then boot the exokernel on fs-exo.img
#   make test          every test (what CI runs)
#   make bench         the benchmark tables (also written to target/bench.json)
#   make fs.img        (re)build the disk image; make fsck checks it; make clean
#
# Options for qemu: MEM=128 (MiB)  CPUS=1 (harts)  DET=1 (deterministic virtual time)
#                  ENGINE=translator|interpreter|eager (how harts run code)

JDK := $(shell scripts/find-jdk)
ifeq ($(JDK),)
$(error no JDK 21 or newer found; set JAVA_HOME to one)
endif
export JAVA_HOME := $(JDK)
JAVA := "$(JDK)/bin/java"
JDK_MAJOR := $(shell $(JAVA) -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
# Maven 3.8's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every run.
ifeq ($(shell [ "$(JDK_MAJOR)" -ge 24 ] 2>/dev/null && echo new),new)
export MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
endif
# The build's JavaCPP loads clang's libraries (JDK 22+ asks that such access be allowed).
ifeq ($(shell [ "$(JDK_MAJOR)" -ge 22 ] 2>/dev/null && echo new),new)
export MAVEN_OPTS += --enable-native-access=ALL-UNNAMED
endif
MVN ?= mvn
MAVEN = $(MVN) -q -B -Dstyle.color=never

MEM ?= 128
CPUS ?= 1
DET ?= 0

ifeq ($(EXO),1)
KERNEL = target/kernel-exo.jar
IMG = fs-exo.img
UBIN = target/user/exo/bin
# After the file system, blocks of its own for kv, the second LibOS's key-value store.
MKFSFLAGS = --extra 1000
else
KERNEL = target/kernel.jar
IMG = fs.img
UBIN = target/user/kernel/bin
MKFSFLAGS =
endif
QEMUFLAGS = -m $(MEM) -c $(CPUS) $(if $(filter 1,$(DET)),-d) $(if $(ENGINE),-e $(ENGINE))

.PHONY: all build qemu test bench fsck clean $(IMG)

all: build

build:
	$(MAVEN) -DskipTests package

# The image is made again only when a program or the README is newer than it, so
# what you write in one session is still there in the next, as with xv6's fs.img.
$(IMG): build
	@if [ ! -f $@ ] || [ -n "$$(find $(UBIN) README.md -newer $@ 2>/dev/null)" ]; then \
		$(JAVA) -jar target/mkfs.jar $(MKFSFLAGS) $@ README.md $(UBIN)/*; fi

qemu: $(IMG)
	$(JAVA) -jar $(KERNEL) $(QEMUFLAGS) $(IMG)

fsck:
	$(JAVA) -jar target/fsck.jar $(IMG)

# The old reports go first: the summary counts every report it finds, and a test class
# since deleted or renamed would otherwise be counted from its last run.
test:
	rm -rf target/surefire-reports
	$(MAVEN) verify
	@scripts/test-summary target/surefire-reports

# Compiles what the benchmarks need (never runs the tests), then runs xv6j.bench.Bench.
bench:
	$(MAVEN) test-compile exec:exec@bench

clean:
	$(MAVEN) clean
	rm -f fs.img fs-exo.img
