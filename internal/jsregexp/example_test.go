package jsregexp_test

import (
	"fmt"

	"github.com/swhost/swhost/internal/jsregexp"
)

func ExampleTranslate() {
	for _, src := range []string{
		`^(?:\/books\/([^\/]+?))$`, // as URL Pattern generates it
		`[[a-z]--[aeiou]]+`,        // v-mode set difference
		`(?=x)`,                    // lookahead: not expressible in RE2
	} {
		re2, err := jsregexp.Translate(src, jsregexp.Flags{})
		fmt.Printf("%s => %q %v\n", src, re2, err)
	}
	// Output:
	// ^(?:\/books\/([^\/]+?))$ => "^(?:/books/([^\\/]+?))$" <nil>
	// [[a-z]--[aeiou]]+ => "[b-df-hj-np-tv-z]+" <nil>
	// (?=x) => "" TypeError: invalid regular expression: lookahead (?=...) is not supported at offset 0
}

func ExampleCompile() {
	re, err := jsregexp.Compile(`^(?<id>\d+)$`, jsregexp.Flags{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(re.FindStringSubmatch("42")[re.SubexpIndex("id")])
	// Output: 42
}
