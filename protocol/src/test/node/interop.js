// An independent JavaScript implementation of the Infernet Edge envelope, written from
// docs/protocol.md with tweetnacl (box, Ed25519), ed2curve (key conversion) and node:crypto
// (a second Ed25519 verifier). Used by JavaScriptInteropTest:
//   node interop.js check <vectors.json>          verify every vector; exit 0 when all hold
//   node interop.js seal <seedHex> <toPkHex> <ms>  print a JS-sealed job.submit envelope (JSON, then binary hex)
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const nacl = require('tweetnacl');
const ed2curve = require('ed2curve');

const DOMAIN = Buffer.from('infernet/envelope/v1\0', 'ascii');
const TYPES = { 'job.submit': 1, 'job.cancel': 2, 'job.get': 3, 'job.list': 4, 'job.event': 5,
  'event.ack': 6, 'agent.info': 7, 'pair.request': 8, 'pair.result': 9, 'error': 10, 'event.carry': 11,
  'job.result': 12, 'transfer.open': 13, 'transfer.done': 14, 'job.events': 15 };
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));
const HEADER = 102;
const SKEW_MS = 120000;

const hex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');
const b64u = (b) => Buffer.from(b).toString('base64url');
function unb64u(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new Reject('malformed');
  const b = Buffer.from(s, 'base64url');
  if (b.toString('base64url') !== s) throw new Reject('malformed');
  return new Uint8Array(b);
}

class Reject extends Error {
  constructor(code) { super(code); this.code = code; }
}

function unsignedBytes(e) {
  const b = Buffer.alloc(HEADER + e.ct.length);
  b[0] = 1;
  b[1] = TYPES[e.type];
  Buffer.from(e.from).copy(b, 2);
  Buffer.from(e.to).copy(b, 34);
  b.writeBigUInt64BE(BigInt(e.ts), 66);
  Buffer.from(e.nonce).copy(b, 74);
  b.writeUInt32BE(e.ct.length, 98);
  Buffer.from(e.ct).copy(b, HEADER);
  return b;
}

const signedBytes = (e) => Buffer.concat([DOMAIN, unsignedBytes(e)]);
const toBinary = (e) => Buffer.concat([unsignedBytes(e), Buffer.from(e.sig)]);
const toJson = (e) => JSON.stringify({ v: 1, type: e.type, from: b64u(e.from), to: b64u(e.to), ts: e.ts,
  nonce: b64u(e.nonce), ct: b64u(e.ct), sig: b64u(e.sig) });

function seal(seed, toPk, type, ts, nonce, plaintext) {
  const kp = nacl.sign.keyPair.fromSeed(seed);
  const xpk = ed2curve.convertPublicKey(toPk);
  if (!xpk) throw new Error('recipient is not a valid Ed25519 public key');
  const ct = nacl.box(plaintext, nonce, xpk, ed2curve.convertSecretKey(kp.secretKey));
  const e = { type, from: kp.publicKey, to: toPk, ts, nonce, ct };
  e.sig = nacl.sign.detached(signedBytes(e), kp.secretKey);
  return e;
}

function fromBinary(b) {
  if (b.length === 0) throw new Reject('malformed');
  if (b[0] !== 1) throw new Reject('unsupported_version');
  if (b.length < HEADER + 16 + 64) throw new Reject('malformed');
  const buf = Buffer.from(b);
  const type = TYPE_NAMES[buf[1]];
  if (!type) throw new Reject('unsupported_type');
  const ts = buf.readBigUInt64BE(66);
  if (ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new Reject('malformed');
  const n = buf.readUInt32BE(98);
  if (n < 16 || HEADER + n + 64 !== b.length) throw new Reject('malformed');
  return { type, from: b.slice(2, 34), to: b.slice(34, 66), ts: Number(ts), nonce: b.slice(74, 98),
    ct: b.slice(HEADER, HEADER + n), sig: b.slice(HEADER + n) };
}

function fromJson(text) {
  let j;
  try { j = JSON.parse(text); } catch (e) { throw new Reject('malformed'); }
  if (typeof j.v !== 'number' || !Number.isInteger(j.v)) throw new Reject('malformed');
  if (j.v !== 1) throw new Reject('unsupported_version');
  if (!(j.type in TYPES)) throw new Reject('unsupported_type');
  return { type: j.type, from: unb64u(j.from), to: unb64u(j.to), ts: j.ts, nonce: unb64u(j.nonce),
    ct: unb64u(j.ct), sig: unb64u(j.sig) };
}

// node:crypto's Ed25519, as a second verifier independent of tweetnacl.
function nodeVerify(pk, msg, sig) {
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(pk) }, format: 'jwk' });
  return crypto.verify(null, msg, key, sig);
}

