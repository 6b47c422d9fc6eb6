package results

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// timeLayout is how times are stored: UTC with milliseconds, fixed width so
// that text order is time order, and readable by SQLite's date functions.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// sqlTime returns t as stored text, or NULL for the zero time.
func sqlTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a stored time; NULL is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s.String, err)
	}
	return t, nil
}

// sqlMillis returns d in milliseconds, or NULL for a zero duration (not
// measured).
func sqlMillis(d time.Duration) any {
	if d == 0 {
		return nil
	}
	return float64(d) / float64(time.Millisecond)
}

// millis reads a stored millisecond count back into a duration.
func millis(f sql.NullFloat64) time.Duration {
	if !f.Valid {
		return 0
	}
	return time.Duration(math.Round(f.Float64 * float64(time.Millisecond)))
}

// sqlJSON returns raw JSON as text, or NULL when empty.
func sqlJSON(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return string(raw)
}

// rawJSON reads a JSON column; NULL is nil.
func rawJSON(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return nil
	}
	return json.RawMessage(s.String)
}

// sqlFloat returns *f, or NULL.
func sqlFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// sqlInt returns *i, or NULL.
func sqlInt(i *int64) any {
	if i == nil {
		return nil
	}
	return *i
}

// intPtr reads a nullable INTEGER.
func intPtr(i sql.NullInt64) *int64 {
	if !i.Valid {
		return nil
	}
	v := i.Int64
	return &v
}

// sqlText returns s, or NULL when empty: for columns where NULL means not
// known.
func sqlText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// floatPtr reads a nullable REAL.
func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

// checkJSON reports whether raw is empty or valid JSON. The error never
// quotes raw: JSON columns hold run configs and cards, which may carry
// secrets the caller failed to redact.
func checkJSON(raw json.RawMessage) error {
	if len(raw) == 0 || json.Valid(raw) {
		return nil
	}
	return errInvalidJSON
}

// checkFinite refuses NaN and infinities, which SQLite would store as NULL.
func checkFinite(f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%v is not a finite number", f)
	}
	return nil
}
