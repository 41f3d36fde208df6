importScripts('/harness.js');

// Facts from ECMA-402 and CLDR's English data (the outputs browsers give
// for en-US); the tests are this project's own.

test(() => {
  assert_equals(typeof Intl, 'object');
  assert_equals(Object.prototype.toString.call(Intl), '[object Intl]');
  for (const name of ['Collator', 'DateTimeFormat', 'ListFormat', 'NumberFormat', 'PluralRules', 'RelativeTimeFormat', 'Segmenter']) {
    const d = Object.getOwnPropertyDescriptor(Intl, name);
    assert_equals(typeof d.value, 'function', name);
    assert_false(d.enumerable, name + ' enumerable');
    const p = Object.getOwnPropertyDescriptor(d.value, 'prototype');
    assert_false(p.writable, name + '.prototype writable');
    assert_equals(Object.prototype.toString.call(d.value.prototype), '[object Intl.' + name + ']');
  }
  assert_false(Object.keys(self).includes('Intl'));
}, 'the Intl object and its constructors');

test(() => {
  assert_array_equals(Intl.getCanonicalLocales(['EN-us', 'en-US', 'zh-hant-tw', 'iw']), ['en-US', 'zh-Hant-TW', 'he']);
  assert_array_equals(Intl.getCanonicalLocales('en-u-nu-latn-ca-gregory'), ['en-u-ca-gregory-nu-latn']);
  assert_array_equals(Intl.getCanonicalLocales(), []);
  assert_throws_js(RangeError, () => Intl.getCanonicalLocales('en_US'));
  assert_throws_js(RangeError, () => Intl.getCanonicalLocales(''));
  assert_throws_js(TypeError, () => Intl.getCanonicalLocales([5]));
  assert_throws_js(TypeError, () => Intl.getCanonicalLocales(null));
}, 'Intl.getCanonicalLocales');

test(() => {
  assert_array_equals(Intl.ListFormat.supportedLocalesOf(['en-GB', 'de', 'EN-us']), ['en-GB', 'en-US']);
  assert_array_equals(Intl.NumberFormat.supportedLocalesOf(['de', 'tlh']), ['de']);
  assert_throws_js(RangeError, () => Intl.Collator.supportedLocalesOf('en', { localeMatcher: 'fastest' }));
}, 'supportedLocalesOf');

test(() => {
  const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  assert_equals(nf.format(1234.5), '$1,234.50');
  assert_equals(nf.format(-1234.5), '-$1,234.50');
  assert_equals(new Intl.NumberFormat('en-US').format(1234567.891), '1,234,567.891');
  assert_equals(new Intl.NumberFormat('en-US').format(-0), '-0');
  assert_equals(new Intl.NumberFormat('en-US').format(NaN), 'NaN');
  assert_equals(new Intl.NumberFormat('en-US').format(-Infinity), '-∞');
  assert_equals(new Intl.NumberFormat('en-US').format(12345678901234567890n), '12,345,678,901,234,567,890');
  assert_equals(new Intl.NumberFormat('en-US').format('1234.5678901234567890123'), '1,234.568');
  assert_equals(new Intl.NumberFormat('en-US', { style: 'percent' }).format(0.256), '26%');
  assert_equals(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'JPY' }).format(1234.5), '¥1,235');
  assert_equals(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR', currencyDisplay: 'code' }).format(1), 'EUR\u00a01.00');
  assert_equals(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR', currencyDisplay: 'name' }).format(2), '2.00 euros');
  assert_equals(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencySign: 'accounting' }).format(-5), '($5.00)');
  assert_equals(new Intl.NumberFormat('en', { maximumSignificantDigits: 3 }).format(123456), '123,000');
  assert_equals(new Intl.NumberFormat('en', { minimumFractionDigits: 2 }).format(1), '1.00');
  assert_equals(new Intl.NumberFormat('en', { maximumFractionDigits: 0, roundingMode: 'halfEven' }).format(2.5), '2');
  assert_equals(new Intl.NumberFormat('en', { signDisplay: 'exceptZero' }).format(5), '+5');
  assert_equals(new Intl.NumberFormat('en', { useGrouping: false }).format(12345), '12345');
  assert_equals(new Intl.NumberFormat('de').format(1234567.891), '1.234.567,891');
  assert_equals(new Intl.NumberFormat('en', { numberingSystem: 'arab' }).format(12), '١٢');
}, 'NumberFormat: decimal, percent, currency, digits');

