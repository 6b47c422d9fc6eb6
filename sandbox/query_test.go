package sandbox_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"Canonical", "customer_account_status = 'ENABLED'", "customer_account_status = 'ENABLED'"},
		{"BareEnumIsQuoted", "customer_account_status = ENABLED", "customer_account_status = 'ENABLED'"},
		{"KeywordsAnyCase", `customer_account_status = "ENABLED" and customer_city = 'Toronto'`,
			"customer_account_status = 'ENABLED' AND customer_city = 'Toronto'"},
		{"AndBindsTighter", "customer_city = 'A' or customer_city = 'B' AND amount_spent > 100",
			"customer_city = 'A' OR customer_city = 'B' AND amount_spent > 100"},
		{"ParenthesesKeptWhereNeeded", "(customer_city = 'A' OR customer_city = 'B') AND amount_spent > 100",
			"(customer_city = 'A' OR customer_city = 'B') AND amount_spent > 100"},
		{"NestedAndFlattened", "customer_city = 'A' AND (amount_spent > 1 AND number_of_orders < 3)",
			"customer_city = 'A' AND amount_spent > 1 AND number_of_orders < 3"},
		{"NestedOrFlattened", "(customer_city = 'A' OR customer_city = 'B') OR customer_city = 'C'",
			"customer_city = 'A' OR customer_city = 'B' OR customer_city = 'C'"},
		{"RedundantParentheses", "((customer_city = 'A'))", "customer_city = 'A'"},
		{"NotOfList", "not (customer_city = 'A' or customer_city = 'B')", "NOT (customer_city = 'A' OR customer_city = 'B')"},
		{"DoubleNot", "NOT not customer_city = 'A'", "NOT NOT customer_city = 'A'"},
		{"NotContains", "customer_tags not contains 'vip'", "customer_tags NOT CONTAINS 'vip'"},
		{"NumberNormalised", "amount_spent >= 100.50", "amount_spent >= 100.5"},
		{"NegativeNumber", "amount_spent > -1", "amount_spent > -1"},
		{"QuotedDateIsBare", "customer_added_date > '2025-01-01'", "customer_added_date > 2025-01-01"},
		{"BoolLowerCase", "customer_tax_exempt = TRUE", "customer_tax_exempt = true"},
		{"EscapedQuote", `customer_city = "St. John's"`, `customer_city = 'St. John\'s'`},
		{"BackslashEscape", `customer_email CONTAINS 'a\\b'`, `customer_email CONTAINS 'a\\b'`},
		{"Multiline", "customer_city = 'Toronto'\n  AND number_of_orders >= 2", "customer_city = 'Toronto' AND number_of_orders >= 2"},
		{"LessOrEqual", "last_order_date <= 2026-01-31", "last_order_date <= 2026-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := sandbox.ParseQuery(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			again, err := sandbox.ParseQuery(q.String())
			if err != nil {
				t.Fatalf("canonical form does not parse: %v", err)
			}
			if again.String() != q.String() {
				t.Errorf("canonical form is not stable: %q then %q", q.String(), again.String())
			}
		})
	}
}

