package worker

import "bytes"

// A script's shape, measured before any parser sees it.
//
// Parsers recurse once per level of syntax, and a goroutine whose stack
// passes 1 GB ends the process; some of their passes also cost time
// quadratic (or worse) in a construct's length. Neither the sobek parser
// nor esbuild can be interrupted, so the host refuses a script whose shape
// would cost too much before it parses it: scanShape reads the source once,
// as JavaScript's lexical grammar does (strings, template literals,
// comments and regular expression literals are skipped; a '/' is a regular
// expression where an operand is expected), and sums what the parsers pay
// for. The figures are upper bounds of what a parser meets, never exact:
// an ordinary script stays far below every limit (docs/benchmarks.md,
// "worker: lowering modern syntax", has the calibration).

// scriptShape holds what scanShape measured.
type scriptShape struct {
	// brackets is the deepest nesting of (), [], {} and ${} in code.
	brackets int
	// nesting bounds the depth of syntax a recursive-descent parser
	// reaches: the brackets, plus the tokens that nest without brackets
	// (prefix operators, right-associative operators such as = ?: => **,
	// member and call chains, if/else/for/while/with/do and labels),
	// counted along each statement and expression until a ';' or ','
	// ends it.
	nesting int
	// labelWork sums, over the labels, how many labels enclose each one
	// (sobek checks a label against every enclosing one, slowly when they
	// repeat: 1,000 nested repeated labels take it 0.5 s).
	labelWork int64
	// arrowWork sums, over the arrow functions, how many arrows of the
	// same expression precede each (a => b => c nests them).
	arrowWork int64
	// commaWork sums, over the commas of comma-separated runs that may be
	// sequence expressions (not array or object literals), the run's
	// length so far: esbuild prints a sequence of n in time quadratic in
	// n (20,000 in a row take it 3-9 s).
	commaWork int64
	// scopeWork sums, over the identifiers, the square of the number of
	// scopes around each (a bracket counts one, an arrow function two:
	// they cost esbuild more): esbuild renames a name shadowing an outer
	// one by trying name2, name3, ... against every enclosing scope (1,000
	// nested functions each declaring the same name take it 2.5 s).
	scopeWork int64
}

// frameKind says what an open bracket is, as far as the tokens before it
// tell.
type frameKind uint8

const (
	frameExpr     frameKind = iota // ( of a grouping, call, parameter list; ${ of a template
	frameControl                   // ( of if, while, for, with: a statement follows its )
	frameArray                     // [ of an array literal or pattern
	frameIndex                     // [ of a member access
	frameObject                    // { of an object literal, pattern, import or export list
	frameBlock                     // { of a block, a function body, a class body
	frameTemplate                  // ${ of a template literal
)

// shapeFrame is one open bracket, with the counts of the statement or
// expression running inside it.
type shapeFrame struct {
	kind      frameKind
	stmtEnd   bool  // frameBlock: its } ends a statement (a '/' after it starts a regular expression)
	base      int   // nesting at the bracket
	chain     int   // nesting tokens since the last ; or , in this frame
	elses     int   // else and do in this frame (a statement chain that ; does not end)
	labels    int   // labels around this frame, outer frames included
	runLabels int   // labels since the last ; in this frame
	scopes    int   // scopes around this frame, outer frames included (an arrow counts two)
	arrows    int   // => since the last ; or , in this frame
	ternaries int   // ? waiting for their : since the last ; or ,
	commas    int64 // commas since the last ; in this frame
}

// token classes of the token before the current one, for the
// regular-expression-or-division decision and the frame kinds.
const (
	tokNone   = iota // start of the source
	tokIdent         // identifier, keyword, private name
	tokNumber        // numeric literal
	tokString        // string, template or regular expression literal
	tokPunct         // punctuator, other than closing brackets
	tokClose         // ), ] or }
)

// keyword is what the scan knows of an identifier that is a keyword.
type keyword struct {
	text    string // the keyword (a constant: identifiers are not copied)
	operand bool   // an operand (a regular expression, an array or object literal) may follow it
	nest    bool   // its construct may nest without a bracket of its own
}