test(() => {
  const c = new Intl.NumberFormat('en', { notation: 'compact' });
  assert_equals(c.format(1234), '1.2K');
  assert_equals(c.format(123456), '123K');
  assert_equals(c.format(999999), '1M');
  assert_equals(c.format(1.5e9), '1.5B');
  assert_equals(new Intl.NumberFormat('en', { notation: 'compact', compactDisplay: 'long' }).format(2.5e6), '2.5 million');
  assert_equals(new Intl.NumberFormat('en', { notation: 'scientific' }).format(123456), '1.235E5');
  assert_equals(new Intl.NumberFormat('en', { notation: 'engineering' }).format(123456), '123.456E3');
  const ro = c.resolvedOptions();
  assert_equals(ro.notation, 'compact');
  assert_equals(ro.compactDisplay, 'short');
  assert_equals(ro.useGrouping, 'min2');
  assert_equals(ro.roundingPriority, 'morePrecision');
}, 'NumberFormat: compact and scientific notation');

test(() => {
  const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).formatToParts(-1234.5);
  assert_array_equals(parts.map((p) => p.type), ['minusSign', 'currency', 'integer', 'group', 'integer', 'decimal', 'fraction']);
  assert_array_equals(parts.map((p) => p.value), ['-', '$', '1', ',', '234', '.', '50']);
  const ro = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'usd' }).resolvedOptions();
  assert_equals(ro.locale, 'en-US');
  assert_equals(ro.currency, 'USD');
  assert_equals(ro.minimumFractionDigits, 2);
  assert_equals(ro.maximumFractionDigits, 2);
  assert_equals(ro.numberingSystem, 'latn');
  assert_array_equals(Object.keys(ro).slice(0, 4), ['locale', 'numberingSystem', 'style', 'currency']);
}, 'NumberFormat formatToParts and resolvedOptions');

test(() => {
  const nf = new Intl.NumberFormat('en');
  const f = nf.format;
  assert_equals(f, nf.format, 'the bound format is made once');
  assert_equals(f.name, '');
  assert_equals(f.length, 1);
  assert_equals([1000, 2000].map(f).join(' '), '1,000 2,000');
  assert_equals(Intl.NumberFormat().format(1), '1', 'callable without new');
  assert_throws_js(TypeError, () => Intl.NumberFormat.prototype.resolvedOptions.call({}));
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(Intl.NumberFormat.prototype, 'format').get.call({}));
}, 'NumberFormat format getter and brand checks');

test(() => {
  assert_throws_js(RangeError, () => new Intl.NumberFormat('en', { style: 'bogus' }));
  assert_throws_js(TypeError, () => new Intl.NumberFormat('en', { style: 'currency' }));
  assert_throws_js(RangeError, () => new Intl.NumberFormat('en', { style: 'currency', currency: 'US' }));
  assert_throws_js(RangeError, () => new Intl.NumberFormat('en', { maximumFractionDigits: 101 }));
  assert_throws_js(RangeError, () => new Intl.NumberFormat('en', { minimumFractionDigits: 3, maximumFractionDigits: 1 }));
  assert_throws_js(RangeError, () => new Intl.NumberFormat('en', { useGrouping: 'sometimes' }));
  assert_throws_js(RangeError, () => new Intl.NumberFormat('not a tag'));
  assert_throws_js(TypeError, () => new Intl.NumberFormat('en', null));
}, 'NumberFormat option errors');

test(() => {
  const order = [];
  const options = new Proxy({}, { get(t, k) { if (typeof k === 'string') order.push(k); return undefined; } });
  new Intl.NumberFormat('en', options);
  assert_array_equals(order.slice(0, 3), ['localeMatcher', 'numberingSystem', 'style']);
  assert_equals(order[order.length - 1], 'signDisplay');
}, 'NumberFormat reads its options in the specification order');

