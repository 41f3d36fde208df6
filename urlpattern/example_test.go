package urlpattern_test

import (
	"encoding/json"
	"fmt"

	"github.com/swhost/swhost/urlpattern"
)

func ExampleNewFromInit() {
	p, err := urlpattern.NewFromInit(urlpattern.Init{
		Hostname: urlpattern.Str("{:sub.}?example.com"),
		Pathname: urlpattern.Str("/books/:id(\\d+)"),
	}, urlpattern.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Protocol(), p.Hostname(), p.Pathname(), p.HasRegExpGroups())
	fmt.Println(p.Test("https://www.example.com/books/12"))
	fmt.Println(p.Test("https://www.example.com/books/twelve"))
	// Output:
	// * {:sub.}?example.com /books/:id(\d+) true
	// true
	// false
}

func ExampleURLPattern_Exec() {
	p, err := urlpattern.New("https://{:sub.}?example.com/:section/*", urlpattern.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := p.Exec("https://example.com/docs/a/b")
	sub, matched := r.Hostname.Get("sub")
	fmt.Printf("sub=%q matched=%v\n", sub, matched)
	section, _ := r.Pathname.Get("section")
	rest, _ := r.Pathname.Get("0")
	fmt.Println(section, rest)
	b, _ := json.Marshal(&r.Hostname)
	fmt.Println(string(b))
	// Output:
	// sub="" matched=false
	// docs a/b
	// {"input":"example.com","groups":{"sub":null}}
}

func ExampleNewWithBase() {
	p, err := urlpattern.NewWithBase("../admin/*", "https://discussion.example/forum/?page=2", urlpattern.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Hostname(), p.Pathname())
	fmt.Println(p.Test("https://discussion.example/admin/update?id=1"))
	fmt.Println(p.TestWithBase("../admin/", "https://discussion.example/forum/x"))
	// Output:
	// discussion.example /admin/*
	// true
	// true
}

func ExampleCompareComponent() {
	a, _ := urlpattern.New("https://example.com/books/:id", urlpattern.Options{})
	b, _ := urlpattern.New("https://example.com/books/*", urlpattern.Options{})
	c, _ := urlpattern.CompareComponent("pathname", a, b)
	fmt.Println(c)
	// Output: 1
}

func ExampleURLPattern_Generate() {
	p, _ := urlpattern.New("https://example.com/books/:id", urlpattern.Options{})
	s, err := p.Generate("pathname", map[string]string{"id": "🍅"})
	fmt.Println(s, err)
	// Output: /books/%F0%9F%8D%85 <nil>
}

func ExampleError() {
	_, err := urlpattern.New("https://example.com/:id(", urlpattern.Options{})
	fmt.Println(err)
	if e, ok := err.(*urlpattern.Error); ok {
		fmt.Println(e.ExceptionName(), e.Component, e.Offset)
	}
	// Output:
	// invalid pathname pattern "/:id(": unbalanced '(' at offset 4
	// TypeError pathname 4
}

func ExampleParseComponents() {
	// Parse the URL once, then test it against several patterns.
	c, ok := urlpattern.ParseComponents("https://example.com/users/42/posts/7?x=1", nil)
	if !ok {
		return
	}
	for _, s := range []string{"https://example.com/users/:id", "https://example.com/users/:id/posts/:pid", "https://*.org/*"} {
		p, err := urlpattern.New(s, urlpattern.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(s, p.TestComponents(&c))
	}
	// Output:
	// https://example.com/users/:id false
	// https://example.com/users/:id/posts/:pid true
	// https://*.org/* false
}
