package sandbox

import (
	"slices"
	"strings"
	"time"
)

var customerTools = []*tool{
	{
		name: "search_customers",
		desc: "Find customers with a segment query, e.g. customer_account_status = 'ENABLED' AND customer_city = 'Toronto'. " +
			"Returns the total number of matches and up to limit customers, ordered by ID. Leave query out to list everyone.",
		params: object(nil, map[string]schema{
			"query": str("segment query; fields: "+queryFieldDoc(), 0, 2000),
			"limit": limit(50, 250),
		}),
		run: handle(searchCustomers),
	},
	{
		name: "get_customer",
		desc: "Get one customer with their five most recent orders.",
		params: object([]string{"customer_id"}, map[string]schema{
			"customer_id": idOf("cus", "customer ID, e.g. cus_1001"),
		}),
		run: handle(getCustomer),
	},
	{
		name: "update_customer",
		desc: "Add or remove a customer's tags (tags are lower-cased) and/or change their email marketing consent.",
		params: object([]string{"customer_id"}, map[string]schema{
			"customer_id":     idOf("cus", "customer ID, e.g. cus_1001"),
			"add_tags":        arrayOf(tagSchema(), "tags to add", 20),
			"remove_tags":     arrayOf(tagSchema(), "tags to remove", 20),
			"email_marketing": enumOf("new email marketing consent", marketingStates),
		}),
		write: true,
		run:   handle(updateCustomer),
	},
	{
		name: "create_segment",
		desc: "Save a customer segment from a segment query. Returns the segment (query in canonical form) and how many customers it holds now.",
		params: object([]string{"name", "query"}, map[string]schema{
			"name":  str("segment name, unique in the shop (case-insensitive)", 1, 80),
			"query": str("segment query; fields: "+queryFieldDoc(), 1, 2000),
		}),
		write: true,
		run:   handle(createSegment),
	},
	{
		name:   "list_segments",
		desc:   "List the saved customer segments with their current member counts.",
		params: object(nil, map[string]schema{}),
		run:    handle(func(s *Store, _ struct{}) (any, error) { return listSegments(s), nil }),
	},
}

func tagSchema() schema {
	s := str("a tag (no commas)", 1, 40)
	s["pattern"] = "^[^,]+$"
	return s
}

// queryFieldDoc lists the query fields for the schema descriptions.
func queryFieldDoc() string {
	parts := make([]string, len(queryFields))
	for i, f := range queryFields {
		kind := string(f.typ)
		if f.typ == TypeEnum {
			kind = strings.Join(f.enum, "|")
		}
		parts[i] = f.name + " (" + kind + ")"
	}
	return strings.Join(parts, ", ") + ". Operators: = != > >= < <= CONTAINS, NOT CONTAINS; join with AND, OR, NOT and parentheses; quote strings and enum values ('ENABLED')"
}

// CustomerSummary is the short form of a customer in search results.
type CustomerSummary struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Email          string     `json:"email"`
	AccountStatus  string     `json:"account_status"`
	EmailMarketing string     `json:"email_marketing"`
	City           string     `json:"city"`
	ProvinceCode   string     `json:"province_code"`
	CountryCode    string     `json:"country_code"`
	Tags           []string   `json:"tags"`
	AmountSpent    Money      `json:"amount_spent"`
	OrdersCount    int        `json:"orders_count"`
	LastOrderAt    *time.Time `json:"last_order_at"`
}

func summarizeCustomer(c *Customer) CustomerSummary {
	return CustomerSummary{
		ID: c.ID, Name: c.Name(), Email: c.Email, AccountStatus: c.AccountStatus,
		EmailMarketing: c.EmailMarketing, City: c.City, ProvinceCode: c.ProvinceCode,
		CountryCode: c.CountryCode, Tags: c.Tags, AmountSpent: c.AmountSpent,
		OrdersCount: c.OrdersCount, LastOrderAt: c.LastOrderAt,
	}
}

type searchCustomersArgs struct {
	Query string `json:"query"`
	Limit *int   `json:"limit"`
}

type customerList struct {
	Query     string            `json:"query,omitempty"`
	Count     int               `json:"count"`
	Customers []CustomerSummary `json:"customers"`
}

func searchCustomers(s *Store, a searchCustomersArgs) (any, error) {
	out := customerList{Customers: []CustomerSummary{}}
	var q *Query
	if strings.TrimSpace(a.Query) != "" {
		var err error
		if q, err = parseToolQuery(a.Query); err != nil {
			return nil, err
		}
		out.Query = q.String()
	}
	n := orDefault(a.Limit, 50)
	for i := range s.Customers {
		c := &s.Customers[i]
		if q != nil && !q.Match(c) {
			continue
		}
		out.Count++
		if len(out.Customers) < n {
			out.Customers = append(out.Customers, summarizeCustomer(c))
		}
	}
	return out, nil
}

func parseToolQuery(src string) (*Query, error) {
	q, err := ParseQuery(src)
	if err != nil {
		return nil, toolErrorf(CodeInvalid, "invalid query: %v", err)
	}
	return q, nil
}

