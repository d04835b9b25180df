import { createHmac, randomBytes } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret (): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64')
}

/** The `webhook-id` of a delivery: the same for every attempt, so receivers can deduplicate. */
export function webhookMessageId (deliveryId: string): string {
  return `msg_${deliveryId}`
}

/**
 * Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed
 * with the base64-decoded part of the secret after `whsec_`.
 */
export function signWebhook (secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/**
 * The headers of one delivery attempt, signed with each of `secrets` (the current one first):
 * `webhook-signature` lists the signatures space-separated, as Standard Webhooks allows during a
 * secret rotation.
 */
export function webhookHeaders (secrets: readonly string[], id: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000)
  return {
    'content-type': 'application/cloudevents+json',
    'user-agent': 'council-gate-webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook(secret, id, timestamp, body)).join(' ')
  }
}
