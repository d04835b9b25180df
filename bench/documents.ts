/**
 * npm run bench -- --documents: uploads against the service's memory (API.md v1.1, "Documents").
 *
 * The compiled service on its own database (council_gate_bench_documents), one project of region
 * 1084; after a warm-up upload of 5 MiB:
 * - one upload of 25 MiB (the limit), with the service's RSS sampled every 20 ms: it may rise by
 *   less than 16 MB (the bytes stream into the database chunk by chunk, never held whole);
 * - ten concurrent uploads of 5 MiB: all complete (201), with the RSS they raise it by.
 *
 * The files are PDFs (the bytes decide the type): a header, filler, `%%EOF`. Results:
 * bench/results/documents.json.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { benchAuth, databaseUrl, ensureResultsDir, recreateDatabase, submission } from './lib/common.ts'
import { sampleRss, type ServerProcess } from './lib/processes.ts'
import { buildCompiled, migrate, startService } from './lib/service.ts'

const DB = 'council_gate_bench_documents'
const MiB = 1024 * 1024
const MAX_RSS_GROWTH_MB = 16

function pdfOf (bytes: number): Blob {
  const head = Buffer.from('%PDF-1.7\n%âãÏÓ\n')
  const tail = Buffer.from('\n%%EOF\n')
  return new Blob([head, Buffer.alloc(bytes - head.length - tail.length, 0x20), tail], { type: 'application/pdf' })
}

async function upload (service: ServerProcess, projectId: string, headers: Record<string, string>, file: Blob, name: string): Promise<number> {
  const form = new FormData()
  form.append('kind', 'other')
  form.append('file', file, name)
  const response = await fetch(`${service.url}/v1/projects/${projectId}/documents`, { method: 'POST', headers, body: form })
  await response.arrayBuffer()
  return response.status
}

export async function runDocuments (): Promise<number> {
  const resultsDir = ensureResultsDir()
  const url = databaseUrl(DB)
  await recreateDatabase(DB)
  await migrate(url)
  const auth = await benchAuth()
  const headers = { authorization: `Bearer ${await auth.token(['submitter'], '1084')}` }
  const service = await startService({ databaseUrl: url, auth, compiledRoot: await buildCompiled(), logFile: resolve(resultsDir, 'documents-service.log') })
  try {
    const created = await fetch(`${service.url}/v1/projects`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(submission(true)) })
    if (created.status !== 201) throw new Error(`submitting the project: ${created.status} ${await created.text()}`)
    const projectId = (await created.json() as { id: string }).id

    const warmUp = await upload(service, projectId, headers, pdfOf(5 * MiB), 'opvarmning.pdf')
    if (warmUp !== 201) throw new Error(`warm-up upload: ${warmUp}`)

    const rssBeforeMb = service.rssMb()
    const sampler = sampleRss(service.pid, 20)
    let started = performance.now()
    const big = await upload(service, projectId, headers, pdfOf(25 * MiB), 'projektgrundlag.pdf')
    const bigSeconds = (performance.now() - started) / 1000
    const bigRss = sampler.stop()
    const growth = bigRss.maxMb - rssBeforeMb
    console.log(`25 MiB upload: ${big} in ${bigSeconds.toFixed(2)} s; RSS ${rssBeforeMb.toFixed(0)} MB before, max ${bigRss.maxMb.toFixed(0)} MB during (+${growth.toFixed(1)} MB) (load ${loadavg()[0]!.toFixed(2)})`)

    const concurrentBeforeMb = service.rssMb()
    const concurrentSampler = sampleRss(service.pid, 20)
    started = performance.now()
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(service, projectId, headers, pdfOf(5 * MiB), `bilag-${i + 1}.pdf`)))
    const concurrentSeconds = (performance.now() - started) / 1000
    const concurrentRss = concurrentSampler.stop()
    console.log(`10 × 5 MiB concurrently: ${statuses.join(' ')} in ${concurrentSeconds.toFixed(2)} s; RSS max ${concurrentRss.maxMb.toFixed(0)} MB (+${(concurrentRss.maxMb - concurrentBeforeMb).toFixed(1)} MB)`)

    const targets = [
      { name: '25 MiB upload raises RSS by < 16 MB', pass: big === 201 && growth < MAX_RSS_GROWTH_MB, detail: `${big}, +${growth.toFixed(1)} MB` },
      { name: 'ten concurrent 5 MiB uploads complete', pass: statuses.every((s) => s === 201), detail: statuses.join(' ') }
    ]
    console.log('')
    for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(42)} ${t.detail}`)
    const file = resolve(resultsDir, 'documents.json')
    writeFileSync(file, JSON.stringify({
      finishedAt: new Date().toISOString(),
      node: process.version,
      big: { status: big, seconds: bigSeconds, rssBeforeMb, rssMaxMb: bigRss.maxMb },
      concurrent: { statuses, seconds: concurrentSeconds, rssBeforeMb: concurrentBeforeMb, rssMaxMb: concurrentRss.maxMb },
      targets,
      loadAverageAfter: loadavg()
    }, null, 2) + '\n')
    console.log(`written to ${file}`)
    return targets.every((t) => t.pass) ? 0 : 1
  } finally {
    await service.stop()
  }
}
