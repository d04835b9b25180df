/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
 * and self time by package, so that a profile can be read without DevTools.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/submit.cpuprofile [top=25] [last seconds only]
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface ProfileSummary {
  totalMs: number
  /** Time the process was idle (waiting for I/O). */
  idleMs: number
  functions: Array<{ name: string, where: string, selfMs: number, share: number }>
  packages: Array<{ name: string, selfMs: number, share: number }>
}

/** "fastify", "pg", "node:internal", "src/…" (our own files by folder), "(garbage collector)" … */
function packageOf (url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)'
  if (url.startsWith('node:')) return 'node:internal'
  const nm = url.lastIndexOf('/node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  const src = url.indexOf('/src/')
  if (src >= 0) return url.slice(src + 1).split('/').slice(0, 2).join('/')
  const bench = url.indexOf('/bench/')
  if (bench >= 0) return 'bench'
  return url
}

function shortUrl (url: string): string {
  const nm = url.lastIndexOf('/node_modules/')
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length)
  const root = url.indexOf('/src/')
  return root >= 0 ? url.slice(root + 1) : url.replace(/^file:\/\//, '')
}

/**
 * `lastSeconds`: only the samples of the profile's last seconds (the load, without the start-up
 * that `--cpu-prof` records too: module loading and compilation).
 */
export function summariseProfile (profile: CpuProfile, top = 25, lastSeconds?: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  // timeDeltas[i] is the time from sample i-1 to sample i; sample i is charged the time until the next one.
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6
  let at = profile.startTime
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0
    if (at < from) continue
    const duration = i + 1 < deltas.length ? Math.max(0, deltas[i + 1]!) : 0
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + duration)
  }
  let totalUs = 0
  let idleUs = 0
  const functions = new Map<string, { name: string, where: string, us: number }>()
  const packages = new Map<string, number>()
  for (const [id, us] of self) {
    const node = byId.get(id)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    totalUs += us
    if (functionName === '(idle)') {
      idleUs += us
      continue
    }
    const name = functionName || '(anonymous)'
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : ''
    const key = `${name}@${where}`
    const entry = functions.get(key) ?? { name, where, us: 0 }
    entry.us += us
    functions.set(key, entry)
    const pkg = packageOf(url, name)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const busyUs = totalUs - idleUs
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000, share: f.us / busyUs })),
    packages: [...packages.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busyUs }))
  }
}

export function formatSummary (title: string, s: ProfileSummary): string {
  const busy = s.totalMs - s.idleMs
  const lines = [
    `== ${title}: ${(s.totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s on the CPU (${(100 * busy / s.totalMs).toFixed(0)} %), shares below are of CPU time`,
    '   self ms   share  function (where)',
    ...s.functions.map((f) => `${f.selfMs.toFixed(0).padStart(10)} ${(100 * f.share).toFixed(1).padStart(6)} %  ${f.name}${f.where ? ` (${f.where})` : ''}`),
    '   by package / folder:',
    ...s.packages.map((p) => `${p.selfMs.toFixed(0).padStart(10)} ${(100 * p.share).toFixed(1).padStart(6)} %  ${p.name}`)
  ]
  return lines.join('\n')
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, top, last] = process.argv.slice(2)
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [last seconds only]')
    process.exit(2)
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  console.log(formatSummary(file, summariseProfile(profile, Number(top ?? 25), last === undefined ? undefined : Number(last))))
}