// keywords are the identifiers the scan tells apart; others are plain
// identifiers.
var keywords = func() map[string]keyword {
	m := map[string]keyword{}
	for _, w := range []string{"return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
		"throw", "case", "do", "else", "yield", "await", "extends"} {
		m[w] = keyword{text: w, operand: true}
	}
	for _, w := range []string{"new", "typeof", "void", "delete", "await", "yield", "if", "for", "while",
		"with", "extends", "keyof", "readonly", "infer", "unique", "asserts"} { // the last five: TypeScript type operators
		k := m[w]
		k.text, k.nest = w, true
		m[w] = k
	}
	for _, w := range []string{"function", "class", "import", "export", "const", "let", "var", "default"} {
		m[w] = keyword{text: w}
	}
	return m
}()

// punctuator is one of JavaScript's punctuators.
type punctuator struct {
	text string
	nest bool // a prefix operator, a right-associative operator or a member access: it may nest without a bracket
}

// punctuators lists the punctuators by their first byte, longest first.
var punctuators = func() (t [256][]punctuator) {
	nest := map[string]bool{}
	for _, p := range []string{".", "?.", "=>", "?", ":", "!", "~", "+", "-", "++", "--", "**", "...", "@",
		"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="} {
		nest[p] = true
	}
	all := []string{">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
		"=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=",
		"*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>"}
	for _, p := range all {
		t[p[0]] = append(t[p[0]], punctuator{p, nest[p]})
	}
	for c := 0; c < 256; c++ {
		if c < 0x80 && !isIdentByte(byte(c)) {
			p := string(rune(c))
			t[c] = append(t[c], punctuator{p, nest[p]})
		}
	}
	return t
}()

// scanShape measures src. typeScript makes '<' nest (type arguments).
func scanShape(src []byte, typeScript bool) scriptShape {
	s := shapeScanner{src: src, ts: typeScript}
	s.stack = append(s.stack, shapeFrame{kind: frameBlock, stmtEnd: true})
	s.run()
	return s.shape
}

type shapeScanner struct {
	src   []byte
	ts    bool
	stack []shapeFrame
	shape scriptShape

	prev     int     // the previous token's class
	prevText string  // the previous keyword or punctuator ("" for other identifiers)
	prevKw   keyword // the previous keyword
	prevStmt bool    // the previous token was a } that ended a statement, or the ) of a control head
	// fns are the function and class keywords whose body has not opened
	// yet: the first block opening in the frame where the keyword was is
	// its body, which ends a statement when the keyword began one.
	fns []pendingFn
}

type pendingFn struct {
	depth int  // len(stack) at the keyword
	stmt  bool // the keyword began a statement (a declaration)
}

func (s *shapeScanner) top() *shapeFrame { return &s.stack[len(s.stack)-1] }

// nest counts one nesting token in the current frame.
func (s *shapeScanner) nest(else_ bool) {
	f := s.top()
	if else_ {
		f.elses++
	} else {
		f.chain++
	}
	if n := f.base + f.chain + f.elses; n > s.shape.nesting {
		s.shape.nesting = n
	}
}

// reset ends the statement or expression running in the current frame: at
// ';' (stmt) or ','.
func (s *shapeScanner) reset(stmt bool) {
	f := s.top()
	f.chain, f.arrows, f.ternaries = 0, 0, 0
	if stmt {
		f.runLabels = 0
		f.commas = 0
	}
}

// operandNext reports whether an operand is expected after the previous
// token: then '/' starts a regular expression, '[' an array literal and
// '{' an object literal.
func (s *shapeScanner) operandNext() bool {
	switch s.prev {
	case tokNone, tokPunct:
		return true
	case tokIdent:
		return s.prevKw.operand
	case tokClose:
		return s.prevStmt
	}
	return false
}

func (s *shapeScanner) open(kind frameKind) {
	parent := s.top()
	f := shapeFrame{
		kind:   kind,
		base:   parent.base + parent.chain + parent.elses + 1,
		labels: parent.labels + parent.runLabels,
		scopes: parent.scopes + 2*parent.arrows + 1,
	}
	if kind == frameBlock {
		f.stmtEnd = s.blockEndsStatement()
	}
	if f.base > s.shape.nesting {
		s.shape.nesting = f.base
	}
	if d := len(s.stack); d > s.shape.brackets {
		s.shape.brackets = d
	}
	s.stack = append(s.stack, f)
}