test(() => {
  const pr = new Intl.PluralRules('en');
  assert_equals(pr.select(1), 'one');
  assert_equals(pr.select(0), 'other');
  assert_equals(pr.select(2), 'other');
  assert_equals(new Intl.PluralRules('en', { minimumFractionDigits: 1 }).select(1), 'other');
  const ord = new Intl.PluralRules('en', { type: 'ordinal' });
  assert_array_equals([1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map((n) => ord.select(n)),
    ['one', 'two', 'few', 'other', 'other', 'other', 'other', 'one', 'two', 'few']);
  assert_array_equals(ord.resolvedOptions().pluralCategories, ['one', 'two', 'few', 'other']);
  assert_equals(new Intl.PluralRules('ar').select(0), 'zero');
  assert_equals(new Intl.PluralRules('pl').select(5), 'many');
  assert_equals(pr.selectRange(1, 5), 'other');
  assert_throws_js(TypeError, () => Intl.PluralRules('en'));
  assert_throws_js(RangeError, () => new Intl.PluralRules('en', { type: 'cardinals' }));
}, 'PluralRules');

test(() => {
  const c = new Intl.Collator('en');
  assert_equals(c.compare('a', 'b'), -1);
  assert_equals(c.compare('b', 'a'), 1);
  assert_equals(c.compare('a', 'a'), 0);
  assert_equals(c.compare('\u0041\u030a', '\u00c5'), 0, 'canonically equivalent strings are equal');
  assert_array_equals(['b', 'B', 'a', 'á', 'A'].sort(c.compare), ['a', 'A', 'á', 'b', 'B']);
  assert_equals(new Intl.Collator('en', { sensitivity: 'base' }).compare('a', 'Á'), 0);
  assert_equals(new Intl.Collator('en', { sensitivity: 'accent' }).compare('a', 'á'), -1);
  assert_array_equals(['10', '9', '2'].sort(new Intl.Collator('en', { numeric: true }).compare), ['2', '9', '10']);
  assert_array_equals(['10', '9', '2'].sort(new Intl.Collator('en-u-kn').compare), ['2', '9', '10']);
  assert_equals(new Intl.Collator('sv').compare('ä', 'z'), 1);
  assert_equals(new Intl.Collator('de').compare('ä', 'z'), -1);
  const ro = new Intl.Collator('en-u-kn').resolvedOptions();
  assert_equals(ro.locale, 'en-u-kn');
  assert_true(ro.numeric);
  assert_equals(ro.sensitivity, 'variant');
  assert_equals(ro.collation, 'default');
  assert_equals(c.compare.length, 2);
}, 'Collator');

test(() => {
  assert_equals('a'.localeCompare('b'), -1);
  assert_equals('résumé'.localeCompare('resume', 'en', { sensitivity: 'base' }), 0);
  assert_equals('ä'.localeCompare('z', 'sv'), 1);
  assert_equals(String.prototype.localeCompare.length, 1);
  assert_throws_js(TypeError, () => String.prototype.localeCompare.call(null, 'a'));
  assert_array_equals(['Zoë', 'zoe', 'Zoe', 'apple'].sort((x, y) => x.localeCompare(y)), ['apple', 'zoe', 'Zoe', 'Zoë']);
}, 'String.prototype.localeCompare goes through Intl.Collator');

test(() => {
  const d = new Date(0);
  assert_equals(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }).format(d), '1/1/1970');
  assert_equals(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }).format(0), '1/1/1970');
  const may = new Date(Date.UTC(1886, 4, 1, 14, 12, 47));
  const styles = [
    ['full', 'Saturday, May 1, 1886', ' at '], ['long', 'May 1, 1886', ' at '],
    ['medium', 'May 1, 1886', ', '], ['short', '5/1/86', ', '],
  ];
  const times = [['full', '2:12:47 PM Coordinated Universal Time'], ['long', '2:12:47 PM UTC'], ['medium', '2:12:47 PM'], ['short', '2:12 PM']];
  for (const [dateStyle, date, joiner] of styles) {
    assert_equals(new Intl.DateTimeFormat('en-US', { dateStyle, timeZone: 'UTC' }).format(may), date, dateStyle);
    for (const [timeStyle, time] of times) {
      assert_equals(new Intl.DateTimeFormat('en-US', { dateStyle, timeStyle, timeZone: 'UTC' }).format(may), date + joiner + time, dateStyle + '/' + timeStyle);
    }
  }
  assert_equals(new Intl.DateTimeFormat('en-US', { timeStyle: 'medium', timeZone: 'UTC', hour12: false }).format(may), '14:12:47');
  assert_equals(new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23', hour12: true }).format(may), '2:12 PM');
  assert_throws_js(TypeError, () => new Intl.DateTimeFormat('en', { dateStyle: 'long', hour: 'numeric' }));
}, 'DateTimeFormat: dateStyle and timeStyle');

