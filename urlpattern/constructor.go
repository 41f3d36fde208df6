package urlpattern

// csState is a state of the constructor string parser.
type csState uint8

const (
	csInit csState = iota
	csProtocol
	csAuthority
	csUsername
	csPassword
	csHostname
	csPort
	csPathname
	csSearch
	csHash
	csDone
)

// constructorParser holds the state of "parse a constructor string".
type constructorParser struct {
	input            string
	tokens           []token
	result           Init
	componentStart   int
	tokenIndex       int
	tokenIncrement   int
	groupDepth       int
	ipv6BracketDepth int
	protocolSpecial  bool
	state            csState
}

// parseConstructorString implements "parse a constructor string": it splits
// a pattern such as "https://*.example.com/:id" into an Init.
func parseConstructorString(input string) (Init, error) {
	tokens, _ := tokenize(input, lenient) // lenient tokenizing never fails
	p := &constructorParser{input: input, tokens: tokens}
	for p.tokenIndex < len(p.tokens) {
		p.tokenIncrement = 1
		if p.tokens[p.tokenIndex].typ == tokEnd {
			if p.state == csInit {
				p.rewind()
				switch {
				case p.isHashPrefix():
					p.changeState(csHash, 1)
				case p.isSearchPrefix():
					p.changeState(csSearch, 1)
				default:
					p.changeState(csPathname, 0)
				}
				p.tokenIndex += p.tokenIncrement
				continue
			}
			if p.state == csAuthority {
				p.rewindAndSetState(csHostname)
				p.tokenIndex += p.tokenIncrement
				continue
			}
			p.changeState(csDone, 0)
			break
		}
		if p.tokens[p.tokenIndex].typ == tokOpen {
			p.groupDepth++
			p.tokenIndex += p.tokenIncrement
			continue
		}
		if p.groupDepth > 0 {
			if p.tokens[p.tokenIndex].typ == tokClose {
				p.groupDepth--
			} else {
				p.tokenIndex += p.tokenIncrement
				continue
			}
		}
		switch p.state {
		case csInit:
			if p.isNonSpecialPatternChar(p.tokenIndex, ":") {
				p.rewindAndSetState(csProtocol)
			}
		case csProtocol:
			if p.isNonSpecialPatternChar(p.tokenIndex, ":") {
				if err := p.computeProtocolMatchesSpecialScheme(); err != nil {
					return Init{}, err
				}
				next, skip := csPathname, 1
				if p.nextIsAuthoritySlashes() {
					next, skip = csAuthority, 3
				} else if p.protocolSpecial {
					next = csAuthority
				}
				p.changeState(next, skip)
			}
		case csAuthority:
			if p.isNonSpecialPatternChar(p.tokenIndex, "@") {
				p.rewindAndSetState(csUsername)
			} else if p.isNonSpecialPatternChar(p.tokenIndex, "/") || p.isSearchPrefix() || p.isHashPrefix() {
				p.rewindAndSetState(csHostname)
			}
		case csUsername:
			if p.isNonSpecialPatternChar(p.tokenIndex, ":") {
				p.changeState(csPassword, 1)
			} else if p.isNonSpecialPatternChar(p.tokenIndex, "@") {
				p.changeState(csHostname, 1)
			}
		case csPassword:
			if p.isNonSpecialPatternChar(p.tokenIndex, "@") {
				p.changeState(csHostname, 1)
			}
		case csHostname:
			switch {
			case p.isNonSpecialPatternChar(p.tokenIndex, "["):
				p.ipv6BracketDepth++
			case p.isNonSpecialPatternChar(p.tokenIndex, "]"):
				p.ipv6BracketDepth--
			case p.isNonSpecialPatternChar(p.tokenIndex, ":") && p.ipv6BracketDepth == 0:
				p.changeState(csPort, 1)
			case p.isNonSpecialPatternChar(p.tokenIndex, "/"):
				p.changeState(csPathname, 0)
			case p.isSearchPrefix():
				p.changeState(csSearch, 1)
			case p.isHashPrefix():
				p.changeState(csHash, 1)
			}
		case csPort:
			switch {
			case p.isNonSpecialPatternChar(p.tokenIndex, "/"):
				p.changeState(csPathname, 0)
			case p.isSearchPrefix():
				p.changeState(csSearch, 1)
			case p.isHashPrefix():
				p.changeState(csHash, 1)
			}
		case csPathname:
			if p.isSearchPrefix() {
				p.changeState(csSearch, 1)
			} else if p.isHashPrefix() {
				p.changeState(csHash, 1)
			}
		case csSearch:
			if p.isHashPrefix() {
				p.changeState(csHash, 1)
			}
		}
		p.tokenIndex += p.tokenIncrement
	}
	if p.result.Hostname != nil && p.result.Port == nil {
		p.result.Port = Str("")
	}
	return p.result, nil
}

