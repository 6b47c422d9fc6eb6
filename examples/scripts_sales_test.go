package examples_test

// salesScripts answer questions from sales reports: totals, best sellers,
// months, cities and customers.
var salesScripts = []script{
	{
		id: "june-vs-may", file: "sales", role: "owner", tone: "chatty", expertise: "novice",
		skills: []string{"sales_questions"},
		steps: []step{
			merchant("How did June go compared to May?"),
			act("", use("sales_report", `{"start_date":"2026-05-01","end_date":"2026-05-31"}`),
				use("sales_report", `{"start_date":"2026-06-01","end_date":"2026-06-30"}`)),
			say("June was the stronger month:\n\n" +
				"- June (up to today): 130 orders, net sales $32,020.99, average order $248.68, refunds $307.31\n" +
				"- May: 93 orders, net sales $25,491.81, average order $282.60, refunds $789.99\n\n" +
				"You had more orders and fewer refunds in June, though each order was a little smaller on average. " +
				"June's figures include today's orders so far, and both months count every order placed, paid or not."),
		},
	},
	{
		id: "q1-best-sellers", file: "sales", role: "merchandiser", tone: "terse", expertise: "expert",
		skills: []string{"sales_questions"},
		steps: []step{
			merchant("top 5 products by net sales, jan-mar 2026"),
			act("", use("sales_report", `{"start_date":"2026-01-01","end_date":"2026-03-31","group_by":"product","limit":5}`)),
			say("January to March 2026, by net sales:\n\n" +
				"- Algonquin Rain Shell: $7,285.95 (39 units, 13 orders)\n" +
				"- Banff Down Parka: $4,135.65 (12 units)\n" +
				"- Yukon Expedition Parka: $2,196.00 (4 units)\n" +
				"- Merino Base Layer Crew: $2,042.50 (23 units, after $95.00 in refunds)\n" +
				"- Canvas Daypack 24L: $1,511.30 (13 units)\n\n" +
				"37 products sold in the period; total net sales were $36,701.31 from 147 orders."),
		},
	},
	{
		id: "top-cities-segment", file: "sales", role: "marketing lead", tone: "analytical", expertise: "intermediate",
		skills: []string{"sales_questions", "customer_segmentation"},
		steps: []step{
			merchant("Which cities brought in the most sales so far this year?"),
			act("", use("sales_report", `{"start_date":"2026-01-01","end_date":"2026-06-30","group_by":"city","limit":5}`)),
			say("Top 5 cities by net sales since January 1:\n\n" +
				"- Montreal, QC: $15,322.17 from 38 orders\n" +
				"- Vancouver, BC: $9,906.33 from 45 orders\n" +
				"- Winnipeg, MB: $9,252.75 from 18 orders\n" +
				"- Toronto, ON: $8,950.80 from 38 orders\n" +
				"- Ottawa, ON: $8,672.26 from 39 orders\n\n" +
				"Montreal leads by a wide margin on bigger baskets (average order $440.04), even though it also had the most refunds, $1,399.28."),
			merchant("Interesting. Make me a segment of our Montreal customers so I can target them for the fall launch."),
			act("", use("create_segment", `{"name":"Montreal customers","query":"customer_city = 'Montreal'"}`)),
			say("I've created Montreal customers (seg_4) with customer_city = 'Montreal'. It has 37 customers. " +
				"If you only want people who agreed to marketing emails, a second segment could add email_subscription_status = 'SUBSCRIBED'."),
		},
	},
	{
		id: "monthly-sales-2025", file: "sales", role: "owner", tone: "casual", expertise: "novice",
		skills: []string{"sales_questions"},
		steps: []step{
			merchant("can you show me sales month by month for last year?"),
			say("Sure. Do you mean the calendar year 2025, January to December, or the last twelve months up to today?"),
			merchant("calendar year, jan to dec 2025"),
			act("", use("sales_report", `{"start_date":"2025-01-01","end_date":"2025-12-31","group_by":"month"}`)),
			say("Net sales by month in 2025:\n\n" +
				"- Jan: $4,864.66 (26 orders)\n- Feb: $8,697.64 (26 orders)\n- Mar: $11,314.50 (52 orders)\n" +
				"- Apr: $8,391.40 (41 orders)\n- May: $13,533.38 (40 orders)\n- Jun: $14,114.17 (43 orders)\n" +
				"- Jul: $23,010.40 (56 orders)\n- Aug: $10,768.60 (52 orders)\n- Sep: $20,179.52 (55 orders)\n" +
				"- Oct: $18,825.43 (73 orders)\n- Nov: $35,016.47 (147 orders)\n- Dec: $43,264.85 (134 orders)\n\n" +
				"For the year: $211,981.02 net from 745 orders. December was the best month and November the busiest by orders " +
				"(Black Friday pushed discounts to $3,416.20 that month); January was the quietest."),
		},
	},
	{
		id: "top-customers-emails", file: "sales", role: "owner", tone: "warm", expertise: "intermediate",
		skills: []string{"sales_questions", "customer_lookup"},
		steps: []step{
			merchant("Who are our top 3 customers this quarter?"),
			act("", use("sales_report", `{"start_date":"2026-04-01","end_date":"2026-06-30","group_by":"customer","limit":3}`)),
			say("Top 3 customers by net sales since April 1:\n\n" +
				"- Brooke Wilson: $6,299.00 over 6 orders\n" +
				"- Juliette Fournier: $5,446.33 over 4 orders (after $803.67 in refunds)\n" +
				"- Camille Pelletier: $3,286.00 from a single order"),
			merchant("Can you get me their email addresses? I want to send each of them a personal thank-you note."),
			act("", use("get_customer", `{"customer_id":"cus_1371"}`), use("get_customer", `{"customer_id":"cus_1283"}`),
				use("get_customer", `{"customer_id":"cus_1158"}`)),
			say("Here they are:\n\n" +
				"- Brooke Wilson: brooke.wilson@bluelakecamp.org (Seattle)\n" +
				"- Juliette Fournier: buying2@islandmercantile.ca (Montreal)\n" +
				"- Camille Pelletier: camille@summitsupplyco.ca (Montreal)\n\n" +
				"All three are tax-exempt wholesale accounts, so a note to their buying contacts should land well. " +
				"None of them is subscribed to marketing emails, so a personal note is the right channel."),
		},
	},
}