// The receiver's checks, in the order of docs/protocol.md.
function open(receiverSeed, e, nowMs, seen) {
  const me = nacl.sign.keyPair.fromSeed(receiverSeed);
  if (toHex(e.to) !== toHex(me.publicKey)) throw new Reject('wrong_recipient');
  const senderX = ed2curve.convertPublicKey(e.from);
  if (!senderX) throw new Reject('bad_key');
  if (!nacl.sign.detached.verify(signedBytes(e), e.sig, e.from)) throw new Reject('bad_signature');
  if (Math.abs(nowMs - e.ts) > SKEW_MS) throw new Reject('clock_skew');
  const key = toHex(e.from) + toHex(e.nonce);
  if (seen.has(key)) throw new Reject('replayed');
  seen.add(key);
  const plain = nacl.box.open(e.ct, e.nonce, senderX, ed2curve.convertSecretKey(me.secretKey));
  if (!plain) throw new Reject('undecryptable');
  return plain;
}

function check(file) {
  const v = JSON.parse(fs.readFileSync(file, 'utf8'));
  let passed = 0;
  const expect = (cond, what) => { if (!cond) throw new Error('FAILED: ' + what); passed++; };
  expect(toHex(DOMAIN) === v.domain, 'domain');
  const keys = {};
  for (const k of v.keys) {
    const kp = nacl.sign.keyPair.fromSeed(hex(k.seed));
    keys[k.name] = hex(k.seed);
    expect(toHex(kp.publicKey) === k.publicKey, k.name + ' public key');
    expect(toHex(ed2curve.convertSecretKey(kp.secretKey)) === k.x25519Secret, k.name + ' x25519 secret');
    expect(toHex(ed2curve.convertPublicKey(kp.publicKey)) === k.x25519Public, k.name + ' x25519 public');
    expect(toHex(nacl.scalarMult.base(hex(k.x25519Secret))) === k.x25519Public, k.name + ' x25519 pair');
  }
  const pub = (name) => nacl.sign.keyPair.fromSeed(keys[name]).publicKey;
  for (const t of v.envelopes) {
    const payload = hex(t.payloadHex);
    expect(Buffer.from(t.payload, 'utf8').equals(Buffer.from(payload)), t.name + ' payload text');
    const e = seal(keys[t.from], pub(t.to), t.type, t.timestampMs, hex(t.nonce), payload);
    const sender = v.keys.find((k) => k.name === t.from);
    const recipient = v.keys.find((k) => k.name === t.to);
    expect(toHex(nacl.box.before(hex(recipient.x25519Public), hex(sender.x25519Secret))) === t.sharedKey, t.name + ' shared key');
    expect(toHex(e.ct) === t.ciphertext, t.name + ' ciphertext');
    expect(toHex(signedBytes(e)) === t.signedBytes, t.name + ' signed bytes');
    expect(toHex(e.sig) === t.signature, t.name + ' signature');
    expect(nodeVerify(e.from, signedBytes(e), e.sig), t.name + ' node:crypto verifies');
    expect(toHex(toBinary(e)) === t.binary, t.name + ' binary');
    expect(toJson(e) === t.json, t.name + ' json');
    const fromB = fromBinary(hex(t.binary));
    const fromJ = fromJson(t.json);
    expect(toHex(toBinary(fromJ)) === t.binary, t.name + ' json decodes to the binary');
    const plain = open(keys[t.to], fromB, t.timestampMs, new Set());
    expect(toHex(plain) === t.payloadHex, t.name + ' opens');
  }
  for (const r of v.rejections) {
    const seen = new Set();
    for (const b of r.before) open(keys[r.receiver], fromBinary(hex(b)), r.nowMs, seen);
    let code = 'accepted';
    try { open(keys[r.receiver], fromBinary(hex(r.binary)), r.nowMs, seen); } catch (e) {
      if (!(e instanceof Reject)) throw e;
      code = e.code;
    }
    expect(code === r.expect, r.name + ': expected ' + r.expect + ', got ' + code);
  }
  console.log('vectors ok: ' + passed + ' checks');
}

function sealCommand(seedHex, toHexPk, ms) {
  const payload = Buffer.from(JSON.stringify({ id: 'js1', spec: { version: 1, kind: 'container',
    image: 'docker.io/library/alpine:3.20', command: ['echo', 'from javascript'] } }), 'utf8');
  const e = seal(hex(seedHex), hex(toHexPk), 'job.submit', Number(ms), nacl.randomBytes(24), payload);
  console.log(toJson(e));
  console.log(toHex(toBinary(e)));
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'check') check(args[0]);
else if (cmd === 'seal') sealCommand(args[0], args[1], args[2]);
else { console.error('usage: interop.js check <vectors.json> | seal <seedHex> <toPkHex> <ms>'); process.exit(2); }
