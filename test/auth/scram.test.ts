/**
 * SCRAM-SHA-256 against RFC 7677's test vector, verifier format and parsing, and malformed
 * client messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeVerifier, parseVerifier, ScramExchange, ScramProtocolError, verifyPassword } from '../../src/auth/scram.ts';

const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');

test('RFC 7677 example exchange: server-first, proof check and server signature', () => {
  const verifier = makeVerifier('pencil', SALT);
  const x = new ScramExchange(verifier, '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0', new Uint8Array(16));
  assert.equal(x.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'),
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
  assert.equal(x.final('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='),
    'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
});

test('a wrong proof, or no verifier (unknown role / no password), fails without a server signature', () => {
  const bad = new ScramExchange(makeVerifier('other', SALT), 'srv', new Uint8Array(16));
  bad.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
  assert.equal(bad.final('c=biws,r=rOprNGfwEbeRWgbNEkqOsrv,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='), null);
  const mock = new ScramExchange(null, 'srv', new Uint8Array(16).fill(7));
  // The mock exchange looks like a real one (salt, iterations) but never succeeds.
  assert.match(mock.first('n,,n=,r=abc'), /^r=abcsrv,s=BwcHBwcHBwcHBwcHBwcHBw==,i=4096$/);
  assert.equal(mock.final('c=biws,r=abcsrv,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='), null);
});

test('malformed messages, channel binding and nonce mismatches are protocol errors', () => {
  const x = (): ScramExchange => new ScramExchange(makeVerifier('p', SALT), 'srv', new Uint8Array(16));
  assert.throws(() => x().first('p=tls-server-end-point,,n=,r=a'), ScramProtocolError);
  assert.throws(() => x().first('garbage'), ScramProtocolError);
  assert.throws(() => x().first('n,,n=user'), /missing nonce/);
  const e = x();
  e.first('n,,n=,r=abc');
  assert.throws(() => e.final('c=biws,r=wrong,p=AAAA'), /nonce mismatch/);
  assert.throws(() => e.final('c=eSws,r=abcsrv,p=AAAA'), /channel binding/);
  assert.throws(() => e.final('c=biws,r=abcsrv'), /missing proof/);
});

test('verifiers: PostgreSQL format, parse round trip, clear-text check, bad input rejected', () => {
  const v = makeVerifier('pencil', SALT);
  assert.match(v, /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
  const parsed = parseVerifier(v)!;
  assert.equal(parsed.iterations, 4096);
  assert.deepEqual(parsed.salt, SALT);
  assert.ok(verifyPassword(v, 'pencil'));
  assert.ok(!verifyPassword(v, 'pencil '));
  assert.equal(parseVerifier('SCRAM-SHA-256$4096:abc$def:ghi'), null);
  assert.equal(parseVerifier('md5abc'), null);
  assert.ok(!verifyPassword('not a verifier', 'x'));
});