// blockEndsStatement says whether a { that opens a block (not an object
// literal) ends a statement when it closes: a block statement, a control
// statement's body, a function or class declaration; not the body of a
// function or class expression.
func (s *shapeScanner) blockEndsStatement() bool {
	d := len(s.stack)
	for len(s.fns) > 0 && s.fns[len(s.fns)-1].depth > d {
		s.fns = s.fns[:len(s.fns)-1] // a keyword in a frame that closed without a body
	}
	if n := len(s.fns); n > 0 && s.fns[n-1].depth == d {
		stmt := s.fns[n-1].stmt
		s.fns = s.fns[:n-1]
		return stmt
	}
	return true
}

// braceKind says whether a { opens an object literal (or a pattern, an
// import or export list) or a block.
func (s *shapeScanner) braceKind() frameKind {
	switch s.prev {
	case tokPunct:
		switch s.prevText {
		case "=>", ";", "{":
			return frameBlock
		case ":":
			if f := s.top(); f.ternaries == 0 && f.kind != frameObject {
				return frameBlock // a label's or a case's block
			}
		}
		return frameObject
	case tokIdent:
		switch s.prevText {
		case "do", "else":
			return frameBlock
		case "import", "export", "const", "let", "var":
			return frameObject
		}
		if s.prevKw.operand {
			return frameObject
		}
	}
	return frameBlock
}

// close pops the innermost frame of the kind a closing bracket ends. A
// closing bracket with no frame open is ignored.
func (s *shapeScanner) close(c byte) {
	if len(s.stack) == 1 {
		s.prev, s.prevStmt = tokClose, false
		return
	}
	f := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.prev = tokClose
	s.prevStmt = c == ')' && f.kind == frameControl || c == '}' && f.kind == frameBlock && f.stmtEnd
	if s.prevStmt && c == '}' {
		// The statement ended: what came before it in this frame no
		// longer nests what follows.
		p := s.top()
		p.chain, p.arrows, p.ternaries = 0, 0, 0
	}
}

// statementStart reports whether the previous token ends a statement, so
// that a function or class keyword here declares one.
func (s *shapeScanner) statementStart() bool {
	switch s.prev {
	case tokNone:
		return true
	case tokPunct:
		return s.prevText == ";" || s.prevText == "{" || s.prevText == ":" && s.top().ternaries == 0
	case tokClose:
		return s.prevStmt
	case tokIdent:
		return s.prevText == "else" || s.prevText == "do" || s.prevText == "export" || s.prevText == "default"
	}
	return false
}

func (s *shapeScanner) run() {
	src := s.src
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = skipLine(src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if end := bytes.Index(src[i+2:], []byte("*/")); end >= 0 {
				i += 2 + end + 2
			} else {
				i = len(src)
			}
		case c == '#' && i == 0 && len(src) > 1 && src[1] == '!':
			i = skipLine(src, i)
		case c == '\'' || c == '"':
			if end, ok := skipString(src, i); ok {
				i = end
				s.prev = tokString
			} else {
				// Not a string a parser would accept: scan what follows as code.
				i++
				s.prev, s.prevText = tokPunct, "'"
			}
		case c == '`':
			i = s.template(i + 1)
		case c == '/' && s.operandNext():
			if end, ok := skipRegExp(src, i); ok {
				i = end
				s.prev = tokString
			} else {
				i++
				s.prev, s.prevText = tokPunct, "/"
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			for i++; i < len(src) && (isIdentByte(src[i]) || src[i] == '.'); i++ {
			}
			s.prev = tokNumber
		case isIdentByte(c) || c == '#' || c == '\\':
			start := i
			for i++; i < len(src) && (isIdentByte(src[i]) || src[i] == '\\'); i++ {
			}
			var kw keyword
			if i-start <= 10 && c >= 'a' && c <= 'z' { // keywords are short and lower-case
				kw = keywords[string(src[start:i])]
			}
			s.ident(kw)
		default:
			i = s.punct(i)
		}
	}
}

// ident handles an identifier: kw is the keyword it is, if any.
func (s *shapeScanner) ident(kw keyword) {
	f := s.top()
	d := int64(f.scopes + 2*f.arrows)
	s.shape.scopeWork += d * d
	switch kw.text {
	case "else", "do":
		s.nest(true)
	case "function", "class":
		s.fns = append(s.fns, pendingFn{len(s.stack), s.statementStart()})
	default:
		if kw.nest {
			s.nest(false)
		}
	}
	s.prev, s.prevText, s.prevKw, s.prevStmt = tokIdent, kw.text, kw, false
}

