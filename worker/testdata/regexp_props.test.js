importScripts('/harness.js');

// Unicode property escapes (ECMA-262 CharacterClassEscape ::
// p{UnicodePropertyValueExpression}), through the RegExp constructor and
// through literals (which esbuild lowers to RegExp calls). Each vector is
// [pattern, flags, strings it matches, strings it does not]; patterns are
// anchored by the test.
const vectors = [
  ['\\p{L}+', 'u', ['Ωa', 'abc', 'Ωμέγα', 'Кириллица', '漢字', 'ひらがな', '𝒜', 'ǅ'], ['1', '!', ' ', '😀', '', 'a1']],
  ['\\p{Lu}', 'u', ['A', 'Ω', 'Ж', '𝒜'], ['a', 'ω', '1', '漢']],
  ['\\p{Ll}', 'u', ['a', 'ω', 'ж'], ['A', 'Ω', '1']],
  ['\\P{L}', 'u', ['1', '!', ' ', '😀', '٣'], ['a', 'Ω', '漢', '𝒜']],
  ['\\p{Letter}', 'u', ['a', 'Ж'], ['1']],
  ['\\p{General_Category=Letter}', 'u', ['a'], ['1']],
  ['\\p{gc=Lu}', 'u', ['A'], ['a']],
  ['\\p{N}+', 'u', ['123', '٣', 'Ⅻ', '½', '𝟘'], ['a', ' ']],
  ['\\p{Nd}', 'u', ['7', '٣', '𝟘'], ['Ⅻ', '½', 'a']],
  ['\\p{Script=Greek}+', 'u', ['Ωμέγα', 'α'], ['a', 'Ж', '1']],
  ['\\p{sc=Greek}', 'u', ['Ω'], ['W']],
  ['\\p{sc=Grek}', 'u', ['Ω'], ['W']],
  ['\\p{Script=Cyrillic}', 'u', ['Ж'], ['Ω', 'a']],
  ['\\p{sc=Han}+', 'u', ['漢字'], ['ひ', 'a']],
  ['\\p{Script=Hiragana}', 'u', ['ひ'], ['カ', '漢']],
  ['\\p{Script_Extensions=Latin}', 'u', ['a', 'Z', 'é'], ['Ω', '1', 'Ж']],
  ['\\p{scx=Grek}', 'u', ['Ω'], ['a']],
  ['\\p{ID_Start}', 'u', ['a', 'Ω', '漢', '𝒜', 'Ⅻ'], ['1', '_', '$', '-', '😀']],
  ['\\p{ID_Continue}+', 'u', ['a1_', 'Ω٣', 'é\u0301'], ['-', '$', ' ', '😀']],
  ['\\p{Alphabetic}', 'u', ['a', 'Ω', 'Ⅻ', '\u0345'], ['1', '!']],
  ['\\p{White_Space}+', 'u', [' \t\n\u00a0\u2003\u3000'], ['a', '\u200b']],
  ['\\p{Emoji}', 'u', ['😀', '❤', '#', '1', '©'], ['a', 'Ω']],
  ['\\p{Emoji_Presentation}', 'u', ['😀'], ['#', '©', 'a']],
  ['\\p{Extended_Pictographic}', 'u', ['😀', '©', '❤'], ['#', 'a', '1']],
  ['\\p{Any}', 'u', ['a', '😀', '\u0000'], ['']],
  ['\\p{ASCII}+', 'u', ['abc~'], ['é']],
  ['\\p{Uppercase}', 'u', ['A', 'Ⅻ'], ['a']],
  ['\\p{Lowercase}', 'u', ['a', 'ª'], ['A']],
  ['[\\p{L}\\p{N}]+', 'u', ['abc123', 'Ω٣', '𝒜1'], ['!', 'a-b', ' ']],
  ['[\\p{L}_-]+', 'u', ['a_b-c'], ['a b']],
  ['[^\\p{L}]+', 'u', ['12 !', '😀'], ['a', '𝒜']],
  ['[^\\P{L}]+', 'u', ['abc', '𝒜'], ['1']],
  ['[\\P{L}]', 'u', ['1'], ['a']],
  ['[a\\p{Nd}z]', 'u', ['a', '5', 'z', '٣'], ['b']],
  ['\\p{L}\\P{L}\\p{L}', 'u', ['a1b', 'Ω-Ж'], ['abc', '1a1']],
  ['(\\p{Lu})(\\p{Ll}+)', 'u', ['Hello', 'Ωμέγα'], ['hello']],
  ['\\p{Lu}', 'iu', ['A', 'a', 'ω', 'Ω'], ['1']],
  ['\\p{Ll}', 'iu', ['A', 'a'], ['1']],
  ['\\P{Lu}', 'iu', ['A', 'a', '1'], []],
  ['[\\p{Lu}]', 'iu', ['a'], ['1']],
  ['\\p{L}', 'gu', ['a'], ['1']],
  ['\\p{L}', 'su', ['a'], ['1']],
  // Not a u pattern: \p is the identity escape of p (Annex B).
  ['\\p{L}', '', ['p{L}'], ['a', 'L']],
  ['\\P{L}', 'i', ['p{l}', 'P{L}'], ['a']],
  ['[\\p{L}]', '', ['p', 'L', '{', '}'], ['a']],
  // An escaped backslash: no property escape.
  ['\\\\p\\{L\\}', 'u', ['\\p{L}'], ['a']],
];

