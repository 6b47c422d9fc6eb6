package mutants

import "testing"

func TestRetell_Apply(t *testing.T) {
	r := newRetell()
	r.learn(`{"count":37,"total":1234.5,"share":15,"segment":{"id":"seg_4"}}`,
		`{"count":4,"total":98765.25,"share":7,"segment":{"id":"seg_9"}}`)
	got := r.apply("37 customers spent $1,234.50 (15%); segment seg_4. Unrelated: 38.")
	want := "4 customers spent $98,765.25 (7%); segment seg_9. Unrelated: 38."
	if got != want {
		t.Errorf("apply =\n %q\nwant\n %q", got, want)
	}
}

func TestRetell_KeepsOtherStrings(t *testing.T) {
	r := newRetell()
	r.learn(`{"customers":[{"city":"Toronto"}]}`, `{"customers":[{"city":"Mississauga"}]}`)
	if got := r.apply("Your Toronto customers"); got != "Your Toronto customers" {
		t.Errorf("apply = %q; a city is not retold", got)
	}
}
