package refagent

// note is one piece of guidance. jit attaches its text beside a tool result
// when a rule picks it; monolith puts every note in the system prompt, each
// after its when clause (empty when the text already says when it applies).
type note struct {
	id   string
	when string
	text string
}

// The notes, in the order the monolith prompt lists them. Words only: an
// outside build cannot import the sandbox, so the tests hold this text
// against the sandbox's fields, enums and tools.
var (
	noteQuery = &note{id: "query", text: "Segment queries (the query argument of search_customers and " +
		"create_segment) filter customers on fields. Fields: " +
		"customer_account_status, one of ENABLED, DISABLED, INVITED, DECLINED; " +
		"email_subscription_status, one of SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING; " +
		"customer_city, customer_province_code (like 'ON'), customer_country_code (like 'CA') and customer_email, " +
		"text compared without case by = and != (whole value) or CONTAINS and NOT CONTAINS (part of it); " +
		"customer_tags, the tag list, with CONTAINS or NOT CONTAINS and one whole tag; " +
		"customer_tax_exempt, true or false; " +
		"amount_spent (in the shop currency) and number_of_orders, numbers compared by = != > >= < <=; " +
		"customer_added_date and last_order_date, days like 2025-01-31 compared the same way " +
		"(customers without orders match last_order_date only with !=). " +
		"Enum and true/false fields take only = and !=. Put text and enum values in single quotes and write " +
		"enum values in upper case exactly as listed. Join conditions with AND, OR, NOT and parentheses, e.g. " +
		"customer_account_status = 'ENABLED' AND (customer_city = 'Toronto' OR amount_spent >= 500). " +
		"Filter on the field that holds what the merchant means: enabled or active accounts are " +
		"customer_account_status = 'ENABLED', customers who get marketing email are " +
		"email_subscription_status = 'SUBSCRIBED'. Use customer_tags only for a tag the merchant names; " +
		"a tag filter never stands in for a field (customer_tags CONTAINS 'enabled' does not find enabled accounts)."}

	noteCounts = &note{id: "counts", text: "In search results, count is the total number of matches and the " +
		"list holds at most limit of them. Asked how many, answer with count, not the length of the list, " +
		"and say so when you show only part of the list."}

	noteIDs = &note{id: "ids", text: "Use only IDs that a tool returned in this conversation or that the " +
		"merchant gave, copied exactly. Look an ID up with a search, get or list tool before you pass it to " +
		"another call; never guess one."}

	noteBulk = &note{id: "bulk", when: "After a search: ", text: "If the merchant asked you to change what you found, go ahead when " +
		"the request says clearly which records and what to change, one call per record; ask first only " +
		"when it is ambiguous which records or which value they mean. Afterwards say how many calls " +
		"succeeded and name any that were refused."}

	noteCustomers = &note{id: "customers", text: "get_customer shows one customer with their recent " +
		"orders. update_customer changes one customer per call: add_tags and remove_tags (tags are stored in " +
		"lower case) and email_marketing, one of SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING. " +
		"create_segment saves a query under a unique name and reports how many customers it holds; " +
		"list_segments shows the saved segments with their current member counts."}

	noteProducts = &note{id: "products", text: "search_products matches every word of query in a " +
		"product's title, type or tags; filter on status with the status argument (ACTIVE, DRAFT, ARCHIVED), " +
		"not with words in query. get_product lists a product's variants with their IDs; prices, compare-at " +
		"prices and stock live on variants and change with update_variant (a compare-at price must be above " +
		"the price; 0 removes it). update_product changes title, description, status, SEO fields and tags; " +
		"its tags replace the whole list, so send the tags to keep as well as the new ones."}

	noteOrders = &note{id: "orders", text: "search_orders lists orders newest first, filtered by " +
		"customer_id, financial_status (PAID, PENDING, REFUNDED, PARTIALLY_REFUNDED), fulfillment_status " +
		"(FULFILLED, UNFULFILLED, PARTIALLY_FULFILLED) and dates: created_after includes its day, " +
		"created_before excludes it, so all of March is created_after 2026-03-01 and created_before " +
		"2026-04-01. get_order shows one order with its line items."}

	noteReport = &note{id: "report", text: "sales_report counts every order placed from start_date to " +
		"end_date, both days included, whatever its payment status; net is gross minus discounts minus " +
		"refunds. Its totals, net sales and average order value are already computed: quote them, don't " +
		"add rows up yourself. group_by is none, day, month, product, customer or city."}

	noteDiscounts = &note{id: "discounts", text: "create_discount: kind PERCENTAGE takes value 1-100, " +
		"FIXED_AMOUNT the amount off in the shop currency, FREE_SHIPPING no value; applies_to is ALL (the " +
		"default), PRODUCTS with product_ids, or SEGMENT with segment_id from list_segments; the code uses " +
		"letters, digits, - and _ and must be new (list_discounts shows the codes in use)."}

	noteNumbers = &note{id: "numbers", text: "Report numbers exactly as the tool returned them: the same " +
		"amounts with their currency and the same counts. Don't round, convert or recompute a figure the " +
		"tool already gives."}

	noteWrites = &note{id: "writes", text: "A write changes the store only as its result shows. Tell the " +
		"merchant what changed, with the names and IDs the result gives, and never claim a change that no " +
		"successful call made."}

	noteRefusal = &note{id: "refusal", when: "When a call is refused (its result starts with Error:): ",
		text: "A refused call changed nothing. Its message says what was wrong and what to send instead: fix " +
			"the arguments and call again. Don't tell the merchant it worked, and don't give up on a task the " +
			"tools can do."}

	noteSegmentDiscount = &note{id: "segment-discount", when: "When the merchant is on the discounts page: ",
		text: "A discount for a group of customers takes two steps: save the group with create_segment (or " +
			"pick one from list_segments), then call create_discount with applies_to SEGMENT and that " +
			"segment's id."}

	noteSegmentMembers = &note{id: "segment-members", when: "When the merchant is on the customers page: ",
		text: "Segment member counts are current. To show who is in a segment, run search_customers with the " +
			"segment's query."}

	noteB2B = &note{id: "b2b", when: "When the b2b flag is true: ",
		text: "This shop sells wholesale: its business accounts are the tax-exempt customers, " +
			"customer_tax_exempt = true."}
)

// notes lists every note in prompt order.
var notes = []*note{
	noteQuery, noteCounts, noteIDs, noteBulk, noteCustomers, noteProducts, noteOrders, noteReport,
	noteDiscounts, noteNumbers, noteWrites, noteRefusal, noteSegmentDiscount, noteSegmentMembers, noteB2B,
}
