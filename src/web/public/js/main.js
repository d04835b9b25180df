// The pages' entry point: a hash router (#/queue, #/projects/<id>, …) over one index.html.
// After every navigation focus moves to the page's heading, so keyboard and screen reader
// users start where the new content starts.
import { ApiError, councils, forgetCachedData, knownCouncils, knownOrganisations, organisations } from './api.js'
import { h, replace } from './dom.js'
import { councilName, orgName, ROLE, SECRETARIAT_COUNCIL } from './labels.js'
import { annualReportPage } from './pages/annual-report.js'
import { assessmentPage } from './pages/assessment.js'
import { benefitReportPage } from './pages/benefit-report.js'
import { closurePage } from './pages/closure.js'
import { conflictPage } from './pages/conflict.js'
import { councilsPage } from './pages/councils.js'
import { letterPage } from './pages/letter.js'
import { membersPage } from './pages/members.js'
import { myProjectsPage } from './pages/my-projects.js'
import { organisationsPage } from './pages/organisations.js'
import { portfolioPage } from './pages/portfolio.js'
import { editProjectPage, newProjectPage } from './pages/project-form.js'
import { projectPage } from './pages/project.js'
import { queuePage } from './pages/queue.js'
import { searchPage } from './pages/search.js'
import { signInPage } from './pages/sign-in.js'
import { statusReportPage } from './pages/status-report.js'
import { withdrawPage } from './pages/withdraw.js'
import { currentSession, hasRole, signOut } from './session.js'
import { errorBox, noticeBox, successBox } from './ui.js'

/**
 * @typedef {object} PageContext
 * @property {string[]} params the route's captured parts (a project id)
 * @property {URLSearchParams} query the part of the hash after "?"
 * @property {import('./session.js').Session | null} session
 * @property {(hash: string, flash?: string, kind?: 'success' | 'notice') => void} navigate go to a route, with a
 *   confirmation (or, kind 'notice', a notice such as "changed meanwhile") to show there
 * @property {() => void} signedIn called by the sign-in page once the token is kept
 *
 * @typedef {{ title: string, content: import('./dom.js').Child, stop?: () => void }} Page `stop` ends what the page
 *   runs while it is shown (a live update); called when another page takes its place
 */

/** A project in a route: its id (a UUID) or its reference (ITR-2026-0001), as GET /v1/projects/{id} takes either. */
const REFERENCE = '(?:ITR|SIR)-\\d{4}-\\d{4,9}'
const PROJECT = `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|${REFERENCE})`
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE}$`, 'i')

/** @type {Array<{ pattern: RegExp, page: (ctx: PageContext) => Promise<Page>, public?: boolean, nav?: string }>} */
const ROUTES = [
  { pattern: /^\/login$/, page: signInPage, public: true },
  { pattern: /^\/queue$/, page: queuePage, nav: '#/queue' },
  { pattern: /^\/portfolio$/, page: portfolioPage, nav: '#/portfolio' },
  { pattern: /^\/annual-report$/, page: annualReportPage, nav: '#/annual-report' },
  { pattern: /^\/projects$/, page: myProjectsPage, nav: '#/projects' },
  { pattern: /^\/projects\/new$/, page: newProjectPage, nav: '#/projects/new' },
  { pattern: /^\/search$/, page: searchPage },
  { pattern: /^\/councils$/, page: councilsPage, nav: '#/councils' },
  { pattern: /^\/organisations$/, page: organisationsPage, nav: '#/organisations' },
  { pattern: /^\/members$/, page: membersPage, nav: '#/members' },
  { pattern: new RegExp(`^/projects/${PROJECT}$`, 'i'), page: projectPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/edit$`, 'i'), page: editProjectPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/withdraw$`, 'i'), page: withdrawPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/status-report$`, 'i'), page: statusReportPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/status-report/(\\d{4}-H[12])$`, 'i'), page: statusReportPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/assessment$`, 'i'), page: assessmentPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/conflict$`, 'i'), page: conflictPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/letter$`, 'i'), page: letterPage },
  { pattern: new RegExp(`^/projects/${PROJECT}/closure$`, 'i'), page: closurePage },
  { pattern: new RegExp(`^/projects/${PROJECT}/benefit-report$`, 'i'), page: benefitReportPage }
]

