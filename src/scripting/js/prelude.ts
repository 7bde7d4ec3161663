/**
 * The JavaScript that runs first inside every QuickJS sandbox. It builds the script-facing API
 * (oxibase, console, deterministic Math.random and Date) over the few native functions the host
 * installs (`h`), and the protocol the host uses to call routines.
 *
 * Protocol: only primitives cross the boundary. Composite values (Dates, bigints, arrays,
 * objects, bytes) travel as JSON in which special values are tagged objects whose single key
 * starts with NUL ({"\u0000d": ms}, {"\u0000n": "123"}, {"\u0000b": [bytes]}, {"\u0000f": "NaN"}).
 * A wrapper returns a primitive as is, "\u0002" + JSON for a composite (or for a string that
 * starts with SOH or STX), and "\u0001" + JSON of an error descriptor when the script threw.
 * (Not NUL: strings cross as C strings, which end at the first NUL.)
 * The helpers capture JSON, Array.isArray and friends at start-up, so a script that replaces
 * them only breaks its own results, never the protocol's framing.
 */
export const PRELUDE_SOURCE = String.raw`(function (h) {
  'use strict';
  const G = globalThis;
  const parse = JSON.parse, stringify = JSON.stringify, isArray = Array.isArray;
  const RealDate = Date, U8 = Uint8Array, ArrayFrom = Array.from, NumberC = Number;
  const BigIntC = BigInt, StringC = String, iterSym = Symbol.iterator, isFiniteF = isFinite;
  const hostQuery = h.query, hostLog = h.log, hostPrint = h.print, hostRandom = h.random;
  const hostNow = h.now, hostSubxact = h.subtransaction;

  // Deterministic time and randomness: both come from the host's Env.
  // A function, not a class: Date() without new must still work (it returns the time as text).
  function OxDate(...a) {
    if (new.target === undefined) return new RealDate(hostNow()).toString();
    return Reflect.construct(RealDate, a.length === 0 ? [hostNow()] : a, new.target);
  }
  OxDate.prototype = RealDate.prototype;
  OxDate.now = () => hostNow();
  OxDate.parse = RealDate.parse;
  OxDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: OxDate, writable: true, configurable: true });

  function replacer(k, x) {
    const o = this[k];
    if (typeof o === 'bigint') return { '\u0000n': StringC(o) };
    if (o instanceof RealDate) return { '\u0000d': o.getTime() };
    if (o instanceof U8) return { '\u0000b': ArrayFrom(o) };
    if (typeof o === 'number' && !isFiniteF(o)) return { '\u0000f': StringC(o) };
    return x;
  }
  function reviver(k, x) {
    if (x !== null && typeof x === 'object' && !isArray(x)) {
      if ('\u0000n' in x) return BigIntC(x['\u0000n']);
      if ('\u0000d' in x) return new OxDate(x['\u0000d']);
      if ('\u0000b' in x) return new U8(x['\u0000b']);
      if ('\u0000f' in x) return NumberC(x['\u0000f']);
    }
    return x;
  }
  const enc = (v) => stringify(v === undefined ? null : v, replacer);
  const dec = (s) => (s === null ? null : s.indexOf('\\u0000') < 0 ? parse(s) : parse(s, reviver));

  function out(v) {
    switch (typeof v) {
      case 'number': case 'boolean': return v;
      case 'undefined': return null;
      case 'string': {
        const c = v.charCodeAt(0);
        return c === 1 || c === 2 || v.indexOf('\0') >= 0 ? '\u0002' + enc(v) : v;
      }
      default: return v === null ? null : '\u0002' + enc(v);
    }
  }
  function materialize(v) {
    if (v === null || v === undefined) return [];
    if (isArray(v)) return v;
    if (typeof v === 'object' && typeof v[iterSym] === 'function') return ArrayFrom(v);
    throw new TypeError('a set-returning function must return an array or an iterable');
  }
  function describe(e) {
    const d = { name: 'Error', message: '', stack: '' };
    if (e !== null && typeof e === 'object') {
      try { d.name = StringC(e.name ?? 'Error'); } catch (_) {}
      try { d.message = StringC(e.message ?? ''); } catch (_) {}
      try { d.stack = StringC(e.stack ?? ''); } catch (_) {}
      for (const k of ['sqlstate', 'code', 'detail', 'hint', 'hostError']) {
        try { if (e[k] !== undefined && e[k] !== null) d[k] = StringC(e[k]); } catch (_) {}
      }
    } else {
      d.name = ''; d.message = StringC(e);
    }
    return '\u0001' + stringify(d);
  }
  function call(fn, ...args) {
    try { return out(fn.apply(undefined, args)); } catch (e) { return describe(e); }
  }
  function callNum(fn, ...args) {
    try {
      const r = fn.apply(undefined, args);
      // Not null itself: ToNumber(null) is 0, so everything but a number is framed.
      return typeof r === 'number' ? r : '\u0002' + enc(r);
    } catch (e) { return describe(e); }
  }
  function callStr(fn, ...args) {
    try {
      const r = fn.apply(undefined, args);
      if (typeof r === 'string') {
        const c = r.charCodeAt(0);
        if (c !== 1 && c !== 2 && r.indexOf('\0') < 0) return r;
      }
      return '\u0002' + enc(r);
    } catch (e) { return describe(e); }
  }
  function callSet(fn, ...args) {
    try { return '\u0002' + enc(materialize(fn.apply(undefined, args))); } catch (e) { return describe(e); }
  }
  class SqlError extends Error {
    constructor(message, sqlstate, detail, hint) {
      super(message);
      this.name = 'SqlError';
      if (sqlstate !== undefined) this.sqlstate = sqlstate;
      if (detail !== undefined) this.detail = detail;
      if (hint !== undefined) this.hint = hint;
    }
  }
  function run(sql, params, mode) {
    if (typeof sql !== 'string') throw new TypeError('oxibase.query: the statement must be a string');
    if (params !== undefined && params !== null && !isArray(params)) {
      throw new TypeError('oxibase.query: parameters must be an array');
    }
    const r = hostQuery(sql, params === undefined || params === null ? '[]' : enc(params), mode);
    if (r.charCodeAt(0) === 1) {
      const d = parse(r.slice(1));
      const e = new SqlError(d.message, d.sqlstate, d.detail, d.hint);
      e.hostError = d.hostError;
      throw e;
    }
    return dec(r);
  }
  const levels = ['debug', 'log', 'info', 'notice', 'warning'];
  const text = (a) => a.map((x) => (typeof x === 'string' ? x : (() => {
    try { const s = stringify(x, replacer); return s === undefined ? StringC(x) : s; } catch (_) { return StringC(x); }
  })())).join(' ');
  const oxibase = {
    query: (sql, params) => run(sql, params, 'rows'),
    execute: (sql, params) => run(sql, params, 'count'),
    log(level, ...msg) {
      const l = StringC(level).toLowerCase();
      if (levels.indexOf(l) < 0) throw new RangeError('oxibase.log: unknown level ' + StringC(level));
      hostLog(l, text(msg));
    },
    notice: (...msg) => hostLog('notice', text(msg)),
    subtransaction(fn) {
      if (typeof fn !== 'function') throw new TypeError('oxibase.subtransaction expects a function');
      let result;
      const err = hostSubxact(() => { result = fn(); });
      if (err !== undefined) throw err;
      return result;
    },
    SqlError,
  };
  const print = (...a) => hostPrint(text(a));
  const console = { log: print, info: print, warn: print, error: print, debug: print };

  G.Date = OxDate;
  Math.random = () => hostRandom();
  G.oxibase = oxibase;
  G.console = console;
  G.print = print;
  return { call, callNum, callStr, callSet, dec, enc, describe, prog: new Int32Array(1) };
})`;
