/**
 * The Python side of the Python language, run once when the interpreter starts (worker.ts).
 * It defines the script API (`oxibase`, alias `plpy`), the value codec and the entry points the
 * worker calls: compile a body into a function, call it (one row, a batch, a trigger).
 *
 * Values travel as JSON whose special values are single-key objects tagged with a NUL-prefixed
 * key: from the engine n (big int), f (non-finite float), b (bytes), m (numeric -> Decimal),
 * D (date, days), T (timestamp, µs), Z (timestamptz, µs); to the engine s (text for the type's
 * input function: Decimal, datetime, date, time, timedelta), n, f, b.
 */
export const BOOTSTRAP_PY = String.raw`
import sys, json, math, random, time, traceback, keyword
import datetime as _dt
import decimal as _dec

_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_EPOCH_DATE = _dt.date(1970, 1, 1)
_SAFE = 9007199254740991


class SqlError(Exception):
    """An SQL error: raised by oxibase.query, or raised by a script with its own SQLSTATE."""
    def __init__(self, message, sqlstate=None, detail=None, hint=None):
        super().__init__(message)
        self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint


def _hook(o):
    if len(o) == 1:
        k, v = next(iter(o.items()))
        if k[:1] == '\x00':
            t = k[1:]
            if t == 'n': return int(v)
            if t == 'f': return float(v)
            if t == 'b': return bytes(v)
            if t == 'm': return _dec.Decimal(v)
            if t == 'D': return _EPOCH_DATE + _dt.timedelta(days=v)
            if t == 'T': return _EPOCH + _dt.timedelta(microseconds=v)
            if t == 'Z': return _EPOCH_UTC + _dt.timedelta(microseconds=v)
            if t == 'd': return _EPOCH_UTC + _dt.timedelta(milliseconds=v)
    return o


def _loads(s):
    return json.loads(s, object_hook=_hook)


def _plain(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -_SAFE <= v <= _SAFE else {'\x00n': str(v)}
    if isinstance(v, float):
        if math.isfinite(v): return v
        return {'\x00f': 'NaN' if v != v else ('Infinity' if v > 0 else '-Infinity')}
    if isinstance(v, _dec.Decimal):
        return {'\x00s': str(v)}
    if isinstance(v, _dt.datetime):
        return {'\x00s': v.isoformat(sep=' ')}
    if isinstance(v, (_dt.date, _dt.time)):
        return {'\x00s': v.isoformat()}
    if isinstance(v, _dt.timedelta):
        return {'\x00s': '%d days %d seconds %d microseconds' % (v.days, v.seconds, v.microseconds)}
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {'\x00b': list(bytes(v))}
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, '__iter__'):
        return [_plain(x) for x in v]
    raise TypeError('cannot convert a value of type %s to SQL' % type(v).__name__)


def _dumps(v):
    return json.dumps(_plain(v), allow_nan=False)


_host = None  # set by the worker: a JS function taking and returning JSON text


def _call_host(msg):
    r = _loads(_host(json.dumps(msg)))
    e = r.get('error')
    if e is not None:
        err = SqlError(e.get('message', ''), e.get('sqlstate'), e.get('detail'), e.get('hint'))
        err._host_error = e.get('hostError')
        raise err
    return r.get('value')


_LEVELS = ('debug', 'log', 'info', 'notice', 'warning')


def _text(msg):
    return ' '.join(m if isinstance(m, str) else repr(m) if not isinstance(m, (int, float)) else str(m) for m in msg)


class _Subtransaction:
    def __enter__(self):
        _call_host({'op': 'subxact_begin'})
        return self

    def __exit__(self, etype, evalue, tb):
        _call_host({'op': 'subxact_end', 'failed': etype is not None})
        return False


class _Oxibase:
    """The database, as scripts see it."""
    SqlError = SqlError
    Error = SqlError

    def query(self, sql, params=None):
        if not isinstance(sql, str):
            raise TypeError('oxibase.query: the statement must be a string')
        return _call_host({'op': 'query', 'sql': sql, 'params': _plain(list(params or ()))})

    def execute(self, sql, params=None):
        if not isinstance(sql, str):
            raise TypeError('oxibase.execute: the statement must be a string')
        return _call_host({'op': 'execute', 'sql': sql, 'params': _plain(list(params or ()))})

    def log(self, level, *msg):
        level = str(level).lower()
        if level not in _LEVELS:
            raise ValueError('oxibase.log: unknown level ' + level)
        _call_host({'op': 'log', 'level': level, 'message': _text(msg)})

    def notice(self, *msg): self.log('notice', *msg)
    def info(self, *msg): self.log('info', *msg)
    def warning(self, *msg): self.log('warning', *msg)
    def debug(self, *msg): self.log('debug', *msg)

    def error(self, message, sqlstate='P0001', detail=None, hint=None):
        raise SqlError(message, sqlstate, detail, hint)

    def subtransaction(self):
        return _Subtransaction()


oxibase = _Oxibase()


class _Stdout:
    # print() writes its pieces separately: hand the host whole lines.
    def __init__(self):
        self.buf = ''

    def write(self, s):
        self.buf += s
        if '\n' in self.buf:
            lines, _, self.buf = self.buf.rpartition('\n')
            for line in lines.split('\n'):
                _call_host({'op': 'print', 'text': line})
        return len(s)

    def flush(self):
        if self.buf:
            text, self.buf = self.buf, ''
            _call_host({'op': 'print', 'text': text})


sys.stdout = _Stdout()
sys.stderr = _Stdout()

_now_ms = [0.0]
time.time = lambda: _now_ms[0] / 1000.0
time.time_ns = lambda: int(_now_ms[0] * 1000000)

_routines = {}
GD = {}


class _Routine:
    __slots__ = ('fn', 'filename', 'header', 'floats', 'returns_set', 'trigger')


def _position(e, r):
    for fs in reversed(traceback.extract_tb(e.__traceback__)):
        if fs.filename == r.filename:
            col = getattr(fs, 'colno', None)
            return {'line': fs.lineno - r.header, 'col': (col + 1 - 4) if col is not None else None, 'fn': fs.name}
    return None


def _describe(e, r):
    return {
        'type': type(e).__name__, 'message': str(e),
        'sqlstate': getattr(e, 'sqlstate', None), 'detail': getattr(e, 'detail', None),
        'hint': getattr(e, 'hint', None), 'hostError': getattr(e, '_host_error', None),
        'interrupt': isinstance(e, KeyboardInterrupt), 'memory': isinstance(e, MemoryError),
        'recursion': isinstance(e, RecursionError), 'pos': _position(e, r),
    }


def _compile(rid, filename, src, header, floats, returns_set, trigger):
    try:
        code = compile(src, filename, 'exec')
    except SyntaxError as e:
        return json.dumps({'syntax': {'message': e.msg, 'line': (e.lineno or header + 1) - header,
                                      'col': max(1, (e.offset or 5) - 4)}})
    ns = {'__name__': filename, 'oxibase': oxibase, 'plpy': oxibase, 'SD': {}, 'GD': GD}
    exec(code, ns)
    r = _Routine()
    r.fn = ns['__ox_fn']
    r.filename = filename
    r.header = header
    r.floats = floats
    r.returns_set = returns_set
    r.trigger = trigger
    _routines[rid] = r
    return json.dumps({'ok': True})


def _drop(rid):
    _routines.pop(rid, None)


def _args(r, row):
    for i in r.floats:
        v = row[i]
        if isinstance(v, int) and not isinstance(v, bool):
            row[i] = float(v)
    return row


def _result(r, v):
    if r.returns_set:
        if v is None:
            return []
        if isinstance(v, (str, bytes, dict)) or not hasattr(v, '__iter__'):
            raise TypeError('a set-returning function must return a list or an iterable')
        return list(v)
    return v


def _run(r, fn, now, seed):
    _now_ms[0] = now
    random.seed(seed)
    try:
        out = json.dumps({'ok': _plain(fn())}, allow_nan=False)
        sys.stdout.flush()
        return out
    except BaseException as e:
        try:
            sys.stdout.flush()
        except BaseException:
            pass
        return json.dumps({'err': _describe(e, r)}, allow_nan=False)


def _call(rid, payload):
    r = _routines[rid]
    p = _loads(payload)
    args = _args(r, p['args'])
    return _run(r, lambda: _result(r, r.fn(*args)), p['now'], p['seed'])


def _batch(rid, payload):
    r = _routines[rid]
    p = _loads(payload)
    fn = r.fn
    return _run(r, lambda: [fn(*_args(r, row)) for row in p['rows']], p['now'], p['seed'])


def _trigger(rid, payload):
    r = _routines[rid]
    p = _loads(payload)
    td = p['td']

    def run():
        new, old = td['new'], td['old']
        v = r.fn(new, old, td['event'], td['when'], td['level'], td['name'], td['table_name'],
                 td['table_schema'], td['args'], td)
        if v is None or v == 'SKIP':
            return None
        if v == 'OK':
            return new if new is not None else old
        if v == 'MODIFY':
            return td['new']
        return v
    return _run(r, run, p['now'], p['seed'])
`;