const RETURN_KEY = 'council-gate.return-to'
const APP_NAME = 'Rådsportal'
/** Before sign-in, and for those who work for both councils (admin, integration): the regional council's portal, as ever. */
const DEFAULT_COUNCIL = 'regions'

const main = /** @type {HTMLElement} */ (document.getElementById('main'))
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'))
const searchForm = /** @type {HTMLFormElement} */ (document.getElementById('search'))
const searchInput = /** @type {HTMLInputElement} */ (document.getElementById('search-q'))
const userBox = /** @type {HTMLElement} */ (document.getElementById('user'))
const brandOwner = /** @type {HTMLElement} */ (document.getElementById('brand-owner'))
const footerOwner = document.getElementById('footer-owner')

/** A message for the next page: a confirmation, or a notice such as an expired login. */
/** @type {{ text: string, kind: 'success' | 'notice' } | null} */
let flash = null
let renders = 0
let firstRender = true
/** @type {(() => void) | undefined} */
let stopPage

/** @param {import('./session.js').Session | null} session */
function landing (session) {
  if (hasRole(session, 'council_member', 'secretariat')) return '#/queue'
  if (hasRole(session, 'submitter')) return '#/projects'
  return '#/portfolio'
}

/**
 * The council whose portal the caller sees: that of the caller's organisation (a state authority's
 * submitters and Statens It-råd's secretariat and members see Statens It-råd); admin and
 * integration, who work for both, see the default.
 * @param {import('./session.js').Session | null} session
 */
function councilOfCaller (session) {
  if (!session || !hasRole(session, 'submitter', 'secretariat', 'council_member')) return DEFAULT_COUNCIL
  const organisation = knownOrganisations()?.find((o) => o.code === session.org)
  return organisation?.council ?? SECRETARIAT_COUNCIL[session.org] ?? DEFAULT_COUNCIL
}

/** The council's name in the header, the footer and the tab's title. */
function brandName (/** @type {import('./session.js').Session | null} */ session) {
  return councilName(councilOfCaller(session), knownCouncils())
}

/**
 * @param {string} hash
 * @param {string} [message]
 * @param {'success' | 'notice'} [kind]
 */
function navigate (hash, message, kind = 'success') {
  if (message) flash = { text: message, kind }
  if (location.hash === hash) void render()
  else location.hash = hash
}

function signedIn () {
  const back = sessionStorage.getItem(RETURN_KEY)
  sessionStorage.removeItem(RETURN_KEY)
  const session = currentSession()
  navigate(back && back.startsWith('#/') && back !== '#/login' ? back : landing(session), 'Du er logget ind.')
}

function signOutAndLeave () {
  signOut()
  forgetCachedData()
  navigate('#/login', 'Du er logget ud.')
}

/**
 * @param {import('./session.js').Session | null} session
 * @param {string | undefined} current the nav target of the current route
 */
function renderHeader (session, current) {
  const brand = brandName(session)
  brandOwner.textContent = brand
  if (footerOwner) footerOwner.textContent = brand
  searchInput.placeholder = `${councilOfCaller(session) === 'state' ? 'SIR' : 'ITR'}-2026-0001 eller titel`
  nav.hidden = session === null
  searchForm.hidden = session === null
  // Each role sees the pages it uses: data-roles lists them; no list, every role.
  for (const item of nav.querySelectorAll('li')) {
    const roles = item.dataset.roles?.split(' ')
    item.hidden = roles !== undefined && !hasRole(session, ...roles)
  }
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === current) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  if (!session) {
    replace(userBox)
    return
  }
  const roles = session.roles.map((r) => ROLE[r] ?? r).join(', ') || 'ingen roller'
  const names = Object.fromEntries((knownOrganisations() ?? []).map((o) => [o.code, o.name]))
  replace(userBox,
    h('span', { class: 'user-name' }, 'Logget ind som ', h('strong', { text: session.name ?? session.sub })),
    h('span', { class: 'user-roles', text: `${roles} · ${orgName(session.org, names)}` }),
    h('button', { type: 'button', class: 'button-secondary', onclick: signOutAndLeave }, 'Log ud'))
}