test(() => {
  const t = Date.UTC(2020, 8, 13, 12, 26, 40);
  const f = (o) => new Intl.DateTimeFormat('en-US', o).format(t);
  assert_equals(f({ timeZone: 'America/New_York', timeStyle: 'full' }), '8:26:40 AM Eastern Daylight Time');
  assert_equals(f({ timeZone: 'america/los_angeles', timeZoneName: 'short' }), '9/13/2020, PDT');
  assert_equals(f({ timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit', timeZoneName: 'long' }), '2:26 PM Central European Summer Time');
  assert_equals(f({ timeZone: 'Asia/Kolkata', hour: 'numeric', timeZoneName: 'shortOffset' }), '5 PM GMT+5:30');
  assert_equals(f({ timeZone: '+05:30', hour: 'numeric', timeZoneName: 'longOffset' }), '5 PM GMT+05:30');
  assert_equals(f({ timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }), 'Sunday, September 13, 2020');
  assert_equals(f({ timeZone: 'UTC', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }), 'Sep 13, 12:26 PM');
  assert_equals(f({ timeZone: 'UTC', month: 'long', day: 'numeric', hour: 'numeric' }), 'September 13 at 12 PM');
  assert_equals(f({ timeZone: 'UTC', hour: 'numeric', dayPeriod: 'long' }), '12 in the afternoon');
  assert_equals(f({ timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), '12:26');
  assert_equals(f({ timeZone: 'UTC', year: '2-digit', month: '2-digit', day: '2-digit' }), '09/13/20');
  assert_equals(f({ timeZone: 'UTC', era: 'short' }), '9/13/2020 AD');
  assert_equals(f({ timeZone: 'UTC', minute: 'numeric', second: 'numeric', fractionalSecondDigits: 3 }), '26:40.000');
  assert_throws_js(RangeError, () => new Intl.DateTimeFormat('en', { timeZone: 'Mars/Olympus_Mons' }));
  assert_throws_js(RangeError, () => new Intl.DateTimeFormat('en', { month: 'full' }));
  assert_throws_js(RangeError, () => new Intl.DateTimeFormat('en').format(NaN));
}, 'DateTimeFormat: components and time zones');

test(() => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).formatToParts(0);
  assert_array_equals(parts.map((p) => p.type),
    ['month', 'literal', 'day', 'literal', 'year', 'literal', 'hour', 'literal', 'minute', 'literal', 'dayPeriod']);
  assert_array_equals(parts.map((p) => p.value), ['Jan', ' ', '1', ', ', '1970', ', ', '12', ':', '00', ' ', 'AM']);
  const ro = new Intl.DateTimeFormat('en-US', { timeZone: 'asia/calcutta', hour: 'numeric', minute: 'numeric' }).resolvedOptions();
  assert_equals(ro.timeZone, 'Asia/Calcutta');
  assert_equals(ro.calendar, 'gregory');
  assert_equals(ro.hourCycle, 'h12');
  assert_true(ro.hour12);
  assert_equals(ro.minute, '2-digit');
  assert_equals(ro.year, undefined);
  assert_equals(new Intl.DateTimeFormat('en', { timeZone: 'Etc/UTC' }).resolvedOptions().timeZone, 'Etc/UTC');
  assert_equals(new Intl.DateTimeFormat('de').resolvedOptions().locale, 'en-US', 'no German date data: the default locale');
  assert_equals(new Intl.DateTimeFormat('en-u-hc-h23', { hour: 'numeric', timeZone: 'UTC' }).resolvedOptions().locale, 'en-u-hc-h23');
  assert_equals(new Intl.DateTimeFormat('en-u-hc-h23', { hour: 'numeric', timeZone: 'UTC' }).format(0), '00');
  assert_equals(typeof new Intl.DateTimeFormat().resolvedOptions().timeZone, 'string');
}, 'DateTimeFormat formatToParts and resolvedOptions');

test(() => {
  const dtf = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' });
  assert_equals(dtf.formatRange(0, 0), '1/1/1970');
  assert_equals(dtf.formatRange(0, 86400000), '1/1/1970\u2009–\u20091/2/1970');
  const parts = dtf.formatRangeToParts(0, 86400000);
  assert_equals(parts[0].source, 'startRange');
  assert_equals(parts[parts.length - 1].source, 'endRange');
  assert_throws_js(TypeError, () => dtf.formatRange(0));
}, 'DateTimeFormat formatRange');

test(() => {
  const d = new Date(Date.UTC(2021, 0, 2, 15, 4, 5));
  assert_equals(d.toLocaleString('en-US', { timeZone: 'UTC' }), '1/2/2021, 3:04:05 PM');
  assert_equals(d.toLocaleDateString('en-US', { timeZone: 'UTC' }), '1/2/2021');
  assert_equals(d.toLocaleTimeString('en-US', { timeZone: 'UTC' }), '3:04:05 PM');
  assert_equals(d.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'long' }), 'January');
  assert_equals(d.toLocaleTimeString('en-US', { timeZone: 'UTC', hour: 'numeric' }), '3 PM');
  assert_throws_js(TypeError, () => d.toLocaleDateString('en', { timeStyle: 'short' }));
  assert_equals(new Date(NaN).toLocaleString(), 'Invalid Date');
  assert_throws_js(TypeError, () => Date.prototype.toLocaleString.call({}));
  assert_equals(typeof d.toLocaleString(), 'string');
  assert_equals(Date.prototype.toLocaleString.length, 0);
}, 'Date.prototype.toLocaleString, toLocaleDateString, toLocaleTimeString go through Intl.DateTimeFormat');