func TestParseQuery_Errors(t *testing.T) {
	tests := []struct {
		name, src      string
		pos, line, col int
		msg            string // the message starts with this
	}{
		{"ErrEmpty", "", 0, 1, 1, "empty query"},
		{"ErrBlank", "   ", 3, 1, 4, "empty query"},
		{"ErrUnknownFieldTypo", "customer_cty = 'Toronto'", 0, 1, 1, "unknown field customer_cty (did you mean customer_city?)"},
		{"ErrUnknownFieldAlias", "amount_spent > 1 AND city = 'Toronto'", 21, 1, 22, "unknown field city (did you mean customer_city?)"},
		{"ErrUnknownFieldList", "foo = 1", 0, 1, 1, "unknown field foo; fields are customer_account_status, "},
		{"ErrOperatorForString", "customer_city > 'A'", 14, 1, 15, "operator > does not apply to customer_city (string); use =, !=, CONTAINS or NOT CONTAINS"},
		{"ErrOperatorForList", "customer_tags = 'vip'", 14, 1, 15, "operator = does not apply to customer_tags (list); use CONTAINS or NOT CONTAINS"},
		{"ErrValueType", "amount_spent > 'abc'", 15, 1, 16, "amount_spent takes a number like 500, got string 'abc'"},
		{"ErrNotWhole", "number_of_orders = 1.5", 19, 1, 20, "number_of_orders takes a whole number, got 1.5"},
		{"ErrEnumCase", "customer_account_status = 'enabled'", 26, 1, 27,
			"'enabled' is not a value of customer_account_status (did you mean 'ENABLED'?); use one of ENABLED, DISABLED, INVITED, DECLINED"},
		{"ErrEnumUnknown", "customer_account_status = ACTIVE", 26, 1, 27,
			"'ACTIVE' is not a value of customer_account_status; use one of ENABLED, DISABLED, INVITED, DECLINED"},
		{"ErrUnterminated", "customer_city = 'Toronto", 16, 1, 17, "unterminated string"},
		{"ErrTrailing", "customer_city = 'Toronto' customer_city = 'x'", 26, 1, 27, "unexpected customer_city after a complete condition"},
		{"ErrUnmatchedClose", "customer_city = 'Toronto')", 25, 1, 26, "unmatched )"},
		{"ErrUnclosedOpen", "(customer_city = 'Toronto'", 26, 1, 27, "expected ) to close the ( at 1:1, got end of query"},
		{"ErrDanglingAnd", "customer_city = 'A' AND", 23, 1, 24, "expected a condition, got end of query"},
		{"ErrDoubleEquals", "customer_city == 'A'", 14, 1, 15, "use = to compare, not =="},
		{"ErrUnquotedString", "customer_city = Toronto", 16, 1, 17, "customer_city takes a quoted string: write 'Toronto'"},
		{"ErrBadDate", "customer_added_date > 2025-13-01", 22, 1, 23, "invalid date 2025-13-01"},
		{"ErrMalformedDate", "customer_added_date > 2025-1-01", 22, 1, 23, "malformed date"},
		{"ErrLineAndColumn", "customer_city = 'A'\n  AND\n  foo = 1", 28, 3, 3, "unknown field foo"},
		{"ErrColumnCountsCharacters", "customer_city = 'Montréal' AND bar = 1", 32, 1, 32, "unknown field bar"},
		{"ErrMissingValue", "customer_city CONTAINS", 22, 1, 23, "expected a value after CONTAINS, got end of query"},
		{"ErrMissingOperator", "customer_city", 13, 1, 14, "expected an operator after customer_city (=, !=, CONTAINS or NOT CONTAINS)"},
		{"ErrNotWithoutContains", "customer_tags NOT 'vip'", 18, 1, 19, "expected CONTAINS after NOT"},
		{"ErrBool", "customer_tax_exempt = 'yes'", 22, 1, 23, "customer_tax_exempt takes true or false"},
		{"ErrKeywordAsField", "AND customer_city = 'x'", 0, 1, 1, "expected a field name, got AND"},
		{"ErrQuotedField", "'customer_city' = 'x'", 0, 1, 1, "expected a field name, got string 'customer_city'; field names are not quoted"},
		{"ErrBadCharacter", "customer_city = 'x' @", 20, 1, 21, "unexpected character '@'"},
	}
	// kinds lists the errors that are not syntax errors.
	kinds := map[string]sandbox.QueryErrorKind{
		"ErrUnknownFieldTypo": sandbox.QueryErrField, "ErrUnknownFieldAlias": sandbox.QueryErrField,
		"ErrUnknownFieldList": sandbox.QueryErrField, "ErrLineAndColumn": sandbox.QueryErrField,
		"ErrColumnCountsCharacters": sandbox.QueryErrField,
		"ErrOperatorForString":      sandbox.QueryErrType, "ErrOperatorForList": sandbox.QueryErrType,
		"ErrValueType": sandbox.QueryErrType, "ErrNotWhole": sandbox.QueryErrType,
		"ErrUnquotedString": sandbox.QueryErrType, "ErrBool": sandbox.QueryErrType,
		"ErrEnumCase": sandbox.QueryErrEnum, "ErrEnumUnknown": sandbox.QueryErrEnum,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sandbox.ParseQuery(tt.src)
			var qe *sandbox.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want *QueryError", err)
			}
			if got := [3]int{qe.Pos, qe.Line, qe.Col}; got != [3]int{tt.pos, tt.line, tt.col} {
				t.Errorf("pos, line, col = %v, want %v (%s)", got, [3]int{tt.pos, tt.line, tt.col}, qe.Msg)
			}
			if !strings.HasPrefix(qe.Msg, tt.msg) {
				t.Errorf("message = %q, want it to start with %q", qe.Msg, tt.msg)
			}
			wantKind := kinds[tt.name]
			if wantKind == "" {
				wantKind = sandbox.QueryErrSyntax
			}
			if qe.Kind != wantKind {
				t.Errorf("kind = %q, want %q", qe.Kind, wantKind)
			}
			if want := fmt.Sprintf("query:%d:%d: %s", tt.line, tt.col, qe.Msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestQuery_Match(t *testing.T) {
	c := &sandbox.Customer{
		AccountStatus: "ENABLED", EmailMarketing: "SUBSCRIBED", City: "Toronto", ProvinceCode: "ON", CountryCode: "CA",
		Email: "ava@Gmail.com", Tags: []string{"VIP", "newsletter"}, AmountSpent: sandbox.MoneyOf(150.5), OrdersCount: 3,
		CreatedAt: time.Date(2025, 1, 1, 22, 30, 0, 0, time.UTC),
	}
	tests := []struct {
		src  string
		want bool
	}{
		{"customer_city = 'toronto'", true},
		{"customer_city != 'Toronto'", false},
		{"customer_city CONTAINS 'RONT'", true},
		{"customer_city NOT CONTAINS 'ront'", false},
		{"customer_tags CONTAINS 'vip'", true},
		{"customer_tags CONTAINS 'vi'", false},
		{"customer_tags NOT CONTAINS 'wholesale'", true},
		{"customer_account_status = 'ENABLED'", true},
		{"customer_account_status != 'ENABLED'", false},
		{"email_subscription_status = 'UNSUBSCRIBED'", false},
		{"amount_spent > 150.5", false},
		{"amount_spent >= 150.5", true},
		{"amount_spent = 150.50", true},
		{"number_of_orders < 3", false},
		{"number_of_orders <= 3", true},
		{"customer_added_date = 2025-01-01", true},
		{"customer_added_date > 2024-12-31", true},
		{"customer_added_date < 2025-01-01", false},
		{"last_order_date < 2030-01-01", false},
		{"last_order_date != 2025-01-01", true},
		{"customer_email CONTAINS '@gmail.com'", true},
		{"customer_tax_exempt = false", true},
		{"NOT customer_city = 'Toronto'", false},
		{"customer_city = 'X' OR customer_account_status = 'ENABLED'", true},
		{"customer_city = 'X' AND customer_account_status = 'ENABLED'", false},
		{"(customer_city = 'X' OR amount_spent > 100) AND NOT customer_tags CONTAINS 'wholesale'", true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			q, err := sandbox.ParseQuery(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Match(c); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQuery_Fields(t *testing.T) {
	q, err := sandbox.ParseQuery("customer_city = 'A' AND (amount_spent > 1 OR NOT customer_city = 'B')")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"amount_spent", "customer_city"}, q.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}

func TestQueryFields(t *testing.T) {
	byName := map[string]sandbox.FieldInfo{}
	for _, f := range sandbox.QueryFields() {
		byName[f.Name] = f
	}
	for _, name := range []string{
		"customer_account_status", "email_subscription_status", "customer_city", "customer_province_code",
		"customer_country_code", "customer_email", "customer_tags", "amount_spent", "number_of_orders",
		"customer_added_date", "last_order_date",
	} {
		if _, ok := byName[name]; !ok {
			t.Errorf("QueryFields lacks %s", name)
		}
	}
	if diff := cmp.Diff([]string{"CONTAINS", "NOT CONTAINS"}, byName["customer_tags"].Operators); diff != "" {
		t.Errorf("customer_tags operators (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sandbox.Enums()["customer_account_status"], byName["customer_account_status"].Enum); diff != "" {
		t.Errorf("account status enum disagrees with Enums (-want +got):\n%s", diff)
	}
	if byName["number_of_orders"].Type != sandbox.TypeInteger {
		t.Errorf("number_of_orders type = %s", byName["number_of_orders"].Type)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"customer_account_status = 'ENABLED'",
		"customer_city = 'A' OR (customer_city = 'B' AND amount_spent > 100.25)",
		"NOT customer_tags NOT CONTAINS \"vip\"",
		"customer_added_date >= 2025-01-01 AND last_order_date < '2026-01-01'",
		"customer_email CONTAINS 'x\\'y\\\\z'",
		"customer_tax_exempt != TRUE",
		"number_of_orders = -0",
		"((customer_city = 'é'))",
	} {
		f.Add(s)
	}
	c := &sandbox.Fixture().Customers[0]
	f.Fuzz(func(t *testing.T, src string) {
		q, err := sandbox.ParseQuery(src)
		if err != nil {
			var qe *sandbox.QueryError
			if !errors.As(err, &qe) || qe.Pos < 0 || qe.Pos > len(src) || qe.Line < 1 || qe.Col < 1 {
				t.Fatalf("bad error for %q: %#v", src, err)
			}
			return
		}
		canon := q.String()
		again, err := sandbox.ParseQuery(canon)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", canon, src, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form unstable: %q -> %q", canon, again.String())
		}
		if q.Match(c) != again.Match(c) {
			t.Fatalf("%q and its canonical form %q disagree", src, canon)
		}
	})
}
