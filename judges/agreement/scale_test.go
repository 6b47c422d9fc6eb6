package agreement_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestParseScale(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    agreement.Scale
		wantErr string
	}{
		{name: "Nominal", in: "nominal", want: agreement.Scale{Kind: agreement.Nominal}},
		{name: "OrdinalWithLevels", in: " Ordinal: 1, 2,3 ", want: agreement.Scale{Kind: agreement.Ordinal, Levels: []string{"1", "2", "3"}}},
		{name: "NominalStrings", in: "nominal:yes,no", want: agreement.Scale{Kind: agreement.Nominal, Levels: []string{"yes", "no"}}},
		{name: "Interval", in: "interval", want: agreement.Scale{Kind: agreement.Interval}},
		{name: "ErrUnknownKind", in: "ratio", wantErr: `unknown kind "ratio"`},
		{name: "ErrEmptyLevel", in: "ordinal:1,,3", wantErr: "level 2 is empty"},
		{name: "ErrRepeatedLevel", in: "ordinal:1,2,1", wantErr: `level 3 "1" repeats level 1`},
		{name: "ErrIntervalNotNumeric", in: "interval:1,x", wantErr: `level 2 "x": value is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := agreement.ParseScale(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("scale (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("StringRoundTrips", func(t *testing.T) {
		sc, _ := agreement.ParseScale("ordinal:1,2,3")
		if got := sc.String(); got != "ordinal:1,2,3" {
			t.Errorf("String = %q", got)
		}
	})
}

func TestInferScale(t *testing.T) {
	t.Run("NumericOrderAndOneSpellingPerNumber", func(t *testing.T) {
		got := agreement.InferScale([]string{"10", "9", "3", "3.0", "0.5"})
		want := agreement.Scale{Kind: agreement.Nominal, Levels: []string{"0.5", "3", "9", "10"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("scale (-want +got):\n%s", diff)
		}
		if !got.Ordered() {
			t.Error("numeric inferred scale is not ordered")
		}
	})
	t.Run("StringsSortedAndUnordered", func(t *testing.T) {
		got := agreement.InferScale([]string{"no", "yes", "maybe", "no"})
		if diff := cmp.Diff([]string{"maybe", "no", "yes"}, got.Levels); diff != "" {
			t.Errorf("levels (-want +got):\n%s", diff)
		}
		if got.Ordered() {
			t.Error("string scale is ordered")
		}
	})
}

func TestNewTable(t *testing.T) {
	labels := []agreement.Label{
		{Item: "i1", Rater: "ann", Value: "3"},
		{Item: "i1", Rater: "bob", Value: "3.0"},
		{Item: "i2", Rater: "bob", Value: "1"},
	}
	t.Run("OK", func(t *testing.T) {
		tab := mustTable(t, labels, "ordinal:1,2,3")
		if diff := cmp.Diff([]string{"i1", "i2"}, tab.Items); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}
		if v, ok := tab.Value("i1", "bob"); !ok || v != "3" {
			t.Errorf("Value(i1, bob) = %q, %v; want \"3\" (numeric match)", v, ok)
		}
		if _, ok := tab.Value("i2", "ann"); ok {
			t.Error("missing cell reported present")
		}
		if tab.Labels() != 3 {
			t.Errorf("Labels = %d, want 3", tab.Labels())
		}
	})
	for _, tc := range []struct {
		name    string
		labels  []agreement.Label
		scale   string
		wantErr error
		wantMsg string
	}{
		{"ErrDuplicateLabel", append(labels[:3:3], agreement.Label{Item: "i1", Rater: "ann", Value: "2"}), "ordinal:1,2,3",
			agreement.ErrDuplicateLabel, `label 3 (item "i1", rater "ann", value "2"): duplicate label for item and rater (first given as label 0)`},
		{"ErrUnknownValue", append(labels[:3:3], agreement.Label{Item: "i3", Rater: "ann", Value: "4"}), "ordinal:1,2,3",
			agreement.ErrUnknownValue, `label 3 (item "i3", rater "ann", value "4"): value is not a level of the scale ordinal:1,2,3`},
		{"ErrEmptyField", append(labels[:3:3], agreement.Label{Item: "i3", Rater: "", Value: "1"}), "",
			agreement.ErrEmptyField, `label 3`},
		{"ErrOrdinalStringsWithoutLevels", []agreement.Label{{Item: "i", Rater: "r", Value: "high"}}, "ordinal",
			agreement.ErrNotNumeric, `list the levels`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sc agreement.Scale
			if tc.scale != "" {
				sc, _ = agreement.ParseScale(tc.scale)
			}
			_, err := agreement.NewTable(tc.labels, sc)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			var le *agreement.LabelError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("err = %q, want a *LabelError containing %q", err, tc.wantMsg)
			}
		})
	}
	t.Run("WithRaters", func(t *testing.T) {
		tab := mustTable(t, labels, "")
		sub, err := tab.WithRaters("bob")
		if err != nil {
			t.Fatal(err)
		}
		if sub.Labels() != 2 || len(sub.Items) != 2 {
			t.Errorf("sub has %d labels over %d items, want 2 over 2", sub.Labels(), len(sub.Items))
		}
		if _, err := tab.WithRaters("eve"); !errors.Is(err, agreement.ErrUnknownRater) {
			t.Errorf("err = %v, want ErrUnknownRater", err)
		}
	})
}