test(() => {
  assert_equals((1234.5).toLocaleString(), '1,234.5');
  assert_equals((1234.5).toLocaleString('de-DE'), '1.234,5');
  assert_equals((0.5).toLocaleString('en', { style: 'percent' }), '50%');
  assert_equals((12345678901234567890n).toLocaleString('en'), '12,345,678,901,234,567,890');
  assert_equals([1234, new Date(0), 'x', null, 5678.5].toLocaleString('en-US', { timeZone: 'UTC' }), '1,234,1/1/1970, 12:00:00 AM,x,,5,678.5');
  const a = [1]; a.push(a);
  assert_equals(a.toLocaleString(), '1,');
  assert_throws_js(TypeError, () => Number.prototype.toLocaleString.call('1'));
  assert_equals(Number.prototype.toLocaleString.length, 0);
}, 'Number, BigInt and Array toLocaleString go through Intl.NumberFormat');

test(() => {
  const rtf = new Intl.RelativeTimeFormat('en');
  assert_equals(rtf.format(3, 'day'), 'in 3 days');
  assert_equals(rtf.format(-1, 'day'), '1 day ago');
  assert_equals(rtf.format(-0, 'days'), '0 days ago');
  assert_equals(rtf.format(1.5, 'hours'), 'in 1.5 hours');
  assert_equals(rtf.format(-1234, 'seconds'), '1,234 seconds ago');
  const auto = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  assert_equals(auto.format(-1, 'day'), 'yesterday');
  assert_equals(auto.format(0, 'day'), 'today');
  assert_equals(auto.format(1, 'week'), 'next week');
  assert_equals(auto.format(0, 'second'), 'now');
  assert_equals(auto.format(2, 'year'), 'in 2 years');
  assert_equals(new Intl.RelativeTimeFormat('en', { style: 'short' }).format(-5, 'minute'), '5 min. ago');
  const parts = rtf.formatToParts(100, 'day');
  assert_array_equals(parts.map((p) => p.type), ['literal', 'integer', 'literal']);
  assert_array_equals(parts.map((p) => p.value), ['in ', '100', ' days']);
  assert_equals(parts[1].unit, 'day');
  assert_throws_js(RangeError, () => rtf.format(1, 'decade'));
  assert_throws_js(RangeError, () => rtf.format(Infinity, 'day'));
  assert_throws_js(TypeError, () => Intl.RelativeTimeFormat('en'));
  const ro = auto.resolvedOptions();
  assert_equals(ro.numeric, 'auto');
  assert_equals(ro.style, 'long');
}, 'RelativeTimeFormat');

