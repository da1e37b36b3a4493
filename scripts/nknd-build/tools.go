//go:build tools

// Package tools pins the NKN node and its CLI (github.com/nknorg/nkn/v2 v2.2.1) so that go.mod and
// go.sum fix every dependency of the local devnet node; scripts/nknd-build/build.sh builds them.
package tools

import (
	_ "github.com/nknorg/nkn/v2/cmd/nknc"
	_ "github.com/nknorg/nkn/v2/cmd/nknd"
)
