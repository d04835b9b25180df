import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose'
import t from 'tap'
import { bearer, build, TEST_AUDIENCE, TEST_ISSUER, TEST_KID, testPrivateKey, testPublicJwk, token } from '../helpers/build.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

const now = () => Math.floor(Date.now() / 1000)

function claims () {
  return new SignJWT({ org: '1084', roles: ['submitter'] })
    .setProtectedHeader({ alg: 'ES256', kid: TEST_KID })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject('someone')
}

t.test('every bad token is 401 problem+json and no token material is echoed', async (t) => {
  const { app } = await build(t)
  const { privateKey: otherKey } = await generateKeyPair('ES256')
  const hmacKey = new TextEncoder().encode(JSON.stringify(testPublicJwk))

  const cases: Array<[string, string]> = [
    ['alg none', new UnsecuredJWT({ org: '1084', roles: ['submitter'] }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('10m').encode()],
    ['HS256 signed with the public key', await new SignJWT({ org: '1084', roles: ['submitter'] }).setProtectedHeader({ alg: 'HS256', kid: TEST_KID }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('10m').sign(hmacKey)],
    ['expired beyond the 30 s tolerance', await claims().setExpirationTime(now() - 60).sign(testPrivateKey)],
    ['wrong iss', await claims().setIssuer('https://evil.example').setExpirationTime('10m').sign(testPrivateKey)],
    ['wrong aud', await claims().setAudience('someone-else').setExpirationTime('10m').sign(testPrivateKey)],
    ['no exp', await claims().sign(testPrivateKey)],
    ['nbf in the future', await claims().setNotBefore(now() + 300).setExpirationTime('10m').sign(testPrivateKey)],
    ['unknown kid', await new SignJWT({ org: '1084', roles: ['submitter'] }).setProtectedHeader({ alg: 'ES256', kid: 'other' }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('10m').sign(otherKey)],
    ['signed by another key with our kid', await claims().setExpirationTime('10m').sign(otherKey)],
    ['no sub', await new SignJWT({ org: '1084', roles: ['submitter'] }).setProtectedHeader({ alg: 'ES256', kid: TEST_KID }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('10m').sign(testPrivateKey)],
    ['no org', await token('submitter', '1084', { claims: { org: undefined } })],
    ['org with illegal characters', await token('submitter', 'a b')],
    // sub and name reach the audit events, whose canonical JSON holds well-formed Unicode only.
    ['sub with a lone surrogate', await token('submitter', '1084', { sub: 'x\ud800' })],
    ['name with a lone surrogate', await token('submitter', '1084', { name: '\udc00' })],
    ['garbage', 'not.a.jwt']
  ]
  for (const [name, jwt] of cases) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })
    t.equal(res.statusCode, 401, name)
    t.match(res.headers['content-type'], /^application\/problem\+json/, name)
    t.match(res.headers['www-authenticate'], /^Bearer/, name)
    t.notOk(res.body.includes(jwt), `${name}: token not echoed`)
  }
})

t.test('malformed Authorization headers are 401', async (t) => {
  const { app } = await build(t)
  for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a.b.c extra', `bearer ${await token('admin', 'ITR')}`]) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: { authorization } })
    t.equal(res.statusCode, 401, authorization.slice(0, 12))
  }
})

t.test('a token expired within the 30 s clock tolerance is accepted', async (t) => {
  const { app } = await build(t)
  const jwt = await claims().setExpirationTime(now() - 10).sign(testPrivateKey)
  const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })
  t.equal(res.statusCode, 200)
})

t.test('RS256 and EdDSA keys from AUTH_JWKS are accepted', async (t) => {
  const rsa = await generateKeyPair('RS256')
  const ed = await generateKeyPair('EdDSA')
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
    { ...(await exportJWK(ed.publicKey)), kid: 'ed', alg: 'EdDSA' }
  ]
  const { app } = await build(t, { env: { AUTH_JWKS: JSON.stringify({ keys }) } })
  for (const [kid, alg, key] of [['rsa', 'RS256', rsa.privateKey], ['ed', 'EdDSA', ed.privateKey]] as const) {
    const jwt = await new SignJWT({ org: 'ITR', roles: ['admin'] }).setProtectedHeader({ alg, kid }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('5m').sign(key)
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })
    t.equal(res.statusCode, 200, alg)
  }
})