test(() => {
  assert_equals(new Intl.ListFormat('en').format(['a', 'b', 'c']), 'a, b, and c');
  assert_equals(new Intl.ListFormat('en').format(['a', 'b']), 'a and b');
  assert_equals(new Intl.ListFormat('en').format([]), '');
  assert_equals(new Intl.ListFormat('en', { style: 'short' }).format(['a', 'b', 'c']), 'a, b, & c');
  assert_equals(new Intl.ListFormat('en', { type: 'disjunction' }).format(['a', 'b', 'c']), 'a, b, or c');
  assert_equals(new Intl.ListFormat('en', { type: 'unit', style: 'narrow' }).format(['1h', '5m']), '1h 5m');
  assert_equals(new Intl.ListFormat('en').format(new Set(['x', 'y'])), 'x and y');
  const parts = new Intl.ListFormat('en').formatToParts(['a', 'b']);
  assert_array_equals(parts.map((p) => p.type), ['element', 'literal', 'element']);
  assert_throws_js(TypeError, () => new Intl.ListFormat('en').format(['a', 1]));
  assert_throws_js(TypeError, () => new Intl.ListFormat('en', 'long'));
  assert_throws_js(RangeError, () => new Intl.ListFormat('en', { type: 'and' }));
}, 'ListFormat');

test(() => {
  const seg = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const family = '👨‍👩‍👧‍👦';
  const input = 'a' + family + 'e\u0301🇫🇷';
  const got = Array.from(seg.segment(input), (s) => s.segment);
  assert_array_equals(got, ['a', family, 'e\u0301', '🇫🇷']);
  const all = Array.from(seg.segment(input));
  assert_array_equals(all.map((s) => s.index), [0, 1, 1 + family.length, 3 + family.length]);
  assert_equals(all[1].input, input);
  assert_equals(all[0].isWordLike, undefined);
  assert_equals(seg.segment(input).containing(3).segment, family);
  assert_equals(seg.segment(input).containing(input.length), undefined);
  assert_equals(seg.segment(input).containing(-1), undefined);
  assert_equals(new Intl.Segmenter().resolvedOptions().granularity, 'grapheme');
}, 'Segmenter: grapheme clusters of emoji sequences');

test(() => {
  const words = Array.from(new Intl.Segmenter('en', { granularity: 'word' }).segment('Hello, world 42!'));
  assert_array_equals(words.map((s) => s.segment), ['Hello', ',', ' ', 'world', ' ', '42', '!']);
  assert_array_equals(words.map((s) => s.isWordLike), [true, false, false, true, false, true, false]);
  const sentences = Array.from(new Intl.Segmenter('en', { granularity: 'sentence' }).segment('One. Two? Three'), (s) => s.segment);
  assert_array_equals(sentences, ['One. ', 'Two? ', 'Three']);
  const it = new Intl.Segmenter().segment('ab')[Symbol.iterator]();
  assert_equals(Object.prototype.toString.call(it), '[object Segmenter String Iterator]');
  assert_equals(it.next().value.segment, 'a');
  assert_throws_js(RangeError, () => new Intl.Segmenter('en', { granularity: 'line' }));
}, 'Segmenter: words and sentences');

test(() => {
  const input = 'a\uD800b😀';
  const segs = Array.from(new Intl.Segmenter().segment(input));
  assert_array_equals(segs.map((s) => s.index), [0, 1, 2, 3]);
  assert_equals(segs[3].segment, '😀');
}, 'Segmenter indices stay right around a lone surrogate');