const check = (re, pattern, flags, yes, no) => {
  for (const s of yes) assert_true(re.test(s), `/^(?:${pattern})$/${flags} should match ${JSON.stringify(s)}`);
  for (const s of no) assert_false(re.test(s), `/^(?:${pattern})$/${flags} should not match ${JSON.stringify(s)}`);
};

test(() => {
  for (const [pattern, flags, yes, no] of vectors) {
    const src = '^(?:' + pattern + ')$';
    const re = new RegExp(src, flags.replace('g', ''));
    check(re, pattern, flags, yes, no);
    assert_equals(re.source, src);
    assert_equals(re.flags, flags.replace('g', '').split('').sort().join(''));
  }
}, 'property escapes through new RegExp()');

test(() => {
  for (const [pattern, flags, yes, no] of vectors) {
    const src = '^(?:' + pattern + ')$';
    // eval makes a literal of each vector; the script is compiled (and
    // lowered) by the worker's compiler, as a script would be.
    const re = RegExp(src, flags.replace('g', ''));
    check(re, pattern, flags, yes, no);
  }
}, 'property escapes through RegExp() called as a function');

test(() => {
  assert_true(/\p{L}+/u.test('Ωa'));
  assert_true(/^\p{L}+$/u.test('Ωa'));
  assert_false(/^\p{L}+$/u.test('Ω1'));
  assert_true(/^\P{L}$/u.test('1'));
  assert_true(/^[\p{L}\p{N}]+$/u.test('abc123Ω'));
  assert_true(/^\p{Script=Greek}+$/u.test('αβγ'));
  assert_true(/^\p{sc=Greek}$/u.test('Ω'));
  assert_true(/^\p{Script_Extensions=Latin}$/u.test('a'));
  assert_true(/^\p{ID_Start}\p{ID_Continue}*$/u.test('𝒜bc1'));
  assert_true(/^\p{Alphabetic}$/u.test('a'));
  assert_true(/^\p{White_Space}$/u.test('\u3000'));
  assert_true(/^\p{Emoji}$/u.test('😀'));
  assert_true(/^\p{Lu}$/iu.test('a'));
  assert_false(/^\p{Lu}$/u.test('a'));
  assert_true(/^\p{L}$/.test('p{L}'), 'without u, \\p is p');
  assert_false(/^\p{L}$/.test('a'));
  assert_true(/^\p{L}$/u.test('𝒜'));
  const re = /(?<word>\p{L}+)-\p{Nd}+/gu;
  assert_equals(re.source, '(?<word>\\p{L}+)-\\p{Nd}+');
  assert_equals(String(re), '/(?<word>\\p{L}+)-\\p{Nd}+/gu');
  assert_equals(re.flags, 'gu');
  assert_array_equals('Ωμ-12 ab-3 c'.match(re), ['Ωμ-12', 'ab-3']);
}, 'property escapes in regular expression literals');

test(() => {
  const re = new RegExp('/\\p{L}\n', 'u');
  assert_equals(re.source, '\\/\\p{L}\\n');
  assert_equals(re.toString(), '/\\/\\p{L}\\n/u');
  assert_equals(new RegExp('\\p{L}', 'u').source, '\\p{L}');
  assert_equals(new RegExp('[\\p{L}]', 'u').toString(), '/[\\p{L}]/u');
  assert_equals(new RegExp('\\p{L}').source, '\\p{L}');
  assert_equals(new RegExp('/').source, '\\/');
}, 'source and toString() show the pattern as written');

test(() => {
  for (const p of ['\\p{Foo}', '\\p{L', '\\p', '\\pL', '\\P{}', '\\p{gc=Foo}', '\\p{sc=Foo}', '\\p{Script=L}',
    '\\p{General_Category}', '\\p{lu}', '\\p{ Lu}', '\\p{Lu }', '\\p{letter}', '\\p{Script_Extensions}',
    '[\\p{Foo}]', '[a-\\p{L}]', '[\\p{L}-z]', '\\p{Block=Basic_Latin}', '\\p{ASCII=Y}']) {
    assert_throws_js(SyntaxError, () => new RegExp(p, 'u'), p);
    assert_throws_js(SyntaxError, () => RegExp(p, 'u'), p);
  }
  // Not u: no error, \p is p.
  assert_true(new RegExp('\\p{Foo}').test('p{Foo}'));
  try {
    new RegExp('\\p{Foo}', 'u');
  } catch (e) {
    assert_true(String(e.message).includes('Invalid property name'), e.message);
  }
}, 'an unknown property is a SyntaxError with u, \\p is p without');