func (p *constructorParser) setResult(s csState, v string) {
	ptr := Str(v)
	switch s {
	case csProtocol:
		p.result.Protocol = ptr
	case csUsername:
		p.result.Username = ptr
	case csPassword:
		p.result.Password = ptr
	case csHostname:
		p.result.Hostname = ptr
	case csPort:
		p.result.Port = ptr
	case csPathname:
		p.result.Pathname = ptr
	case csSearch:
		p.result.Search = ptr
	case csHash:
		p.result.Hash = ptr
	}
}

// changeState implements "change state".
func (p *constructorParser) changeState(next csState, skip int) {
	s := p.state
	if s != csInit && s != csAuthority && s != csDone {
		p.setResult(s, p.makeComponentString())
	}
	if s != csInit && next != csDone {
		if (s == csProtocol || s == csAuthority || s == csUsername || s == csPassword) &&
			(next == csPort || next == csPathname || next == csSearch || next == csHash) &&
			p.result.Hostname == nil {
			p.result.Hostname = Str("")
		}
		if (s == csProtocol || s == csAuthority || s == csUsername || s == csPassword || s == csHostname || s == csPort) &&
			(next == csSearch || next == csHash) && p.result.Pathname == nil {
			if p.protocolSpecial {
				p.result.Pathname = Str("/")
			} else {
				p.result.Pathname = Str("")
			}
		}
		if (s == csProtocol || s == csAuthority || s == csUsername || s == csPassword || s == csHostname || s == csPort || s == csPathname) &&
			next == csHash && p.result.Search == nil {
			p.result.Search = Str("")
		}
	}
	p.state = next
	p.tokenIndex += skip
	p.componentStart = p.tokenIndex
	p.tokenIncrement = 0
}

func (p *constructorParser) rewind() {
	p.tokenIndex = p.componentStart
	p.tokenIncrement = 0
}

func (p *constructorParser) rewindAndSetState(s csState) {
	p.rewind()
	p.state = s
}

// safeToken implements "get a safe token".
func (p *constructorParser) safeToken(i int) token {
	if i >= 0 && i < len(p.tokens) {
		return p.tokens[i]
	}
	return p.tokens[len(p.tokens)-1]
}

func (p *constructorParser) isNonSpecialPatternChar(i int, v string) bool {
	t := p.safeToken(i)
	if t.value != v {
		return false
	}
	return t.typ == tokChar || t.typ == tokEscapedChar || t.typ == tokInvalidChar
}

func (p *constructorParser) nextIsAuthoritySlashes() bool {
	return p.isNonSpecialPatternChar(p.tokenIndex+1, "/") && p.isNonSpecialPatternChar(p.tokenIndex+2, "/")
}

func (p *constructorParser) isSearchPrefix() bool {
	if p.isNonSpecialPatternChar(p.tokenIndex, "?") {
		return true
	}
	if p.tokens[p.tokenIndex].value != "?" {
		return false
	}
	prev := p.tokenIndex - 1
	if prev < 0 {
		return true
	}
	switch p.safeToken(prev).typ {
	case tokName, tokRegexp, tokClose, tokAsterisk:
		return false
	}
	return true
}

func (p *constructorParser) isHashPrefix() bool {
	return p.isNonSpecialPatternChar(p.tokenIndex, "#")
}

// makeComponentString implements "make a component string".
func (p *constructorParser) makeComponentString() string {
	end := p.tokens[p.tokenIndex].index
	start := p.safeToken(p.componentStart).index
	if start > end {
		return ""
	}
	return p.input[start:end]
}

// computeProtocolMatchesSpecialScheme compiles the protocol seen so far and
// records whether it matches a special scheme.
func (p *constructorParser) computeProtocolMatchesSpecialScheme() error {
	c, err := compileComponent(compProtocol, p.makeComponentString(), defaultOptions)
	if err != nil {
		return err
	}
	p.protocolSpecial = c.matchesSpecialScheme()
	return nil
}