// punct handles the punctuator at src[i] and returns the index after it.
func (s *shapeScanner) punct(i int) int {
	src := s.src
	cands := punctuators[src[i]]
	if len(cands) == 0 {
		return i + 1 // a byte that is no token
	}
	pt := cands[len(cands)-1]
	for _, cand := range cands {
		if len(src)-i >= len(cand.text) && string(src[i:i+len(cand.text)]) == cand.text {
			pt = cand
			break
		}
	}
	if pt.text == "?." && i+2 < len(src) && src[i+2] >= '0' && src[i+2] <= '9' {
		pt = punctuators['?'][len(punctuators['?'])-1] // a ? .5 : b
	}
	p := pt.text
	f := s.top()
	switch p {
	case "(":
		kind := frameExpr
		if s.prev == tokIdent && (s.prevText == "if" || s.prevText == "while" || s.prevText == "for" || s.prevText == "with") {
			kind = frameControl
		}
		if s.prev == tokClose {
			s.nest(false) // a call of a call
		}
		s.open(kind)
	case "[":
		kind := frameIndex
		if s.operandNext() {
			kind = frameArray
		} else if s.prev == tokClose {
			s.nest(false) // an index of an index or call
		}
		s.open(kind)
	case "{":
		s.open(s.braceKind())
	case ")", "]":
		s.close(p[0])
		return i + 1
	case "}":
		if f.kind == frameTemplate {
			s.stack = s.stack[:len(s.stack)-1]
			return s.template(i + 1)
		}
		s.close('}')
		return i + 1
	case ";":
		s.reset(true)
	case ",":
		s.reset(false)
		if f.kind != frameArray && f.kind != frameObject {
			f.commas++
			s.shape.commaWork += f.commas
		}
	default:
		if p == "?" {
			f.ternaries++
		} else if p == ":" {
			if f.ternaries > 0 {
				f.ternaries--
			} else if f.kind == frameBlock && s.prev == tokIdent {
				f.runLabels++
				s.shape.labelWork += int64(f.labels + f.runLabels)
			}
		} else if p == "=>" {
			f.arrows++
			s.shape.arrowWork += int64(f.arrows)
		}
		if pt.nest || s.ts && p == "<" {
			s.nest(false)
		}
	}
	s.prev, s.prevText, s.prevStmt = tokPunct, p, false
	return i + len(p)
}

// template scans a template literal from i (just after ` or the } that
// ends a substitution) to its end or its next ${, and returns the index
// after what it read.
func (s *shapeScanner) template(i int) int {
	src := s.src
	for ; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '`':
			s.prev = tokString
			return i + 1
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				s.prev, s.prevText = tokPunct, "${"
				s.open(frameTemplate)
				return i + 2
			}
		}
	}
	s.prev = tokString
	return len(src)
}

// skipString returns the index after the string literal starting at
// src[i], or false when it does not end before a line break.
func skipString(src []byte, i int) (int, bool) {
	q := src[i]
	for i++; i < len(src); i++ {
		switch src[i] {
		case q:
			return i + 1, true
		case '\\':
			if i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n' {
				i++
			}
			i++
		case '\n', '\r':
			return 0, false
		}
	}
	return 0, false
}

// skipRegExp returns the index after the regular expression literal
// starting at src[i] (its flags included), or false when it does not end
// before a line break.
func skipRegExp(src []byte, i int) (int, bool) {
	class := false
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			class = true
		case ']':
			class = false
		case '/':
			if !class {
				for i++; i < len(src) && isIdentByte(src[i]); i++ {
				}
				return i, true
			}
		case '\n', '\r':
			return 0, false
		}
		if i < len(src) && (src[i] == '\n' || src[i] == '\r') {
			return 0, false // an escaped line break
		}
	}
	return 0, false
}

func skipLine(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' && src[i] != '\r' {
		i++
	}
	return i
}

// isIdentByte reports whether b may be part of an identifier: ASCII
// letters, digits, _ and $, and every byte of a non-ASCII character.
func isIdentByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '$' || b >= 0x80
}
