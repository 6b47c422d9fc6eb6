package examples_test

// customerScripts look customers up and change their marketing consent.
var customerScripts = []script{
	{
		id: "toronto-customers", file: "customers", role: "owner", tone: "casual", expertise: "novice",
		skills: []string{"customer_lookup"},
		steps: []step{
			merchant("which of my customers are from Toronto?"),
			act("", use("search_customers", `{"query":"customer_city = 'Toronto'"}`)),
			say("You have 38 customers with a Toronto address. The biggest spenders among them are Siobhan Ivanova ($3,617.48 over 11 orders), " +
				"Hannah Kaur ($2,048.10 over 13 orders) and Abigail Martin ($1,846.98 over 3 orders).\n\n" +
				"Not all of them can sign in: a few accounts are disabled (Jacob Johnson, Ella Stewart, Nadia White), some declined their invite " +
				"(Chloe Scott, Benjamin Morrison, Jack Williams, Ella Henderson), and Arjun Brown's invite is still pending. " +
				"I can narrow the list by account status, spend or email subscription whenever you like."),
		},
	},
	{
		id: "phone-customer-refund", file: "customers", role: "customer service rep", tone: "polite", expertise: "intermediate",
		skills: []string{"customer_lookup", "orders"},
		steps: []step{
			merchant("Hi! I have Mason Rossi on the phone (masonrossi@shaw.ca). He wants to know what he's bought from us recently. Can you pull up his account?"),
			act("Let me find him.", use("search_customers", `{"query":"customer_email = 'masonrossi@shaw.ca'"}`)),
			act("", use("get_customer", `{"customer_id":"cus_1001"}`)),
			say("Here's Mason Rossi (Ottawa, ON). His account is enabled, he's subscribed to emails and tagged vip. " +
				"He has spent $1,008.81 across 5 orders. The most recent ones:\n\n" +
				"- #1954, April 27, 2026: 1 item, $50.15 with code VIP15, partially refunded\n" +
				"- #1905, April 6, 2026: 1 item, $50.00, paid and fulfilled\n" +
				"- #1690, December 17, 2025: 1 item, $349.00, paid and fulfilled\n" +
				"- #1361, September 12, 2025: 4 items, $456.00, paid and fulfilled\n" +
				"- #1353, September 10, 2025: 1 item, $116.10 with WELCOME10, paid and fulfilled"),
			merchant("He's asking about the partial refund on #1954. What was in that order and how much did we give back?"),
			act("", use("get_order", `{"order_id":"ord_5954"}`)),
			say("Order #1954 had one item: a Lightweight Merino Tee in size S at $59.00. The VIP15 code took $8.85 off, so he paid $50.15, " +
				"and $12.44 of that was refunded. The order is fulfilled, so the tee itself was shipped."),
		},
	},
	{
		id: "inactive-accounts", file: "customers", role: "operations manager", tone: "terse", expertise: "expert",
		skills: []string{"customer_lookup", "customer_lookup"},
		steps: []step{
			merchant("how many customer accounts are disabled vs declined"),
			act("", use("search_customers", `{"query":"customer_account_status = 'DISABLED'","limit":5}`),
				use("search_customers", `{"query":"customer_account_status = 'DECLINED'","limit":5}`)),
			say("33 accounts are DISABLED and 34 are DECLINED (customers who never accepted their account invite)."),
			merchant("which of the disabled ones have actually spent money with us"),
			act("", use("search_customers", `{"query":"customer_account_status = 'DISABLED' AND amount_spent > 0"}`)),
			say("30 of the disabled accounts have spent something. The biggest spenders are Tariq Haddad in Calgary ($1,568.50 over 6 orders), " +
				"Geneviève Lavoie in Montreal ($1,515.24 over 7 orders), Sophia Brown in Ottawa ($1,338.20 over 8 orders, tagged vip), " +
				"Ama Novak in Denver ($1,151.50) and Jordan O'Brien in Victoria ($1,059.00). " +
				"Several of them ordered recently, Sophia Brown as late as June 27, 2026, so some of these accounts may be worth re-enabling."),
		},
	},
	{
		id: "tax-exempt-quiet", file: "customers", role: "wholesale manager", tone: "formal", expertise: "expert",
		skills: []string{"customer_lookup"},
		steps: []step{
			merchant("Please pull our tax-exempt accounts and tell me which of them have not ordered since March 1."),
			act("", use("search_customers", `{"query":"customer_tax_exempt = true"}`),
				use("search_customers", `{"query":"customer_tax_exempt = true AND last_order_date < 2026-03-01"}`)),
			say("There are 13 tax-exempt accounts, all tagged wholesale. Two of them have not ordered since March 1:\n\n" +
				"- Charlotte Fraser (orders@portagepaddle.com, Halifax): last order February 19, 2026; $10,652.00 over 9 orders\n" +
				"- Olivia Ross (orders@bluelakecamp.org, Vancouver): last order November 28, 2025; $11,167.50 over 6 orders\n\n" +
				"The other 11 have all ordered since March 1."),
		},
	},
	{
		id: "unsubscribe-request", file: "customers", role: "customer service rep", tone: "apologetic", expertise: "novice",
		skills: []string{"customer_edits"},
		steps: []step{
			merchant("A customer just emailed asking us to stop sending her marketing emails, she sounded pretty annoyed. Her address is hannahkaur@gmail.com. Can you take her off the list and make a note so nobody adds her back?"),
			act("", use("search_customers", `{"query":"customer_email = 'hannahkaur@gmail.com'"}`)),
			act("", use("update_customer", `{"customer_id":"cus_1090","email_marketing":"UNSUBSCRIBED","add_tags":["do-not-email"]}`)),
			say("Done. Hannah Kaur (Toronto) was SUBSCRIBED; I've changed her email marketing consent to UNSUBSCRIBED and added the tag " +
				"do-not-email so the team can see why. Her other tags (vip, newsletter, returning and the rest) are unchanged. " +
				"Note that she still carries the newsletter tag, so she won't get marketing emails, but any list built on that tag would include her."),
			merchant("Ok thank you so much"),
			say("You're welcome. If she writes again, you can tell her the change is already in place."),
		},
	},
}
