package sandbox

import (
	"maps"
	"slices"
)

// Enum values the code branches on. The full lists, in the order the
// schemas show them, are below; Enums exposes them.
const (
	StatusActive   = "ACTIVE"
	StatusDraft    = "DRAFT"
	StatusArchived = "ARCHIVED"

	FinancialPaid              = "PAID"
	FinancialPending           = "PENDING"
	FinancialRefunded          = "REFUNDED"
	FinancialPartiallyRefunded = "PARTIALLY_REFUNDED"

	KindPercentage   = "PERCENTAGE"
	KindFixedAmount  = "FIXED_AMOUNT"
	KindFreeShipping = "FREE_SHIPPING"

	AppliesAll      = "ALL"
	AppliesProducts = "PRODUCTS"
	AppliesSegment  = "SEGMENT"

	DiscountActive    = "ACTIVE"
	DiscountScheduled = "SCHEDULED"
	DiscountExpired   = "EXPIRED"
)

var (
	accountStatuses     = []string{"ENABLED", "DISABLED", "INVITED", "DECLINED"}
	marketingStates     = []string{"SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"}
	productStatuses     = []string{StatusActive, StatusDraft, StatusArchived}
	financialStatuses   = []string{FinancialPaid, FinancialPending, FinancialRefunded, FinancialPartiallyRefunded}
	fulfillmentStatuses = []string{"FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED"}
	discountKinds       = []string{KindPercentage, KindFixedAmount, KindFreeShipping}
	discountTargets     = []string{AppliesAll, AppliesProducts, AppliesSegment}
	discountStatuses    = []string{DiscountActive, DiscountScheduled, DiscountExpired}
	reportGroups        = []string{"none", "day", "month", "product", "customer", "city"}
)

// Enums returns every enumerated value set: the query language's enum fields
// under their field names (customer_account_status), and each tool
// argument with an enum under "tool.argument" (update_customer.email_marketing).
// The map and its slices are fresh copies.
func Enums() map[string][]string {
	out := map[string][]string{}
	for _, f := range queryFields {
		if f.typ == TypeEnum {
			out[f.name] = slices.Clone(f.enum)
		}
	}
	maps.Copy(out, toolEnums())
	return out
}
