# The example tools and the Fashion-MNIST data (included by the top-level Makefile).
#   make tools    build/logreg-train, build/logreg-predict, build/logreg-convert
#   make fmnist   Fashion-MNIST decompressed into build/data/ (needs dataset-fashion-mnist)
TOOLS       := $(BUILD)/logreg-train $(BUILD)/logreg-predict $(BUILD)/logreg-convert
TOOLS_DEPS  := examples/dataio.h examples/classes.h examples/cli.h logreg.h
FMNIST_DIR  := /usr/share/datasets/fashion-mnist
FMNIST_GZ   := $(wildcard $(FMNIST_DIR)/*-ubyte.gz)
FMNIST      := $(patsubst $(FMNIST_DIR)/%.gz,$(BUILD)/data/%,$(FMNIST_GZ))

.PHONY: tools fmnist
tools: $(TOOLS)

$(BUILD)/logreg-%: examples/logreg-%.c $(TOOLS_DEPS) | $(BUILD)
	$(CC) $(CFLAGS) $(WARN) -I. -Iexamples -o $@ $< $(LDLIBS)

fmnist: $(FMNIST)
ifeq ($(FMNIST_GZ),)
	@echo "fmnist: $(FMNIST_DIR) is empty; install the Debian package dataset-fashion-mnist" >&2; exit 1
endif

$(BUILD)/data/%: $(FMNIST_DIR)/%.gz
	@mkdir -p $(BUILD)/data
	gzip -dc $< > $@.tmp && mv $@.tmp $@
