package sandbox

import (
	"strings"
)

var catalogTools = []*tool{
	{
		name: "search_products",
		desc: "Search the catalogue. Every word of query must appear in the title, product type or a tag (case-insensitive). " +
			"Returns the total number of matches and up to limit products, ordered by ID.",
		params: object(nil, map[string]schema{
			"query":  str("free text, e.g. 'merino jacket'", 0, 200),
			"status": enumOf("only products with this status", productStatuses),
			"limit":  limit(50, 250),
		}),
		run: handle(searchProducts),
	},
	{
		name: "get_product",
		desc: "Get one product with its variants and SEO fields.",
		params: object([]string{"product_id"}, map[string]schema{
			"product_id": idOf("prod", "product ID, e.g. prod_2001"),
		}),
		run: handle(getProduct),
	},
	{
		name: "update_product",
		desc: "Change a product's title, description, status, tags (replaces the whole list; tags are lower-cased) or SEO title and description. Give only what changes.",
		params: object([]string{"product_id"}, map[string]schema{
			"product_id":      idOf("prod", "product ID, e.g. prod_2001"),
			"title":           str("new title", 1, 255),
			"description":     str("new description (plain text)", 0, 5000),
			"status":          enumOf("new status", productStatuses),
			"tags":            arrayOf(tagSchema(), "the complete new tag list", 50),
			"seo_title":       str("title for search engines (at most 70 characters)", 0, 70),
			"seo_description": str("description for search engines (at most 320 characters)", 0, 320),
		}),
		write: true,
		run:   handle(updateProduct),
	},
	{
		name: "update_variant",
		desc: "Change a variant's price, compare-at price (send 0 to remove it) or inventory quantity. A compare-at price must be above the price.",
		params: object([]string{"variant_id"}, map[string]schema{
			"variant_id":         idOf("var", "variant ID, e.g. var_3001"),
			"price":              money("new price"),
			"compare_at_price":   money("new compare-at (original) price; 0 removes it"),
			"inventory_quantity": integer("units in stock", 0, 1_000_000),
		}),
		write: true,
		run:   handle(updateVariant),
	},
}

func money(desc string) schema {
	s := number(desc+", in the shop currency", 0)
	s["multipleOf"] = 0.01
	s["maximum"] = 100_000
	return s
}

// ProductSummary is the short form of a product in search results.
type ProductSummary struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Status      string   `json:"status"`
	ProductType string   `json:"product_type"`
	Vendor      string   `json:"vendor"`
	Tags        []string `json:"tags"`
	Variants    int      `json:"variants"`
	PriceMin    Money    `json:"price_min"`
	PriceMax    Money    `json:"price_max"`
	Inventory   int      `json:"inventory"`
}

func summarizeProduct(p *Product) ProductSummary {
	ps := ProductSummary{
		ID: p.ID, Title: p.Title, Status: p.Status, ProductType: p.ProductType,
		Vendor: p.Vendor, Tags: p.Tags, Variants: len(p.Variants),
	}
	for i, v := range p.Variants {
		if i == 0 || v.Price < ps.PriceMin {
			ps.PriceMin = v.Price
		}
		ps.PriceMax = max(ps.PriceMax, v.Price)
		ps.Inventory += v.InventoryQuantity
	}
	return ps
}

type searchProductsArgs struct {
	Query  string  `json:"query"`
	Status *string `json:"status"`
	Limit  *int    `json:"limit"`
}

func searchProducts(s *Store, a searchProductsArgs) (any, error) {
	words := strings.Fields(strings.ToLower(a.Query))
	out := struct {
		Count    int              `json:"count"`
		Products []ProductSummary `json:"products"`
	}{Products: []ProductSummary{}}
	n := orDefault(a.Limit, 50)
	for i := range s.Products {
		p := &s.Products[i]
		if a.Status != nil && p.Status != *a.Status || !matchesWords(p, words) {
			continue
		}
		out.Count++
		if len(out.Products) < n {
			out.Products = append(out.Products, summarizeProduct(p))
		}
	}
	return out, nil
}