test(() => {
  const re = /\p{L}+/u;
  assert_equals(re.constructor, RegExp);
  assert_true(re instanceof RegExp);
  assert_true(new RegExp('a') instanceof RegExp);
  assert_equals(Object.getPrototypeOf(new RegExp('\\p{L}', 'u')), RegExp.prototype);
  assert_equals(RegExp.name, 'RegExp');
  assert_equals(RegExp.length, 2);
  assert_equals(RegExp(re), re, 'RegExp(re) is re');
  assert_not_equals(new RegExp(re), re);
  const copy = new RegExp(re);
  assert_equals(copy.source, '\\p{L}+');
  assert_true(copy.test('Ω'));
  const global = new RegExp(re, 'g');
  assert_equals(global.flags, 'g');
  assert_true(global.test('p{L}'), 'the copy without u reads \\p as p');
  assert_false(new RegExp(re, 'g').test('Ω'));
  const nonU = /\p{L}/;
  assert_true(new RegExp(nonU, 'u').test('Ω'), 'a non-u regexp copied with u');
  class MyRegExp extends RegExp {
    exec(s) { return super.exec(s); }
  }
  const mine = new MyRegExp('^\\p{Lu}$', 'u');
  assert_true(mine instanceof MyRegExp);
  assert_true(mine.test('Ω'));
  assert_false(mine.test('ω'));
  assert_equals(mine.source, '^\\p{Lu}$');
  assert_array_equals('aΩbЖc'.split(/\p{Lu}/u), ['a', 'b', 'c']);
  assert_array_equals([...'a1Ωb'.matchAll(/\p{L}/gu)].map((m) => m[0]), ['a', 'Ω', 'b']);
  assert_equals('a1Ω!'.replace(/\P{L}/gu, '_'), 'a_Ω_');
  assert_equals('Ωa'.search(/\p{Ll}/u), 1);
  const c = /x/;
  c.compile('^\\p{L}$', 'u');
  assert_true(c.test('Ω'));
  assert_equals(c.source, '^\\p{L}$');
  c.compile('y');
  assert_equals(c.source, 'y');
}, 'RegExp keeps its identity, subclasses, copies and string methods');

test(() => {
  const re = new RegExp('\\p{L}+', 'u');
  const clone = structuredClone(re);
  assert_equals(clone.source, '\\p{L}+');
  assert_true(clone.test('Ω'));
  assert_false(clone.test('1'));
}, 'a structured clone keeps the pattern and its meaning');

test(() => {
  class Sub extends RegExp {}
  assert_equals(Sub[Symbol.species], Sub);
  assert_true(new Sub('a') instanceof Sub);
  assert_true(new Sub('a') instanceof RegExp);
  assert_false({} instanceof RegExp);
  assert_false(new Sub('a') instanceof Array);
  let execs = 0;
  class Counting extends RegExp {
    exec(s) { execs++; return super.exec(s); }
  }
  assert_array_equals('a,b'.split(new Counting(',')), ['a', 'b']);
  assert_true(execs > 0, 'split goes through the subclass species');
}, 'Symbol.species and instanceof of RegExp and its subclasses');

test(() => {
  // Regexps of the same rewritten pattern share its compiled form (a
  // clone of a cached one) but nothing else: each has its own lastIndex,
  // and its source is the pattern as written.
  const a = new RegExp('\\p{Lu}', 'gu'), b = new RegExp('\\p{Lu}', 'gu');
  assert_not_equals(a, b);
  assert_equals(a.exec('aBcD')[0], 'B');
  assert_equals(a.lastIndex, 2);
  assert_equals(b.lastIndex, 0, 'b has its own lastIndex');
  assert_equals(b.exec('xYz')[0], 'Y');
  assert_equals(a.exec('aBcD')[0], 'D');
  assert_equals(b.source, '\\p{Lu}');
  assert_equals(String(b), '/\\p{Lu}/gu');
  assert_true(b instanceof RegExp);
  const re = () => /\p{Ll}+/u;
  assert_equals(re().exec('ABcdE')[0], 'cd', 'a literal evaluated again');
  assert_equals(re().exec('ŒœX')[0], 'œ');
}, 'rewritten patterns: regexps share a compiled pattern, not their state');
