package urlpattern

// matcher matches a component without a regexp. test and exec report
// done=false when the input needs the regexp fallback.
type matcher interface {
	test(s string) (ok, done bool)
	exec(s string, names []string, dst []Group) (g []Group, ok, done bool)
}

func newMatcher(parts []part, o options) matcher { return nil }
