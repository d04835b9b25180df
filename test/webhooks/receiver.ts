import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** How the receiver answers one request: a status, optional headers and body; or 'hang' (never answers). */
export type Answer = { status: number, headers?: Record<string, string>, body?: string } | 'hang'

/**
 * A real webhook receiver on 127.0.0.1 (port 0): records every request and answers from a
 * queue of scripted answers (then 200). Closed in teardown.
 */
export async function startReceiver (t: Test) {
  const requests: ReceivedRequest[] = []
  const answers: Answer[] = []
  const hanging: ServerResponse[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const answer = answers.shift() ?? { status: 200, body: 'ok' }
      if (answer === 'hang') {
        hanging.push(res)
        return
      }
      res.writeHead(answer.status, answer.headers ?? {})
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  t.teardown(async () => {
    for (const res of hanging) res.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return {
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    requests,
    /** Queue answers for the next requests. */
    answer (...next: Answer[]) { answers.push(...next) }
  }
}
