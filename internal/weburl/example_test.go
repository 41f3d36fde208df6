package weburl_test

import (
	"fmt"

	"github.com/swhost/swhost/internal/weburl"
)

func ExampleParse() {
	u, err := weburl.Parse("HTTPS://Example.COM:443/a/./b/../c d?q=1#top")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.Href())
	fmt.Println(u.Origin(), u.Hostname(), u.Pathname(), u.Search(), u.Hash())
	// Output:
	// https://example.com/a/c%20d?q=1#top
	// https://example.com example.com /a/c%20d ?q=1 #top
}

func ExampleParseRef() {
	base, _ := weburl.Parse("https://example.com/app/index.html")
	for _, ref := range []string{"img/logo.png", "../x", "/books/7", "?page=2", "//cdn.example/x.js"} {
		u, _ := weburl.ParseRef(base, ref)
		fmt.Println(u.Href())
	}
	// Output:
	// https://example.com/app/img/logo.png
	// https://example.com/x
	// https://example.com/books/7
	// https://example.com/app/index.html?page=2
	// https://cdn.example/x.js
}

func ExampleParse_error() {
	_, err := weburl.Parse("https://exa mple.com/")
	fmt.Println(err)
	// Output:
	// TypeError: invalid URL "https://exa mple.com/": forbidden code point ' ' in host
}

func ExampleURL_SetHostname() {
	u, _ := weburl.Parse("https://example.com/x")
	fmt.Println(u.SetHostname("bücher.example"), u.Href())
	fmt.Println(u.SetHostname("bad host") != nil, u.Href())
	// Output:
	// <nil> https://xn--bcher-kva.example/x
	// true https://xn--bcher-kva.example/x
}

func ExampleParseQuery() {
	pairs := weburl.ParseQuery("q=a+b&lang=%C3%A9&flag")
	fmt.Printf("%q\n", pairs)
	fmt.Println(weburl.SerializeQuery(pairs))
	// Output:
	// [{"q" "a b"} {"lang" "é"} {"flag" ""}]
	// q=a+b&lang=%C3%A9&flag=
}
