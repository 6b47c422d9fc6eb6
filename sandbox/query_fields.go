package sandbox

import (
	"slices"
	"strings"
	"time"
)

// FieldType is the type of a segment query field; it decides which
// operators and values the field takes.
type FieldType string

// The field types of the query language.
const (
	TypeEnum    FieldType = "enum"
	TypeString  FieldType = "string"
	TypeList    FieldType = "list"
	TypeNumber  FieldType = "number"
	TypeInteger FieldType = "integer"
	TypeDate    FieldType = "date"
	TypeBool    FieldType = "boolean"
)

// FieldInfo describes one query field, for prompts, docs and validators.
type FieldInfo struct {
	Name        string    `json:"name"`
	Type        FieldType `json:"type"`
	Enum        []string  `json:"enum,omitempty"`
	Operators   []string  `json:"operators"`
	Description string    `json:"description"`
}

// The comparison operators, spelled as the canonical form writes them.
const (
	opEq          = "="
	opNe          = "!="
	opGt          = ">"
	opGe          = ">="
	opLt          = "<"
	opLe          = "<="
	opContains    = "CONTAINS"
	opNotContains = "NOT CONTAINS"
)

var typeOps = map[FieldType][]string{
	TypeEnum:    {opEq, opNe},
	TypeString:  {opEq, opNe, opContains, opNotContains},
	TypeList:    {opContains, opNotContains},
	TypeNumber:  {opEq, opNe, opGt, opGe, opLt, opLe},
	TypeInteger: {opEq, opNe, opGt, opGe, opLt, opLe},
	TypeDate:    {opEq, opNe, opGt, opGe, opLt, opLe},
	TypeBool:    {opEq, opNe},
}

// field is a query field and how to read it from a customer. Exactly one
// reader is set, the one that fits typ.
type field struct {
	name    string
	typ     FieldType
	enum    []string
	desc    string
	example string
	text    func(*Customer) string
	list    func(*Customer) []string
	num     func(*Customer) float64
	date    func(*Customer) *time.Time
	boolean func(*Customer) bool
}

var queryFields = []*field{
	{name: "customer_account_status", typ: TypeEnum, enum: accountStatuses,
		desc: "state of the customer's account", example: "'ENABLED'",
		text: func(c *Customer) string { return c.AccountStatus }},
	{name: "email_subscription_status", typ: TypeEnum, enum: marketingStates,
		desc: "email marketing consent", example: "'SUBSCRIBED'",
		text: func(c *Customer) string { return c.EmailMarketing }},
	{name: "customer_city", typ: TypeString, desc: "city of the default address (case-insensitive)",
		example: "'Toronto'", text: func(c *Customer) string { return c.City }},
	{name: "customer_province_code", typ: TypeString, desc: "province or state code, like ON or WA",
		example: "'ON'", text: func(c *Customer) string { return c.ProvinceCode }},
	{name: "customer_country_code", typ: TypeString, desc: "ISO country code, like CA or US",
		example: "'CA'", text: func(c *Customer) string { return c.CountryCode }},
	{name: "customer_email", typ: TypeString, desc: "email address (case-insensitive)",
		example: "'@gmail.com'", text: func(c *Customer) string { return c.Email }},
	{name: "customer_tags", typ: TypeList, desc: "the customer's tags (case-insensitive, whole tag)",
		example: "'vip'", list: func(c *Customer) []string { return c.Tags }},
	{name: "customer_tax_exempt", typ: TypeBool, desc: "whether the customer is tax exempt",
		example: "true", boolean: func(c *Customer) bool { return c.TaxExempt }},
	{name: "amount_spent", typ: TypeNumber, desc: "total spent, less refunds, in the shop currency",
		example: "500", num: func(c *Customer) float64 { return c.AmountSpent.Float() }},
	{name: "number_of_orders", typ: TypeInteger, desc: "number of orders placed",
		example: "3", num: func(c *Customer) float64 { return float64(c.OrdersCount) }},
	{name: "customer_added_date", typ: TypeDate, desc: "day the customer was added (UTC)",
		example: "2025-01-01", date: func(c *Customer) *time.Time { return &c.CreatedAt }},
	{name: "last_order_date", typ: TypeDate, desc: "day of the latest order (UTC); customers without orders match only !=",
		example: "2026-01-01", date: func(c *Customer) *time.Time { return c.LastOrderAt }},
}

// fieldAliases lists, per field, names agents reach for instead (often
// the customer JSON names), for "did you mean" hints.
var fieldAliases = map[string][]string{
	"customer_account_status":   {"account_status", "status", "state"},
	"email_subscription_status": {"email_marketing", "email_marketing_status", "marketing", "subscription_status", "accepts_marketing"},
	"customer_city":             {"city"},
	"customer_province_code":    {"province", "province_code", "state_code"},
	"customer_country_code":     {"country", "country_code"},
	"customer_email":            {"email"},
	"customer_tags":             {"tags", "tag"},
	"customer_tax_exempt":       {"tax_exempt"},
	"amount_spent":              {"total_spent", "spent", "spend", "amount"},
	"number_of_orders":          {"orders_count", "order_count", "orders", "total_orders"},
	"customer_added_date":       {"created_at", "created", "added_date", "signup_date"},
	"last_order_date":           {"last_order_at", "last_order"},
}

// QueryFields describes every field of the segment query language, in a
// fixed order.
func QueryFields() []FieldInfo {
	out := make([]FieldInfo, len(queryFields))
	for i, f := range queryFields {
		out[i] = FieldInfo{
			Name: f.name, Type: f.typ, Enum: slices.Clone(f.enum),
			Operators: slices.Clone(typeOps[f.typ]), Description: f.desc,
		}
	}
	return out
}

func lookupField(name string) *field {
	for _, f := range queryFields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// suggestField guesses which field an unknown name meant, or returns "".
func suggestField(name string) string {
	low := strings.ToLower(strings.ReplaceAll(name, ".", "_"))
	if f := lookupField(low); f != nil {
		return f.name
	}
	for _, f := range queryFields {
		if slices.Contains(fieldAliases[f.name], low) || slices.Contains(fieldAliases[f.name], strings.TrimPrefix(low, "customer_")) {
			return f.name
		}
	}
	best, bestDist := "", len(low)/3+2
	for _, f := range queryFields {
		if d := editDistance(low, f.name); d < bestDist {
			best, bestDist = f.name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func fieldNames() string {
	names := make([]string, len(queryFields))
	for i, f := range queryFields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}
