# xv6j's front door. Make only finds a JDK and calls Maven and java; the real
# build lives in pom.xml and the Java tools.
#
#   make qemu          build, then boot the xv6 kernel on fs.img (Ctrl-A x quits)
#   make EXO=1 qemu    build, then boot the exokernel on fs-exo.img
#   make test          every test (what CI runs)
#   make bench         the benchmark tables (target/bench.json)
#   make fs.img / fs-exo.img / fsck / clean

JDK := $(shell scripts/find-jdk)
ifeq ($(JDK),)
$(error no JDK 21 or newer found; set JAVA_HOME)
endif
export JAVA_HOME := $(JDK)
JAVA := "$(JDK)/bin/java"
MVN ?= mvn
MVNFLAGS ?= -q -B
MAVEN = $(MVN) $(MVNFLAGS)

# Machine options for qemu: memory in MiB, harts, deterministic mode (1 = on).
MEM ?= 128
CPUS ?= 1
DET ?= 0

ifeq ($(EXO),1)
KERNEL = kernel-exo.jar
IMG = fs-exo.img
else
KERNEL = kernel.jar
IMG = fs.img
endif

.PHONY: all build qemu test bench fsck clean

all: build

build:
	$(MAVEN) -DskipTests package

test:
	$(MAVEN) verify

clean:
	$(MAVEN) clean
	rm -f fs.img fs-exo.img

# The jars are built into target/ and copied here, beside their images, as xv6
# keeps its kernel beside fs.img.
kernel.jar kernel-exo.jar: build
	cp target/$@ $@
