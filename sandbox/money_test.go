package sandbox_test

import (
	"encoding/json"
	"testing"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestMoney_MarshalJSON(t *testing.T) {
	for m, want := range map[sandbox.Money]string{0: "0.00", 5: "0.05", 1999: "19.99", -1050: "-10.50", 100000: "1000.00"} {
		b, err := json.Marshal(m)
		if err != nil || string(b) != want {
			t.Errorf("Marshal(%d) = %s, %v; want %s", m, b, err, want)
		}
		var back sandbox.Money
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", b, back, err, m)
		}
	}
	var m sandbox.Money
	if err := json.Unmarshal([]byte(`19.999`), &m); err != nil || m != 2000 {
		t.Errorf("19.999 read as %d, %v; want 2000 cents", m, err)
	}
	if err := json.Unmarshal([]byte(`"12"`), &m); err == nil {
		t.Error("a JSON string was read as money")
	}
}
