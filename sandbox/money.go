package sandbox

import (
	"fmt"
	"math"
	"strconv"
)

// Money is an amount in cents of the shop's currency. It is JSON as a number
// with two decimals ("49.00"), so sums stay exact and the JSON reads like a
// shop's admin.
type Money int64

// MoneyOf rounds v (in currency units) to the nearest cent.
func MoneyOf(v float64) Money { return Money(math.Round(v * 100)) }

// Float returns the amount in currency units.
func (m Money) Float() float64 { return float64(m) / 100 }

// String formats the amount with two decimals and no currency sign.
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	cents := strconv.FormatInt(int64(m%100)+100, 10)[1:] // two digits, zero-padded
	return sign + strconv.FormatInt(int64(m/100), 10) + "." + cents
}

// MarshalJSON writes the amount as a JSON number with two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number and rounds it to the cent.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("money %s: not a number", b)
	}
	*m = MoneyOf(v)
	return nil
}
