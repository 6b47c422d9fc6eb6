package sandbox_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestStore_Call_SalesReport(t *testing.T) {
	s := sandbox.Fixture()
	from, to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var want sandbox.ReportRow
	for _, o := range s.Orders {
		if o.CreatedAt.Before(from) || !o.CreatedAt.Before(to) {
			continue
		}
		want.Orders++
		for _, li := range o.LineItems {
			want.Units += li.Quantity
		}
		want.Gross += o.Subtotal
		want.Discounts += o.DiscountTotal
		want.Refunds += o.TotalRefunded
	}
	want.Net = want.Gross - want.Discounts - want.Refunds
	want.AverageOrderValue = sandbox.MoneyOf((want.Gross - want.Discounts).Float() / float64(want.Orders))
	report := func(t *testing.T, groupBy string, limit int) sandbox.SalesReport {
		return callInto[sandbox.SalesReport](t, s, "sales_report",
			`{"start_date":"2025-11-01","end_date":"2025-12-31","group_by":"`+groupBy+`","limit":`+strconv.Itoa(limit)+`}`)
	}
	sum := func(rows []sandbox.ReportRow) sandbox.ReportRow {
		var r sandbox.ReportRow
		for _, x := range rows {
			r.Units += x.Units
			r.Gross += x.Gross
			r.Discounts += x.Discounts
			r.Refunds += x.Refunds
		}
		return r
	}
	t.Run("Totals", func(t *testing.T) {
		got := report(t, "none", 50)
		if diff := cmp.Diff(want, got.Totals); diff != "" || want.Orders == 0 {
			t.Errorf("totals (-want +got):\n%s", diff)
		}
		if len(got.Rows) != 0 || got.Currency != "CAD" {
			t.Errorf("group none gave %d rows in %s", len(got.Rows), got.Currency)
		}
	})
	t.Run("ByMonth", func(t *testing.T) {
		got := report(t, "month", 50)
		keys := []string{got.Rows[0].Key, got.Rows[1].Key}
		if diff := cmp.Diff([]string{"2025-11", "2025-12"}, keys); diff != "" || len(got.Rows) != 2 {
			t.Errorf("month keys (-want +got):\n%s", diff)
		}
		if got.Rows[0].Orders+got.Rows[1].Orders != want.Orders {
			t.Errorf("months hold %d orders, want %d", got.Rows[0].Orders+got.Rows[1].Orders, want.Orders)
		}
	})
	t.Run("ByProductAddsUp", func(t *testing.T) {
		got := report(t, "product", 500)
		s := sum(got.Rows)
		w := sandbox.ReportRow{Units: want.Units, Gross: want.Gross, Discounts: want.Discounts, Refunds: want.Refunds}
		if diff := cmp.Diff(w, s); diff != "" {
			t.Errorf("product rows do not add up to the totals (-want +got):\n%s", diff)
		}
		if !slices.IsSortedFunc(got.Rows, func(a, b sandbox.ReportRow) int { return int(b.Net - a.Net) }) {
			t.Error("product rows are not by net sales, highest first")
		}
	})
	t.Run("LimitKeepsRowCount", func(t *testing.T) {
		got := report(t, "city", 3)
		if len(got.Rows) != 3 || got.RowCount <= 3 {
			t.Errorf("%d rows of %d, want 3 of more", len(got.Rows), got.RowCount)
		}
	})
	t.Run("ErrEndBeforeStart", func(t *testing.T) {
		callErr(t, s, "sales_report", `{"start_date":"2026-01-02","end_date":"2026-01-01"}`, sandbox.CodeInvalid, "before start_date")
	})
	t.Run("ErrBadGroup", func(t *testing.T) {
		callErr(t, s, "sales_report", `{"start_date":"2026-01-01","end_date":"2026-01-31","group_by":"week"}`, sandbox.CodeBadRequest,
			"group_by:", "none, day, month, product, customer, city")
	})
	t.Run("ErrMissingDates", func(t *testing.T) {
		callErr(t, s, "sales_report", `{}`, sandbox.CodeBadRequest, "start_date: required", "end_date: required")
	})
}
