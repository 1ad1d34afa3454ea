# The two commands a newcomer needs: `make run` serves the app, `make test` runs every test.
# Both install what is missing first (scripts/tools.sh), and nothing when it is there.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT := 120

.PHONY: run dist release test test-native test-wasm test-e2e test-programs fuzz tools tools-browser tools-programs bench perf first-load screenshots clean

run: tools
	@echo "Serving the planner at http://127.0.0.1:8080/ (live reload; Ctrl-C stops)"
	trunk serve --offline

dist: release
	@scripts/sizes.sh dist

# The release build alone, without the size budget.
release: tools
	trunk build --release --offline

test: test-native test-programs test-wasm test-e2e

test-native:
	cargo test --locked --workspace

test-wasm: tools-browser
	cargo test --locked --target wasm32-unknown-unknown --test browser

# The real programs read every exported file of 20+ plans (tests/programs.rs), and GNU
# patch applies `planner diff`'s diffs (tests/cli_diff.rs).
test-programs: tools-programs
	cargo test --locked --test programs -- --ignored --nocapture
	cargo test --locked --test cli_diff -- --ignored

test-e2e: tools-browser dist
	node --test tests/e2e/

# A million random and mutated links, plan files and stored documents through the
# decoders (tests/fuzz_links.rs), and a million random and mutated load-test outputs
# through the calibration's readers (tests/fuzz_loadtest.rs); `make test` runs 20,000 of each;
# 3,000 random sets of runs through the calibration itself (`make test`: 30); and a
# million strings through the CIDR fields' address reader against std's (`make test`: 100,000).
fuzz:
	FUZZ_CASES=$${FUZZ_CASES:-1000000} cargo test --locked --release --test fuzz_links -- --nocapture
	FUZZ_CASES=$${FUZZ_CASES:-1000000} cargo test --locked --release --test fuzz_loadtest -- --nocapture
	CALIBRATION_CASES=$${CALIBRATION_CASES:-3000} cargo test --locked --release --lib any_runs_give_finite_demands -- --nocapture
	ADDRESS_CASES=$${ADDRESS_CASES:-1000000} cargo test --locked --release --lib random_strings_read_as_std_reads_them -- --nocapture

tools:
	@scripts/tools.sh build

tools-browser:
	@scripts/tools.sh browser

tools-programs:
	@scripts/tools.sh programs

bench:
	cargo bench

# Time from an edit to the end of the page's re-render in Chromium, 3 × 200 edits, each made
# once the previous one is drawn, on a first and a returning visit, then back to back:
# p50 / p95 / max (scripts/perf.mjs). A measurement, not a test: it never fails on the figure.
perf: tools-browser release
	node scripts/perf.mjs

# From the navigation's start to an edit answered and drawn, 20 cold loads (a fresh browser
# context each) on loopback: p50 / p95 / min / max (scripts/first-load.mjs). A measurement.
first-load: tools-browser release
	node scripts/first-load.mjs

# docs/screenshot-360.png and docs/screenshot-1440.png, full page (scripts/screenshots.mjs).
screenshots: tools-browser release
	node scripts/screenshots.mjs

clean:
	cargo clean; rm -rf dist tests/e2e/out