// Claims that reach authid, the stored rows and the Danish event descriptions keep the one-line
// rule; typ, iat and the claimed lifetime are checked too. Each case was 200 or 500 before.
t.test('token claims are held to the one-line rule; typ, future iat and long lifetimes are refused', async (t) => {
  const { app } = await build(t)
  const header = { alg: 'ES256', kid: TEST_KID }
  const sign = (typ: string | undefined, iat: number, exp: number) =>
    new SignJWT({ org: '1084', roles: ['submitter'] })
      .setProtectedHeader(typ === undefined ? header : { ...header, typ })
      .setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('someone')
      .setIssuedAt(iat).setExpirationTime(exp).sign(testPrivateKey)
  const cases: Array<[string, string, RegExp]> = [
    ['NUL in sub', await token('submitter', '1084', { sub: 'alice\u0000' }), /token claim "sub" is invalid \(must be one line/],
    ['whitespace-only sub', await token('submitter', '1084', { sub: ' \t ' }), /token claim "sub" is invalid/],
    ['no-break spaces only in sub', await token('submitter', '1084', { sub: '\u00a0\u2003' }), /token claim "sub" is invalid \(must contain a visible character\)/],
    ['sub with surrounding white space', await token('submitter', '1084', { sub: ' alice' }), /token claim "sub" is invalid \(must not begin or end with white space\)/],
    ['U+202E in sub', await token('submitter', '1084', { sub: 'alice\u202egnp.exe' }), /token claim "sub" is invalid \(must not contain bidirectional/],
    ['U+2066 in sub', await token('submitter', '1084', { sub: 'alice\u2066' }), /token claim "sub" is invalid/],
    ['newline in name', await token('submitter', '1084', { name: 'Anne\nSagsbehandler godkendte' }), /token claim "name" is invalid \(must be one line/],
    ['NUL in name', await token('submitter', '1084', { name: 'Anne\u0000' }), /token claim "name" is invalid/],
    ['U+2028 in name', await token('submitter', '1084', { name: 'Anne\u2028Bo' }), /token claim "name" is invalid/],
    ['U+200F in name', await token('submitter', '1084', { name: 'Anne\u200f' }), /token claim "name" is invalid/],
    ['typ foo', await sign('foo', now(), now() + 600), /token type \(typ\) must be JWT or at\+jwt/],
    ['typ JOSE', await sign('JOSE', now(), now() + 600), /typ/],
    ['iat 10 min in the future', await sign('JWT', now() + 600, now() + 1200), /token claim "iat" is invalid/],
    ['lifetime 13 h', await token('submitter', '1084', { expiresIn: 13 * 60 * 60 }), /token claim "exp" is invalid \(the token's lifetime exceeds 43200 s/],
    ['lifetime 13 h without iat', await claims().setExpirationTime(now() + 13 * 60 * 60).sign(testPrivateKey), /token claim "exp" is invalid/]
  ]
  for (const [name, jwt, detail] of cases) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })
    t.equal(res.statusCode, 401, name)
    t.match(res.headers['content-type'], /^application\/problem\+json/, name)
    t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"', name)
    t.match(res.json(), { detail }, name)
    t.notOk(res.body.includes(jwt), `${name}: token not echoed`)
  }

  // And what stays accepted: the helper's token (typ JWT), typ at+jwt in any case and with the
  // application/ prefix, no typ, iat within the tolerance, 12 h exactly, a name with inner spaces.
  const accepted: Array<[string, string]> = [
    ['normal token', await token('submitter', '1084')],
    ['typ at+jwt', await sign('at+jwt', now(), now() + 600)],
    ['typ AT+JWT', await sign('AT+JWT', now(), now() + 600)],
    ['typ application/jwt', await sign('application/jwt', now(), now() + 600)],
    ['no typ', await sign(undefined, now(), now() + 600)],
    ['iat 10 s in the future', await sign('JWT', now() + 10, now() + 600)],
    ['lifetime 12 h', await sign('JWT', now(), now() + 12 * 60 * 60)],
    ['a Danish name with spaces', await token('submitter', '1084', { name: 'Åse Ødegård Æbelø' })]
  ]
  for (const [name, jwt] of accepted) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })
    t.equal(res.statusCode, 200, name)
  }
})

t.test('AUTH_MAX_TOKEN_LIFETIME_S lowers the cap', async (t) => {
  const { app } = await build(t, { env: { AUTH_MAX_TOKEN_LIFETIME_S: '3600' } })
  const long = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('submitter', '1084', { expiresIn: 3601 })) })
  t.equal(long.statusCode, 401)
  t.match(long.json(), { detail: /exceeds 3600 s/ })
  const fits = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('submitter', '1084', { expiresIn: 3600 })) })
  t.equal(fits.statusCode, 200)
})