func matchesWords(p *Product, words []string) bool {
	hay := strings.ToLower(p.Title + " " + p.ProductType + " " + strings.Join(p.Tags, " "))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (s *Store) mustProduct(id string) (*Product, error) {
	if p := s.product(id); p != nil {
		return p, nil
	}
	return nil, notFound("product", id, "find products with search_products")
}

type productResult struct {
	Product *Product `json:"product"`
}

func getProduct(s *Store, a idArgs) (any, error) {
	p, err := s.mustProduct(a.ProductID)
	if err != nil {
		return nil, err
	}
	return productResult{p}, nil
}

type updateProductArgs struct {
	ProductID      string   `json:"product_id"`
	Title          *string  `json:"title"`
	Description    *string  `json:"description"`
	Status         *string  `json:"status"`
	Tags           []string `json:"tags"`
	SEOTitle       *string  `json:"seo_title"`
	SEODescription *string  `json:"seo_description"`
}

func updateProduct(s *Store, a updateProductArgs) (any, error) {
	p, err := s.mustProduct(a.ProductID)
	if err != nil {
		return nil, err
	}
	if a.Title == nil && a.Description == nil && a.Status == nil && a.Tags == nil && a.SEOTitle == nil && a.SEODescription == nil {
		return nil, toolErrorf(CodeInvalid, "nothing to change; give title, description, status, tags, seo_title or seo_description")
	}
	if a.Title != nil && strings.TrimSpace(*a.Title) == "" {
		return nil, toolErrorf(CodeInvalid, "title cannot be blank")
	}
	var tags []string
	if a.Tags != nil {
		if tags, err = cleanTags(a.Tags); err != nil {
			return nil, err
		}
	}
	setIf(&p.Title, a.Title)
	setIf(&p.Description, a.Description)
	setIf(&p.Status, a.Status)
	setIf(&p.SEO.Title, a.SEOTitle)
	setIf(&p.SEO.Description, a.SEODescription)
	if a.Tags != nil {
		p.Tags = sortedTags(tags)
	}
	return productResult{p}, nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

type updateVariantArgs struct {
	VariantID         string   `json:"variant_id"`
	Price             *float64 `json:"price"`
	CompareAtPrice    *float64 `json:"compare_at_price"`
	InventoryQuantity *int     `json:"inventory_quantity"`
}

func updateVariant(s *Store, a updateVariantArgs) (any, error) {
	p, v := s.variant(a.VariantID)
	if v == nil {
		return nil, notFound("variant", a.VariantID, "variant IDs are listed by get_product")
	}
	if a.Price == nil && a.CompareAtPrice == nil && a.InventoryQuantity == nil {
		return nil, toolErrorf(CodeInvalid, "nothing to change; give price, compare_at_price or inventory_quantity")
	}
	price, compareAt := v.Price, v.CompareAtPrice
	if a.Price != nil {
		price = MoneyOf(*a.Price)
		if price <= 0 {
			return nil, toolErrorf(CodeInvalid, "price must be above 0")
		}
	}
	if a.CompareAtPrice != nil {
		compareAt = nil
		if m := MoneyOf(*a.CompareAtPrice); m > 0 {
			compareAt = &m
		}
	}
	if compareAt != nil && *compareAt <= price {
		return nil, toolErrorf(CodeInvalid, "compare_at_price %s must be above the price %s to show a sale; send compare_at_price 0 to remove it", compareAt, price)
	}
	v.Price, v.CompareAtPrice = price, compareAt
	setIf(&v.InventoryQuantity, a.InventoryQuantity)
	return struct {
		ProductID string   `json:"product_id"`
		Variant   *Variant `json:"variant"`
	}{p.ID, v}, nil
}
