package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// shopJSON is the fixture shop, written by the generator in
// fixture_gen_test.go (go test ./sandbox -run TestFixture -update).
//
//go:embed shop.json
var shopJSON []byte

var fixture = sync.OnceValue(func() *Store {
	var s Store
	if err := json.Unmarshal(shopJSON, &s); err != nil {
		// The file is embedded and checked by the tests; a failure here is
		// a broken build.
		panic(fmt.Sprintf("sandbox: parse embedded shop.json: %v", err))
	}
	return &s
})

// Fixture returns a fresh deep copy of the fixture shop, "Maple & Pine
// Outfitters": a Canadian outdoor-apparel shop with about 400 customers, 40
// products and 1,200 orders from January 2025 to June 2026, whose clock
// stands at 2026-06-30T12:00:00Z.
func Fixture() *Store { return fixture().Clone() }
