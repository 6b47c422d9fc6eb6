package examples_test

// orderScripts find orders and check their payment and fulfillment status.
var orderScripts = []script{
	{
		id: "order-shipping-status", file: "orders", role: "customer service rep", tone: "polite", expertise: "novice",
		skills: []string{"orders", "orders"},
		steps: []step{
			merchant("Scarlett Grant (scarlett.grant@gmail.com) is asking whether her order has shipped yet. Could you check?"),
			act("", use("search_customers", `{"query":"customer_email = 'scarlett.grant@gmail.com'"}`)),
			act("", use("search_orders", `{"customer_id":"cus_1357","limit":5}`)),
			say("Scarlett Grant has one order, #2169, placed June 28, 2026: 3 items for $353.00, paid. It hasn't shipped yet; it's still UNFULFILLED. " +
				"She's tagged local-pickup, so it may be waiting for her to collect it rather than for a courier."),
			merchant("Can you tell me what's in it so I can check the pickup shelf?"),
			act("", use("get_order", `{"order_id":"ord_6169"}`)),
			say("Order #2169 contains:\n\n- 1 × Chunky Cable Toque - Oxblood ($35.00)\n- 2 × Killarney Softshell Jacket - XL ($159.00 each)\n\n" +
				"Subtotal $353.00, no discount, nothing refunded."),
		},
	},
	{
		id: "fulfillment-backlog", file: "orders", role: "fulfillment lead", tone: "terse", expertise: "intermediate",
		skills: []string{"orders", "orders"},
		steps: []step{
			merchant("how many paid orders are still waiting to ship"),
			act("", use("search_orders", `{"financial_status":"PAID","fulfillment_status":"UNFULFILLED"}`)),
			say("11 paid orders are unfulfilled, all recent: the oldest is #2159 from June 27, 2026 ($35.70, 1 item) and the newest is #2178 from this morning ($35.00). " +
				"The largest is #2167 at $363.00 for 3 items."),
			merchant("what about paid orders that only partly shipped"),
			act("", use("search_orders", `{"financial_status":"PAID","fulfillment_status":"PARTIALLY_FULFILLED"}`)),
			say("12 paid orders are PARTIALLY_FULFILLED, and some are old: the oldest is #1026 from January 30, 2025 ($117.00). " +
				"The biggest is #1607 from November 30, 2025: 22 items, $3,613.50, bought with BFCM25. The newest is #2182 from this morning ($80.00). " +
				"The older ones probably have a backordered line or were never closed out, and are worth reviewing."),
		},
	},
	{
		id: "june-refunds", file: "orders", role: "owner", tone: "anxious", expertise: "novice",
		skills: []string{"orders"},
		steps: []step{
			merchant("Feels like we've had a lot of refunds lately. Which orders got refunded in June, and how much money went back out?"),
			act("Let me check refunded and partially refunded orders, and June's sales totals.",
				use("search_orders", `{"financial_status":"REFUNDED","created_after":"2026-06-01"}`),
				use("search_orders", `{"financial_status":"PARTIALLY_REFUNDED","created_after":"2026-06-01"}`),
				use("sales_report", `{"start_date":"2026-06-01","end_date":"2026-06-30"}`)),
			say("Good news: it's fewer than it feels. Of the orders placed in June, 3 had refunds:\n\n" +
				"- #2080 (June 9): fully refunded, $233.00\n" +
				"- #2091 (June 11): partially refunded, order total $120.00\n" +
				"- #2066 (June 5): partially refunded, order total $45.00\n\n" +
				"In total $307.31 was refunded on June orders, against $32,639.00 in gross sales from 130 orders, leaving net sales of $32,020.99."),
		},
	},
	{
		id: "pending-payments", file: "orders", role: "bookkeeper", tone: "formal", expertise: "intermediate",
		skills: []string{"orders", "customer_lookup"},
		steps: []step{
			merchant("Are there orders where payment is still pending? Accounting is asking."),
			act("", use("search_orders", `{"financial_status":"PENDING"}`)),
			say("Yes: 35 orders have payment PENDING, and none of them has been fulfilled. A few are old: the oldest is #1012 from January 16, 2025 ($99.00). " +
				"The three largest are:\n\n" +
				"- #1193, June 5, 2025: $2,295.00 for 19 items\n" +
				"- #1708, December 22, 2025: $1,548.00 for 12 items\n" +
				"- #2134, June 22, 2026: $1,020.00 for 12 items\n\n" +
				"The newest is #2181 from this morning ($119.00)."),
			merchant("Who placed #1193? It is large and over a year old."),
			act("", use("get_customer", `{"customer_id":"cus_1244"}`)),
			say("#1193 was placed by Grace Mitchell (buying@elkvalleyoutfitters.com, Vancouver), a tax-exempt wholesale account. " +
				"She is otherwise a reliable customer: $13,369.64 over 11 orders, the latest being #2040 on May 27, 2026, and her five most recent orders are all paid. " +
				"It may be an invoice that was settled outside the store or never followed up, so her buying contact is the right person to ask."),
		},
	},
}
