importScripts('/harness.js');

promise_test(async () => {
  const a = new BroadcastChannel('news');
  const b = new BroadcastChannel('news');
  const other = new BroadcastChannel('other');
  const got = [];
  const seen = new Promise((resolve) => {
    b.onmessage = (e) => { got.push([e.data.n, e.origin, e instanceof MessageEvent]); if (got.length === 2) resolve(); };
  });
  a.onmessage = () => got.push('the sender got its own message');
  other.onmessage = () => got.push('another name got it');
  a.postMessage({ n: 1 });
  a.postMessage({ n: 2 });
  await seen;
  await new Promise((r) => setTimeout(r, 0));
  assert_equals(JSON.stringify(got), JSON.stringify([[1, 'https://test.swhost', true], [2, 'https://test.swhost', true]]));
  assert_equals(a.name, 'news');
  a.close();
  a.close();
  assert_throws_dom('InvalidStateError', () => a.postMessage('x'));
  assert_throws_js(TypeError, () => b.postMessage());
  assert_throws_dom('DataCloneError', () => b.postMessage(() => 1));
  b.close(); other.close();
  assert_throws_js(TypeError, () => new BroadcastChannel());
}, 'BroadcastChannel: other channels of the name get messages in order, the sender does not; close; errors');