async function render () {
  const hash = location.hash
  // Other fragments (the skip link's #main) are in-page anchors, not routes.
  if (hash !== '' && !hash.startsWith('#/')) return
  const [path = '', queryString = ''] = hash.slice(1).split('?')
  const session = currentSession()

  if (path === '' || path === '/') {
    location.replace(session ? landing(session) : '#/login')
    return
  }
  let params = /** @type {string[]} */ ([])
  const route = ROUTES.find((r) => {
    const match = r.pattern.exec(path)
    if (match) params = match.slice(1)
    return match !== null
  })
  if (route && !route.public && !session) {
    sessionStorage.setItem(RETURN_KEY, hash)
    location.replace('#/login')
    return
  }
  if (route?.public && session) {
    location.replace(landing(session))
    return
  }
  renderHeader(session, route?.nav)
  // The organisations (names, the caller's council) and the councils, asked once per page load
  // alongside the page (which shares the same requests): the header shows names, never codes.
  const headerData = session && route && !route.public
    ? Promise.all([organisations(), councils()]).catch(() => null)
    : Promise.resolve(null)

  const current = ++renders
  main.setAttribute('aria-busy', 'true')
  /** @type {Page} */
  let page
  if (!route) {
    page = { title: 'Siden findes ikke', content: h('p', {}, 'Adressen svarer ikke til en side. ', h('a', { href: landing(session), text: 'Gå til forsiden' })) }
  } else {
    try {
      page = await route.page({ params, query: new URLSearchParams(queryString), session, navigate, signedIn })
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !route.public) {
        signOut()
        sessionStorage.setItem(RETURN_KEY, hash)
        flash = { text: 'Dit login er udløbet eller blev afvist. Log ind igen.', kind: 'notice' }
        navigate('#/login')
        return
      }
      page = {
        title: 'Siden kunne ikke vises',
        content: [errorBox(error), h('p', {}, h('a', { href: landing(session), text: 'Gå til forsiden' }))]
      }
    }
  }
  await headerData
  if (current !== renders) { // the user has moved on meanwhile
    page.stop?.()
    return
  }
  stopPage?.()
  stopPage = page.stop

  renderHeader(session, route?.nav)
  const heading = h('h1', { id: 'page-heading', tabindex: '-1', text: page.title })
  const message = flash === null ? null : flash.kind === 'success' ? successBox(flash.text) : noticeBox(flash.text)
  flash = null
  replace(main, heading, message, page.content)
  main.removeAttribute('aria-busy')
  document.title = `${page.title} – ${APP_NAME} – ${brandName(session)}`
  // On first load the skip link stays the first stop; after that, focus follows navigation.
  if (!firstRender) {
    heading.focus()
    window.scrollTo(0, 0)
  }
  firstRender = false
}

// The header's search: a whole reference opens the project, anything else lists the matches.
searchForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const q = searchInput.value.trim()
  if (!q) {
    searchInput.focus()
    return
  }
  navigate(WHOLE_REFERENCE.test(q) ? `#/projects/${q.toUpperCase()}` : `#/search?${new URLSearchParams({ q })}`)
})

document.getElementById('skip-link')?.addEventListener('click', (event) => {
  event.preventDefault()
  const target = document.getElementById('page-heading') ?? main
  target.focus()
})

window.addEventListener('hashchange', () => { void render() })
void render()