type idArgs struct {
	CustomerID string `json:"customer_id"`
	ProductID  string `json:"product_id"`
	OrderID    string `json:"order_id"`
}

func (s *Store) mustCustomer(id string) (*Customer, error) {
	if c := s.customer(id); c != nil {
		return c, nil
	}
	return nil, notFound("customer", id, "find customers with search_customers")
}

func getCustomer(s *Store, a idArgs) (any, error) {
	c, err := s.mustCustomer(a.CustomerID)
	if err != nil {
		return nil, err
	}
	orders := s.ordersOf(c.ID)
	recent := make([]OrderSummary, 0, 5)
	for _, o := range orders[:min(5, len(orders))] {
		recent = append(recent, summarizeOrder(o))
	}
	return struct {
		Customer     *Customer      `json:"customer"`
		RecentOrders []OrderSummary `json:"recent_orders"`
	}{c, recent}, nil
}

type updateCustomerArgs struct {
	CustomerID     string   `json:"customer_id"`
	AddTags        []string `json:"add_tags"`
	RemoveTags     []string `json:"remove_tags"`
	EmailMarketing *string  `json:"email_marketing"`
}

func updateCustomer(s *Store, a updateCustomerArgs) (any, error) {
	c, err := s.mustCustomer(a.CustomerID)
	if err != nil {
		return nil, err
	}
	if len(a.AddTags) == 0 && len(a.RemoveTags) == 0 && a.EmailMarketing == nil {
		return nil, toolErrorf(CodeInvalid, "nothing to change; give add_tags, remove_tags or email_marketing")
	}
	add, err := cleanTags(a.AddTags)
	if err != nil {
		return nil, err
	}
	remove, err := cleanTags(a.RemoveTags)
	if err != nil {
		return nil, err
	}
	for _, t := range add {
		if slices.Contains(remove, t) {
			return nil, toolErrorf(CodeInvalid, "tag %q is in both add_tags and remove_tags", t)
		}
	}
	tags := slices.DeleteFunc(slices.Concat(c.Tags, add), func(t string) bool { return slices.Contains(remove, t) })
	c.Tags = sortedTags(tags)
	if a.EmailMarketing != nil {
		c.EmailMarketing = *a.EmailMarketing
	}
	return struct {
		Customer *Customer `json:"customer"`
	}{c}, nil
}

// cleanTags trims and lower-cases tags: the shop treats tags
// case-insensitively, and one spelling keeps diffs and goal checks exact.
func cleanTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			return nil, toolErrorf(CodeInvalid, "tags cannot be blank")
		}
		out = append(out, t)
	}
	return out, nil
}

// sortedTags returns tags sorted and without duplicates, never nil.
func sortedTags(tags []string) []string {
	out := append([]string{}, tags...)
	slices.Sort(out)
	return slices.Compact(out)
}

type createSegmentArgs struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

func createSegment(s *Store, a createSegmentArgs) (any, error) {
	name := strings.TrimSpace(a.Name)
	if name == "" {
		return nil, toolErrorf(CodeInvalid, "segment name cannot be blank")
	}
	if i := slices.IndexFunc(s.Segments, func(g Segment) bool { return strings.EqualFold(g.Name, name) }); i >= 0 {
		g := s.Segments[i]
		return nil, toolErrorf(CodeInvalid, "a segment named %q already exists (%s, query %s); pick another name", g.Name, g.ID, g.Query)
	}
	q, err := parseToolQuery(a.Query)
	if err != nil {
		return nil, err
	}
	g := Segment{ID: nextID("seg", &s.Seq.Segment), Name: name, Query: q.String(), CreatedAt: s.Now}
	s.Segments = append(s.Segments, g)
	return segmentInfo{Segment: g, MemberCount: s.countMatches(q)}, nil
}

type segmentInfo struct {
	Segment     Segment `json:"segment"`
	MemberCount int     `json:"member_count"`
}

// segmentRow is a segment as list_segments shows it: its fields and its
// member count side by side.
type segmentRow struct {
	Segment
	MemberCount int `json:"member_count"`
}

func listSegments(s *Store) any {
	out := make([]segmentRow, 0, len(s.Segments))
	for _, g := range s.Segments {
		n := 0
		// Stored queries are canonical output of ParseQuery, so they parse;
		// a segment that somehow does not counts no members.
		if q, err := ParseQuery(g.Query); err == nil {
			n = s.countMatches(q)
		}
		out = append(out, segmentRow{Segment: g, MemberCount: n})
	}
	return struct {
		Segments []segmentRow `json:"segments"`
	}{out}
}

func (s *Store) countMatches(q *Query) int {
	n := 0
	for i := range s.Customers {
		if q.Match(&s.Customers[i]) {
			n++
		}
	}
	return n
}

func (s *Store) mustSegment(id string) (*Segment, error) {
	if g := s.segment(id); g != nil {
		return g, nil
	}
	return nil, notFound("segment", id, "list them with list_segments")
}
