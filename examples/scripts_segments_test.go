package examples_test

// segmentScripts build customer segments from field filters: account
// status, email consent, city and province, spend and order count.
var segmentScripts = []script{
	{
		id: "enabled-segment", file: "segments", role: "marketing coordinator", tone: "friendly", expertise: "novice",
		skills: []string{"customer_segmentation"},
		steps: []step{
			merchant("segment customers with status enabled"),
			say("Sure! I'll build it on the account status field, customer_account_status = 'ENABLED', so it follows each customer's real account state. " +
				"What would you like to call the segment?"),
			merchant("Active accounts"),
			act("", use("create_segment", `{"name":"Active accounts","query":"customer_account_status = 'ENABLED'"}`)),
			say("I've created the segment Active accounts (seg_4) with the query customer_account_status = 'ENABLED'. " +
				"It holds 291 customers today, and membership updates by itself as accounts are enabled or disabled."),
			merchant("Perfect, thanks!"),
			say("Glad to help!"),
		},
	},
	{
		id: "toronto-event-segment", file: "segments", role: "owner", tone: "chatty", expertise: "intermediate",
		skills: []string{"customer_lookup", "customer_segmentation"},
		steps: []step{
			merchant("How many customers have we got in Toronto these days?"),
			act("", use("search_customers", `{"query":"customer_city = 'Toronto'","limit":10}`)),
			say("38 customers have Toronto as their default address."),
			merchant("Nice. We're doing an in-store evening at the Queen St. shop next month. Can you make a segment of the Toronto customers whose accounts are enabled so I can invite them?"),
			act("", use("create_segment", `{"name":"Toronto event invites","query":"customer_city = 'Toronto' AND customer_account_status = 'ENABLED'"}`)),
			say("I've created the segment Toronto event invites with the query customer_city = 'Toronto' AND customer_account_status = 'ENABLED'. " +
				"It has 30 members; the remaining Toronto customers are left out because their accounts are disabled, declined or still at the invite stage."),
		},
	},
	{
		id: "email-status-segments", file: "segments", role: "marketing lead", tone: "precise", expertise: "expert",
		skills: []string{"customer_segmentation"},
		steps: []step{
			merchant("I need one segment per email subscription status for my monthly report: subscribed, not subscribed, unsubscribed and pending. Check what already exists first, I don't want duplicates."),
			act("", use("list_segments", `{}`)),
			act("Newsletter subscribers already covers SUBSCRIBED, so I'll create only the other three.",
				use("create_segment", `{"name":"Email: not subscribed","query":"email_subscription_status = 'NOT_SUBSCRIBED'"}`),
				use("create_segment", `{"name":"Email: unsubscribed","query":"email_subscription_status = 'UNSUBSCRIBED'"}`),
				use("create_segment", `{"name":"Email: pending consent","query":"email_subscription_status = 'PENDING'"}`)),
			say("Here's the full set for your report:\n\n" +
				"- Newsletter subscribers (existing, seg_1): email_subscription_status = 'SUBSCRIBED', 192 customers\n" +
				"- Email: not subscribed (seg_4): email_subscription_status = 'NOT_SUBSCRIBED', 124 customers\n" +
				"- Email: unsubscribed (seg_5): email_subscription_status = 'UNSUBSCRIBED', 60 customers\n" +
				"- Email: pending consent (seg_6): email_subscription_status = 'PENDING', 24 customers\n\n" +
				"I've created the last three. Every customer has exactly one status, so the four segments together cover the whole customer list without overlap."),
		},
	},
	{
		id: "best-customers-definition", file: "segments", role: "owner", tone: "unsure", expertise: "novice",
		skills: []string{"customer_segmentation"},
		steps: []step{
			merchant("I want a segment of my best customers"),
			say("Happy to set that up. Segments can filter on total spend, number of orders, last order date and more. " +
				"What should make someone a best customer: a minimum spend, a minimum number of orders, or both?"),
			merchant("Both I guess. More than $1000 spent and at least 5 orders. Call it Best customers"),
			act("", use("create_segment", `{"name":"Best customers","query":"amount_spent > 1000 AND number_of_orders >= 5"}`)),
			say("Done: I've created Best customers with amount_spent > 1000 AND number_of_orders >= 5. 54 customers qualify today. " +
				"Spend is counted after refunds, so a customer who returned a big order can drop out of it."),
		},
	},
	{
		id: "west-newsletter-segment", file: "segments", role: "owner", tone: "terse", expertise: "expert",
		skills: []string{"customer_segmentation"},
		steps: []step{
			merchant("segment: BC + Alberta customers subscribed to email. name it West newsletter"),
			act("", use("create_segment", `{"name":"West newsletter","query":"(customer_province_code = 'BC' OR customer_province_code = 'AB') AND email_subscription_status = 'SUBSCRIBED'"}`)),
			say("Created West newsletter (seg_4): (customer_province_code = 'BC' OR customer_province_code = 'AB') AND email_subscription_status = 'SUBSCRIBED'. 58 customers right now."),
		},
	},
	{
		id: "segment-name-taken", file: "segments", role: "marketing coordinator", tone: "friendly", expertise: "intermediate",
		skills: []string{"customer_segmentation"},
		steps: []step{
			merchant("Can you create a segment called VIP customers for anyone who has spent over $2,000?"),
			act("", refused("create_segment", `{"name":"VIP customers","query":"amount_spent > 2000"}`)),
			say("There's already a segment called VIP customers, and it works differently: it selects customers tagged vip " +
				"(customer_tags CONTAINS 'vip') rather than going by spend. Segment names must be unique, so I left that one as it is. " +
				"What should I call the new spend-based segment?"),
			merchant("Oh, I forgot about that one. Call it Spent over 2k."),
			act("", use("create_segment", `{"name":"Spent over 2k","query":"amount_spent > 2000"}`)),
			say("I've created Spent over 2k with amount_spent > 2000; 26 customers are in it today. The original VIP customers segment is unchanged."),
		},
	},
}
