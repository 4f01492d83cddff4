// The pod sandbox ("pause") binary, our own code: a static program with no dependencies, built by
// scripts/toolchain/addons.sh.
module blog.local/toolchain/pause

go 1.26.0
