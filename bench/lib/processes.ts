import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { ROOT, sleep } from './common.ts'

export interface ServerProcess {
  name: string
  pid: number
  url: string
  /** Resident set size now, in MB (from /proc). */
  rssMb (): number
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`). */
  stop (timeoutMs?: number): Promise<number | null>
}

// Servers started by this process: stopped when it exits, however it exits, so that a failed run
// leaves no server behind.
const started = new Set<ChildProcess>()
process.once('exit', () => { for (const child of started) child.kill('SIGTERM') })
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of started) child.kill('SIGTERM')
    process.exit(130)
  })
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export function rssMbOf (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/**
 * Starts `node [nodeArgs] --import tsx <script>` as a child process (the same compile-free way
 * `npm start` runs the service, minus tsx's own wrapper process, so that the pid we sample is the
 * server's; a .js script runs without tsx), with stdout and stderr appended to `logFile`, and
 * waits until `readyPath` answers 200.
 */
export async function startServer (opts: {
  name: string
  script: string
  env: Record<string, string>
  logFile: string
  nodeArgs?: string[]
  readyPath?: string
  timeoutMs?: number
  /** Working directory (default: the repository). */
  cwd?: string
}): Promise<ServerProcess> {
  const port = await freePort()
  const fd = openSync(opts.logFile, 'a')
  const loader = opts.script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...loader, opts.script], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd]
  })
  closeSync(fd)
  started.add(child)
  let exited: number | null | undefined
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exited = code
    started.delete(child)
    resolve(code)
  }))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000)
  for (;;) {
    if (exited !== undefined) throw new Error(`${opts.name} exited with ${exited} before it was ready; see ${opts.logFile}`)
    try {
      const response = await fetch(url + (opts.readyPath ?? '/health/ready'))
      if (response.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${opts.name} was not ready within ${opts.timeoutMs ?? 60_000} ms; see ${opts.logFile}`)
    }
    await sleep(100)
  }
  const pid = child.pid!
  return {
    name: opts.name,
    pid,
    url,
    rssMb: () => rssMbOf(pid),
    async stop (timeoutMs = 20_000) {
      if (exited !== undefined) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const code = await exit
      clearTimeout(timer)
      return code
    }
  }
}

/** CPU time (user + system) a process has used so far, in ms (from /proc/<pid>/stat, 10 ms ticks). */
export function cpuMsOf (pid: number): number {
  try {
    return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return Number.NaN
  }
}

function cpuMsOfStat (stat: string): number {
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * CPU time used so far by each PostgreSQL process on this machine (backends, WAL writer,
 * checkpointer, autovacuum), in ms by pid. Read before a run and passed to `postgresCpuMsSince`
 * after it.
 */
export function postgresCpu (): Map<number, number> {
  const byPid = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) byPid.set(Number(entry), cpuMsOfStat(stat))
    } catch {}
  }
  return byPid
}

/**
 * What PostgreSQL's processes used since `before` (a `postgresCpu()` snapshot): per process, so
 * that a backend exiting meanwhile (pgbench's, just after its run) does not subtract its whole
 * life's time; a process that started meanwhile counts in full. A backend that exits during the
 * run takes that run's time with it; the servers' pools keep theirs.
 */
export function postgresCpuMsSince (before: Map<number, number>): number {
  let total = 0
  for (const [pid, ms] of postgresCpu()) total += ms - (before.get(pid) ?? 0)
  return total
}

/** Samples a process's RSS every `everyMs` until stopped; reports the maximum and the last value. */
export function sampleRss (pid: number, everyMs = 200) {
  let max = rssMbOf(pid)
  let last = max
  const timer = setInterval(() => {
    last = rssMbOf(pid)
    if (last > max) max = last
  }, everyMs)
  return {
    stop () {
      clearInterval(timer)
      last = rssMbOf(pid)
      if (last > max) max = last
      return { maxMb: max, lastMb: last }
    }
  }
}

/** Runs a command to completion, collecting its output. */
export async function run (command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}
