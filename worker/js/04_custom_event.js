// 04_custom_event.js: CustomEvent (DOM standard), an Event that carries
// application data in detail.
(function (internals, host, global) {
  'use strict';
  const {
    Event, expose, initializeEvent, kState, str
  } = internals;

  // The per-interface slot of a CustomEvent's state (02_event.js puts the
  // common slots first).
  const E_DETAIL = 6;
  class CustomEvent extends Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
      if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError("Failed to construct 'CustomEvent': The provided value is not of type 'CustomEventInit'.");
      }
      super(type, init);
      const detail = init === undefined || init === null ? undefined : init.detail;
      this[kState][E_DETAIL] = detail === undefined ? null : detail;
      brand.add(this);
    }
    get detail() { return customState(this)[E_DETAIL]; }
    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      if (arguments.length === 0) throw new TypeError("Failed to execute 'initCustomEvent' on 'CustomEvent': 1 argument required, but only 0 present.");
      customState(this);
      if (initializeEvent(this, str(type), !!bubbles, !!cancelable)) this[kState][E_DETAIL] = detail;
    }
  }
  // brand holds every CustomEvent the constructor made (whatever subclass
  // made it): the receiver check of detail and initCustomEvent.
  const brand = new WeakSet();
  function customState(ev) {
    if (!brand.has(ev)) throw new TypeError('Illegal invocation');
    return ev[kState];
  }
  expose('CustomEvent', CustomEvent);

  Object.assign(internals, { CustomEvent });
})
