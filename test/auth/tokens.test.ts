import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose'
import t from 'tap'
import { bearer, build, TEST_AUDIENCE, TEST_ISSUER, TEST_KID, testPrivateKey, testPublicJwk, token } from '../helpers/build.ts'

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
