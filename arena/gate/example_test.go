package gate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

func ExampleDecide() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gate-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := results.Open(ctx, filepath.Join(dir, "arena.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()

	// Forty merchants played against production and its release candidate;
	// the candidate filters on a tag instead of a field for four of them.
	var ss []results.Session
	for i := range 40 {
		ss = append(ss, session("run-1", persona(i), "shop-assistant@1.4.0", 0, true, 1))
		if i < 4 {
			ss = append(ss, session("run-1", persona(i), "shop-assistant@1.5.0", 0, false, 0.25, hacks("tag_hacking")))
		} else {
			ss = append(ss, session("run-1", persona(i), "shop-assistant@1.5.0", 0, true, 1))
		}
	}
	if err := db.WriteSessions(ctx, ss); err != nil {
		panic(err)
	}

	d, err := gate.Decide(ctx, db, gate.Config{Baseline: "shop-assistant@1.4.0", Candidate: "shop-assistant@1.5.0"})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Verdict, "on", d.Pairs, "pairs; McNemar b, c =", d.McNemar.B, d.McNemar.C)
	for _, r := range d.Reasons {
		fmt.Println("-", r)
	}
	// Output:
	// block on 40 pairs; McNemar b, c = 4 0
	// - success fell 1.000 → 0.900: B-A -0.100, 95% lower bound -0.175 is not above -0.020 (40 pairs, 40 personas)
	// - score fell 1.000 → 0.925: B-A -0.075, 95% lower bound -0.131 is not above -0.020 (40 pairs, 40 personas)
	// - stage-1 failure rate rose 0.00 → 0.10 (4 of 40 pairs)
	// - tag_hacking rate rose 0.00 → 0.10 (4 of 40 pairs)
}
