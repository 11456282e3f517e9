# SPDX-License-Identifier: GPL-2.0
#
# pool_ext: out-of-tree gen_pool, mempool and dma_pool reimplementations.
#
#   make [KDIR=...]      build the suite (and its KUnit modules where the
#                        kernel has KUnit) against KDIR
#   make demo            build demo/ as a separate downstream driver pass
#   make install         modules_install into the kernel's updates/ tree
#   make clean
#   make check           the test command: deps, parser and matrix self-tests,
#                        KUnit in QEMU on the 6.12 and 7.2 debug kernels,
#                        model checker, KCSAN run, smoke on stock 6.1, 6.12,
#                        6.12-rt and 7.2, IOMMU boot, contended dma_pool
#                        lock on stock 6.12
#   make check ARCH=arm64  the same on arm64 (scripts/arm64-check.sh): KUnit
#                        on the arm64 debug kernel, sram_ext and its client
#                        on a device tree with SRAM, smoke on stock arm64 6.12
#   make ARCH=arm64 KDIR=... cross-builds (CROSS_COMPILE defaults to
#                        Debian's aarch64-linux-gnu-)
#   make modelcheck      genpool_ext's interleaving model checker (userspace)
#   make kcsan-check     the concurrency and stress cases on a KCSAN kernel
#   make run [KERNEL=NAME] boot a kernel of scripts/kernels.list (default
#                        6.12; 6.1, 6.12-rt, 7.2, 6.12-debug, 7.2-debug),
#                        load suite and demo
#   make lint            checkpatch --strict, kernel-doc, sparse, W=1
#   make coverage        gcov line/branch coverage of the KUnit run
#   make bench           suite vs in-kernel allocators (stock 6.12, 6.12-rt,
#                        7.2 and 6.1, QEMU): table, CSV, plot
#   make package-check   DKMS on 6.1/6.12/6.12-rt, make install + modprobe in QEMU
#   make iommu-check     dmapool_ext behind a translating IOMMU (stock 6.12,
#                        QEMU q35 + intel-iommu)
#   make contended-check dmapool_ext's contended lock turning its magazines
#                        on, as production kernels build it (stock 6.12)
#   make drivers-check   real drivers (ehci-hcd, nvme) ported by
#                        scripts/port-driver, verified I/O on stock 6.12

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNEL ?= 6.12
ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
export CROSS_COMPILE
endif

# Build the demo against the suite's symbols, like any third-party driver.
DEMO_FLAGS = KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers POOL_EXT_ROOT=$(CURDIR)

.PHONY: all modules demo install clean check run lint coverage package-check bench \
	kdir-check parser-test modelcheck iommu-check kcsan-check drivers-check \
	contended-check

all: modules

kdir-check:
	@test -f $(KDIR)/Makefile || { echo "error: no kernel build tree at $(KDIR): install linux-headers-$$(uname -r) (scripts/install-deps.sh) or pass KDIR=/path/to/kernel/build"; exit 1; }

modules: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

demo: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/demo $(DEMO_FLAGS) modules

# INSTALL_MOD_PATH=DIR stages the install under DIR (used by the modprobe
# check); depmod then works on that tree.
install: demo
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	$(MAKE) -C $(KDIR) M=$(CURDIR)/demo $(DEMO_FLAGS) INSTALL_MOD_DIR=updates modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(shell cat $(KDIR)/include/config/kernel.release)

# The driver files ported at build time (drivers/sram_ext/Kbuild) go too:
# kbuild's clean only goes there on a kernel with CONFIG_OF.
clean:
	test ! -f $(KDIR)/Makefile || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	test ! -f $(KDIR)/Makefile || $(MAKE) -C $(KDIR) M=$(CURDIR)/demo clean
	rm -rf .build
	rm -f drivers/sram_ext/sram.c drivers/sram_ext/sram.h drivers/sram_ext/port.patch

check:
ifeq ($(ARCH),arm64)
	scripts/arm64-check.sh
else
	scripts/check.sh
endif

kcsan-check:
	scripts/kcsan-check.sh

run:
	scripts/run.sh $(KERNEL)

lint:
	scripts/lint.sh

coverage:
	scripts/coverage.sh

bench:
	scripts/bench.sh

package-check:
	scripts/package-check.sh

parser-test:
	scripts/test-parser.sh

modelcheck:
	scripts/modelcheck.sh

iommu-check:
	scripts/iommu-check.sh

contended-check:
	scripts/contended-check.sh

drivers-check:
	scripts/drivers-check.sh
